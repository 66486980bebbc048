// Builders handed to functions (issue 13): `applyFilters(db('users'), filters)`, `.modify(notDeleted)`,
// `baseQuery().where(…)`. A function of the file called with a knex builder is read with that builder's
// tables: its chains on the parameter are links of the caller's query. Where the builder a function is
// handed is not known — the function is exported or passed on (other files call it), or a call hands it
// something the reader does not know — each of its chains on the parameter that a builder alone makes
// (`qb.where(…)`, `qb.whereNull(…)`, `qb.orderBy(…)`) is unresolved for any table: its columns belong to
// a table the file does not say.
import { addUnresolved, locationAt, snippet, type FileContext } from '../file-context.js'
import { identifierName, propertyName, returnedExpressions, unwrap, type CallExpression, type MethodCall, type Node } from '../js-node.js'
import { isBuilderLink, QUERY_METHODS } from './knex-links.js'
import { chainOf, chainsOn, type Chain } from './knex-names.js'
import { forkQuery, newQuery, readQuery, type KnexQuery, type Reading } from './knex-query.js'

/** The file's functions (top-level and class methods) by node, with whether only this file's calls reach them. */
export interface FileFunctions {
  readonly names: Map<Node, string>
  readonly localOnly: Set<Node>
}

export function fileFunctions(ctx: FileContext): FileFunctions {
  const names = new Map<Node, string>()
  const localOnly = new Set<Node>()
  for (const [name, fn] of ctx.functions) {
    names.set(fn, name)
    if (calledHereOnly(name, ctx.text)) localOnly.add(fn)
  }
  return { names, localOnly }
}

/** Links that hand a function the builder (`modify(notDeleted)`, `where(activeOnly)`). */
const HANDING_LINKS = /\.(?:modify|(?:or|and)?[wW]here(?:Not)?(?:Exists|In)?|having|(?:inner|left|right)?[jJ]oin|from|union(?:All)?|with)\(\s*$/

/**
 * A function no other file can call: declared without `export` (or a `private` / `#` method), and named
 * in this file only where it is called or handed to a knex link (not passed on: `module.exports = { f }`).
 */
function calledHereOnly(name: string, text: string): boolean {
  const word = name.replace(/\$/g, '\\$')
  if (new RegExp(`\\bexport\\b[^\\n;=]*\\b${word}\\b`).test(text)) return false
  const declared = new RegExp(`\\bfunction\\s*\\*?\\s*${word}\\b|\\b(?:const|let|var)\\s+${word}\\s*=`).test(text)
  if (!declared && !new RegExp(`(?:\\b(?:private|protected)\\s+(?:static\\s+)?(?:async\\s+)?|#)${word}\\s*\\(`).test(text)) return false
  for (const match of text.matchAll(new RegExp(`(?<![\\w$])#?${word}(?![\\w$])`, 'g'))) {
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 40)
    if (/^\s*(?:\(|=(?!=)|<)/.test(after)) continue
    if (HANDING_LINKS.test(text.slice(Math.max(0, match.index - 40), match.index))) continue
    return false
  }
  return true
}

/** The parameter names of a function, by position (null where it is a pattern). */
function paramNames(fn: Node): (string | null)[] {
  const params = (unwrap(fn) as { params?: Node[] }).params ?? []
  return params.map(p => {
    const param = p.type === 'AssignmentPattern' ? p.left : p
    return param.type === 'Identifier' ? param.name : null
  })
}

function bodyOf(fn: Node): Node | null {
  return ((unwrap(fn) as { body?: Node | null }).body ?? null) as Node | null
}

/**
 * The chains a function runs on its parameter that only a builder has, and that the reader does not
 * read as a query of their own (`trx.insert(row).into('users')` names its table).
 */
function builderChains(fn: Node, param: string, r: Reading): MethodCall[][] {
  return chainsOn(bodyOf(fn), param, false).filter(links => {
    if (!links.some(link => isBuilderLink(link.name))) return false
    return chainOf(links[links.length - 1].call, r.names, QUERY_METHODS) === null
  })
}

/**
 * At a function's declaration: when other files may call it, each builder chain on a parameter is
 * unresolved for any table (not for a knex instance or transaction, whose chains name their table).
 */
export function unknownBuilderParams(fn: Node, r: Reading, helpers: FileFunctions): void {
  if (helpers.localOnly.has(fn)) return
  const why = helpers.names.has(fn) ? 'other files may call the function' : 'the function is called from where the reader does not follow'
  const body = bodyOf(fn)
  const text = body ? r.ctx.text.slice(body.start, body.end) : ''
  for (const param of paramNames(fn)) {
    // Cheap first: a parameter the body never calls a method on is no builder.
    if (param === null || r.names.instances.has(param) || r.names.variables.has(param)) continue
    if (!new RegExp(`(?<![\\w$])${param.replace(/\$/g, '\\$')}\\s*\\??\\.`).test(text)) continue
    flagChains(fn, param, why, r)
  }
}

function flagChains(fn: Node, param: string, why: string, r: Reading): void {
  for (const links of builderChains(fn, param, r)) {
    const at = links[0].call.callee
    const [from, to] = [locationAt(r.ctx, at.start).line, locationAt(r.ctx, links[links.length - 1].call.end).line]
    // Already said for any table there (the Kysely reader reads a helper's `where` too).
    if (r.ctx.unresolved.some(u => u.anyTable && u.line >= from && u.line <= to)) continue
    const key = `unknown|${at.start}`
    if (r.given.has(key)) continue
    r.given.add(key)
    addUnresolved(r.ctx, at.start, `${snippet(r.ctx, links[links.length - 1].call)}: the knex builder ${param} is handed in (${why}), its table is not known`, true)
  }
}

/** A knex builder handed to a function: a chain, a variable holding one, a call of a function returning one (`this.base()`). */
function knexArgument(arg: Node, r: Reading): { chain: Chain | null; held: KnexQuery | null } | null {
  const n = unwrap(arg)
  const held = r.names.variables.get(identifierName(n) ?? '') ?? null
  if (held) return { chain: null, held }
  if (n.type !== 'CallExpression' || r.ctx.done.has(n)) return null
  const chain = chainOf(n, r.names, QUERY_METHODS)
  if (chain) return { chain, held: null }
  const returned = returnedQuery(n, r)
  return returned ? { chain: null, held: returned } : null
}

/**
 * The query a call of a function of the file returns (`baseQuery()`, `this.base()`), read for its tables
 * only: its records are given where the function is declared.
 */
function returnedQuery(call: CallExpression, r: Reading): KnexQuery | null {
  const callee = unwrap(call.callee)
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && unwrap(callee.object).type === 'ThisExpression' ? propertyName(callee) : null
  const fn = name === null ? undefined : r.ctx.functions.get(name)
  const returned = fn ? returnedExpressions(fn).map(unwrap).find(e => e.type === 'CallExpression' && chainOf(e, r.names, QUERY_METHODS) !== null) : undefined
  if (!returned) return null
  const scratch: Reading = { ctx: { ...r.ctx, usages: [], unresolved: [], inserts: [], done: new Set() }, names: r.names, given: new Set() }
  return readQuery([chainOf(returned, r.names, QUERY_METHODS)!], newQuery(null, true), scratch)
}

/**
 * A call of a function of the file (`applyFilters(db('users'), f)`, `this.scoped(q)`, then maybe more
 * links): with a knex builder argument, the function's chains on that parameter and the links after the
 * call are read as one query with it. Without one, a function only this file calls that uses a parameter
 * as a builder has it unresolved here; a function that returns a query is continued by the links after it.
 */
export function readHelperCall(call: CallExpression, fn: Node, rest: readonly MethodCall[], r: Reading, helpers: FileFunctions): boolean {
  const params = paramNames(fn)
  const index = (call.arguments as Node[]).findIndex(arg => arg.type !== 'SpreadElement' && knexArgument(arg, r) !== null)
  if (index < 0) {
    const why = `a call at line ${locationAt(r.ctx, call.start).line} hands it no builder the reader knows`
    if (helpers.localOnly.has(fn)) for (const param of params) if (param !== null) flagChains(fn, param, why, r)
    // `baseQuery().where(…)`: the links after the call continue the query it returns.
    const returned = rest.length ? returnedQuery(call, r) : null
    if (!returned) return false
    readQuery([{ root: null, links: rest }], forkQuery(returned), r)
    r.ctx.done.add(call)
    return true
  }
  const { chain, held } = knexArgument(call.arguments[index] as Node, r)!
  const param = params[index]
  const inner = param === null || param === undefined ? [] : chainsOn(bodyOf(fn), param, false)
  const chains: Chain[] = [...(chain ? [chain] : []), ...inner.map(links => ({ root: null, links })), ...(rest.length ? [{ root: null, links: rest }] : [])]
  readQuery(chains, held ? forkQuery(held) : newQuery(null, true), r)
  r.ctx.done.add(call)
  return true
}
