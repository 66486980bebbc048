// knex (issue 13): query chains — `db('users').where({ email }).first()`, `db.select('a').from('users')`,
// `trx('orders').insert({ … }).returning('id')`, `knex.raw('select … where id = ?', [id])` — read into
// usage records, each column with the tables its query names in scope (knex-query.ts, knex-links.ts).
// Which names are knex: knex-names.ts. A builder held in a variable (`let q = db('users')`, then
// `q = q.where(…)` under an `if`) is read with all of its uses in the block that declares it, so that
// its select list (or its lack of one: `select *`) is known. Unresolved, where the reader cannot tell:
// a table chosen at run time (for any table), columns held in a variable, SQL that is not literal text,
// a method it does not know (for the query's tables).
import { addUnresolved, addUnresolvedOn, snippet, type FileContext } from '../file-context.js'
import { rememberObject } from '../file-bindings.js'
import { constantText, rememberConstants } from '../file-constants.js'
import { identifierName, methodOf, unrollChain, unwrap, type CallExpression, type MethodCall, type Node } from '../js-node.js'
import { fileFunctions, readHelperCall, unknownBuilderParams, type FileFunctions } from './knex-helpers.js'
import { isQueryLink, isQueryMethod, QUERY_METHODS } from './knex-links.js'
import { chainOf, chainsOn, isInstance, knexNames, learnDeclarator, learnParams, learnProgram, learnTransaction, type Chain } from './knex-names.js'
import { forkQuery, newQuery, readQuery, readRaw, type KnexQuery, type Reading } from './knex-query.js'
import type { DataLayerReader } from './reader.js'

/** The module's name, or a call with a table followed by a query method (`trx('users').insert(`, `db(TABLE).where(`). */
const MENTION = /\bknex\b/i
const SHAPED =
  /\(\s*(?:(['"`])[A-Za-z_][\w.]*(?:\s+as\s+\w+)?\1|[A-Za-z_$][\w$]*)\s*\)\s*\??\.\s*(?:where|orWhere|andWhere|select|insert|update|del|pluck|increment|decrement|returning|orderBy|groupBy|innerJoin|leftJoin|onConflict|distinct|columns?|having|upsert|from|into|table)\w*\s*\(/

/** A name's `.where(` / `.orderBy(` …: a helper module handed a builder (`export const active = qb => qb.where(…)`). */
const BUILDER_LINK = /[\w$]\s*\??\.\s*(?:(?:or|and)?[wW]here(?:Not)?(?:In|Null|NotNull|Between|Raw|Exists|Like|ILike)?|orderBy|groupBy|having)\(/

/**
 * Another query builder or ORM whose calls take that shape too (`selectFrom('users').where(`), and whose
 * helpers take a builder with `where()`: a file that uses one and does not name knex is not read as knex.
 */
const OTHER_BUILDERS = /\bkysely\b|\b(?:selectFrom|insertInto|updateTable|deleteFrom)\(|drizzle-orm|@prisma\/client|\btypeorm\b|\bsequelize\b|\bobjection\b|@mikro-orm|\bmongoose\b/

export const knexReader: DataLayerReader = {
  name: 'knex',
  key: () => null,
  mentions: text => MENTION.test(text) || ((SHAPED.test(text) || BUILDER_LINK.test(text)) && !OTHER_BUILDERS.test(text)),
  read(node, ctx) {
    const r = readingOf(ctx)
    switch (node.type) {
      case 'Program':
        learnProgram(node, r.names, ctx.text)
        helpers.set(ctx, fileFunctions(ctx))
        readStatements(node.body as Node[], r)
        return false
      case 'BlockStatement':
      case 'StaticBlock':
        readStatements(node.body as Node[], r)
        return false
      case 'SwitchCase':
        readStatements(node.consequent as Node[], r)
        return false
      case 'VariableDeclarator':
        learnDeclarator(node, r.names)
        return false
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        learnParams(node, r.names)
        // A parameter used as a builder may come from another file.
        const file = helpers.get(ctx)
        if (file) unknownBuilderParams(node, r, file)
        return false
      }
      case 'CallExpression':
        return readCall(node, r)
      default:
        return false
    }
  },
}

const readings = new WeakMap<FileContext, Reading>()
/** The file's functions, and which of them only the file's own calls reach. */
const helpers = new WeakMap<FileContext, FileFunctions>()

function readingOf(ctx: FileContext): Reading {
  let reading = readings.get(ctx)
  if (!reading) {
    reading = { ctx, names: knexNames(), given: new Set() }
    readings.set(ctx, reading)
  }
  return reading
}

function readCall(node: Extract<Node, { type: 'CallExpression' }>, r: Reading): boolean {
  const method = methodOf(node)
  if (method && learnTransaction(method, r.names)) return false
  const chain = chainOf(node, r.names, QUERY_METHODS)
  if (chain && (chain.root !== null || chain.links.some(link => isQueryLink(link.name) || link.name === 'from' || link.name === 'into'))) {
    readQuery([chain], newQuery(null, true), r)
    return true
  }
  const { base, calls } = unrollChain(node)
  const helper = helperCall(base, calls, r)
  if (helper) return readHelperCall(helper.call, helper.fn, helper.rest, r, helpers.get(r.ctx)!)
  const [first] = calls
  if (!first) return false
  if (isInstance(base, r.names) && (first.name === 'raw' || first.name === 'batchInsert')) return readInstanceCall(first, calls, r)
  // A builder variable read where it was declared, used again where that block cannot see (another function).
  const held = r.names.variables.get(identifierName(base) ?? '')
  if (held && isQueryMethod(first.name)) {
    readQuery([{ root: null, links: calls }], forkQuery(held), r)
    return true
  }
  return false
}

/** `applyFilters(…)…`, `this.scoped(…)…`: a call of one of the file's functions, and the links after it. */
function helperCall(base: Node, calls: readonly MethodCall[], r: Reading): { call: CallExpression; fn: Node; rest: readonly MethodCall[] } | null {
  const name = base.type === 'CallExpression' ? identifierName(base.callee) : null
  const fn = name === null ? undefined : r.ctx.functions.get(name)
  if (fn && base.type === 'CallExpression') return { call: base, fn, rest: calls }
  const [first, ...rest] = calls
  const method = base.type === 'ThisExpression' && first ? r.ctx.functions.get(first.name) : undefined
  return method ? { call: first.call, fn: method, rest } : null
}

/** `db.raw('select …', [id])` alone (then `.then(…)` or not); `db.batchInsert('users', rows)`: rows not read. */
function readInstanceCall(first: MethodCall, calls: readonly MethodCall[], r: Reading): boolean {
  for (const link of calls) r.ctx.done.add(link.call)
  const [arg, bindings] = first.call.arguments as Node[]
  if (first.name === 'raw') {
    readRaw(arg, bindings, null, 'select', r, first.call)
    return true
  }
  const table = constantText(arg, r.ctx)
  const reason = `${snippet(r.ctx, first.call)}: the columns of its rows are not read`
  if (table === null) addUnresolved(r.ctx, (arg ?? first.call).start, reason, true)
  else addUnresolvedOn(r.ctx, unwrap(arg).start, reason, table)
  return true
}

/**
 * The builder variables a block declares (`const q = db('users').where(…)`, not `await`ed), each read
 * with every chain on it in the rest of the block: the same query whatever order the links come in.
 * `const c = q.clone()` forks the query; `const q2 = q.where(…)` is the same builder under another name.
 */
function readStatements(statements: readonly Node[], r: Reading): void {
  statements.forEach((statement, i) => {
    const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? (statement.declaration as Node) : statement
    if (declaration.type !== 'VariableDeclaration') return
    if (declaration.kind === 'const') rememberConstants(declaration.declarations, r.ctx)
    declaration.declarations.forEach((d, j) => {
      learnDeclarator(d, r.names)
      if (d.id.type !== 'Identifier' || !d.init) return
      rememberObject(d.id.name, d.init, r.ctx)
      const init = unwrap(d.init)
      if (init.type !== 'CallExpression' || r.ctx.done.has(init)) return
      const chain = chainOf(init, r.names, QUERY_METHODS)
      if (!chain || endsAsPromise(chain.links)) return
      const rest = [...declaration.declarations.slice(j + 1), ...statements.slice(i + 1)]
      readVariable(d.id.name, chain, rest, newQuery(null, true), r)
    })
  })
}

/** `db('users').then(…)`: a promise, not a builder. */
function endsAsPromise(links: readonly MethodCall[]): boolean {
  const last = links[links.length - 1]?.name
  return last === 'then' || last === 'catch' || last === 'finally'
}

function readVariable(name: string, chain: Chain, rest: readonly Node[], q: KnexQuery, r: Reading): void {
  const chains: Chain[] = [chain]
  const forks: { name: string | null; links: MethodCall[] }[] = []
  const named = declaredAt(rest)
  for (const links of rest.flatMap(node => chainsOn(node, name, false))) {
    const cloneAt = links.findIndex(link => link.name === 'clone')
    const declared = named.get(links[links.length - 1].call) ?? null
    if (cloneAt >= 0) {
      chains.push({ root: null, links: links.slice(0, cloneAt) })
      forks.push({ name: declared, links: links.slice(cloneAt) })
      continue
    }
    chains.push({ root: null, links })
    // `const q2 = q.where(…)`: knex builders are mutable, q2 is q.
    if (declared) chains.push(...rest.flatMap(node => chainsOn(node, declared, false)).map(links => ({ root: null, links })))
  }
  r.names.variables.set(name, q)
  readQuery(chains, q, r)
  if (q.alias) r.names.derived.set(name, q.alias)
  for (const fork of forks) {
    const copy = forkQuery(q)
    if (fork.name) readVariable(fork.name, { root: null, links: fork.links }, rest, copy, r)
    else readQuery([{ root: null, links: fork.links }], copy, r)
  }
}

/** The variables declared in these statements (not deeper), by the node of their initial value. */
function declaredAt(statements: readonly Node[]): Map<Node, string> {
  const out = new Map<Node, string>()
  for (const statement of statements) {
    const declarations = statement.type === 'VariableDeclaration' ? statement.declarations : statement.type === 'VariableDeclarator' ? [statement] : []
    for (const d of declarations) if (d.id.type === 'Identifier' && d.init) out.set(unwrap(d.init), d.id.name)
  }
  return out
}
