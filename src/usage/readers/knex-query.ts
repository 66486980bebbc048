// One knex query, read in three passes over all of its links: knex builds one statement whatever the
// order of the calls (`db.select('email').from('users')` names its table last, `withSchema` may come
// after it). First the schema and the CTE names, then the tables (the root's, `from` / `into` / `table`,
// the joins) and the kind of statement, then what each link names, read with every table of the query
// in scope. A query with no select list selects every column (`select *`) when its rows reach the app.
import { addUnresolved, addUnresolvedOn, addUsage, snippet, type FileContext } from '../file-context.js'
import { parseColumnRef, parseTableRef } from '../column-ref.js'
import { constantText } from '../file-constants.js'
import { forEachChild, identifierName, isFunction, methodOf, receiverOf, stringValue, unwrap, type MethodCall, type Node } from '../js-node.js'
import { childScope, innermostTables, isCte, normalizeTable, tablesOf, type Scope, type TableEntry } from '../table-scope.js'
import { EVERY_COLUMN, TABLE_ONLY, type UsageKind } from '../usage.js'
import { readKnexRaw } from './knex-raw.js'
import { callbackChains, chainOf, isInstance, type Chain, type KnexNames } from './knex-names.js'
import { linkHandler, QUERY_METHODS } from './knex-links.js'

export type Statement = 'select' | 'insert' | 'update' | 'delete'

/** One query level, as the SQL readers' scope; its entries grow while the tables are read. */
interface Level extends Scope {
  readonly entries: TableEntry[]
  readonly ctes: string[]
}

/** A table the query names, and where: its TABLE_ONLY record goes there. */
interface Named {
  readonly entry: TableEntry
  readonly node: Node
}

export interface KnexQuery {
  readonly level: Level
  /** FROM / INTO / the UPDATE or DELETE target. */
  readonly main: Named[]
  readonly joined: Named[]
  statement: Statement
  schema: string | null
  /** A select list was given (`select`, `first('a')`, `pluck`, `count`…): no implicit `select *`. */
  selectList: boolean
  /** Its rows reach the app (not those of a `whereExists` or `whereIn` subquery): `select *` reads every column. */
  readonly rows: boolean
  /** What its INSERT rows set, for `merge()` with no argument. */
  inserted: { columns: string[]; known: boolean } | null
  /** `.as('o')`: the name a derived table or a subquery column goes by. */
  alias: string | null
}

export interface Reading {
  readonly ctx: FileContext
  readonly names: KnexNames
  /** Records of `select *` already given, by place: two chains of one query state it once. */
  readonly given: Set<string>
}

export function newQuery(outer: Scope | null, rows: boolean): KnexQuery {
  const level: Level = { ...childScope(outer), entries: [], ctes: [] }
  return { level, main: [], joined: [], statement: 'select', schema: null, selectList: false, rows, inserted: null, alias: null }
}

/** A query that continues `base` (a `clone()`, a builder a function returns): its tables, none of its records. */
export function forkQuery(base: KnexQuery): KnexQuery {
  const level: Level = { ...base.level, entries: [...base.level.entries], ctes: [...base.level.ctes] }
  return { ...base, level, main: [...base.main], joined: [...base.joined], inserted: base.inserted }
}

const WITHS = new Set(['with', 'withRecursive', 'withMaterialized', 'withNotMaterialized'])
const MAIN_TABLE = new Set(['from', 'table', 'into'])
// A Map, not an object literal: a method named `toString` must not find a statement.
const STATEMENTS = new Map<string, Statement>([
  ['insert', 'insert'],
  ['upsert', 'insert'],
  ['update', 'update'],
  ['increment', 'update'],
  ['decrement', 'update'],
  ['del', 'delete'],
  ['delete', 'delete'],
  ['truncate', 'delete'],
])
const JOINS = new Set([
  'join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'outerJoin', 'crossJoin',
])

/**
 * Reads the chains of one query into `q` (new, or forked from the query they continue): the tables they
 * name, then their links. Records only what these chains say.
 */
export function readQuery(chains: readonly Chain[], q: KnexQuery, r: Reading): KnexQuery {
  const links = chains.flatMap(chain => expandModify(chain.links, r))
  for (const chain of chains) if (chain.root) r.ctx.done.add(chain.root)
  for (const link of links) r.ctx.done.add(link.call)
  for (const link of links) {
    const first = stringValue(link.call.arguments[0] as Node | undefined)
    if (link.name === 'withSchema' && first !== null) q.schema = first
    if (WITHS.has(link.name) && first !== null) q.level.ctes.push(first)
  }
  const named: { main: boolean; at: Named }[] = []
  const name = (node: Node | undefined, main: boolean) => {
    for (const at of node ? tableArg(node, q, r) : []) {
      q.level.entries.push(at.entry)
      ;(main ? q.main : q.joined).push(at)
      named.push({ main, at })
    }
  }
  for (const chain of chains) name(chain.root?.arguments[0] as Node | undefined, true)
  for (const link of links) {
    if (MAIN_TABLE.has(link.name)) name(link.call.arguments[0] as Node | undefined, true)
    else if (JOINS.has(link.name) || link.name === 'updateFrom') name(link.call.arguments[0] as Node | undefined, false)
    else if (STATEMENTS.has(link.name)) q.statement = STATEMENTS.get(link.name)!
    else if (link.name === 'as') q.alias = stringValue(link.call.arguments[0] as Node | undefined) ?? q.alias
  }
  for (const { main, at } of named) {
    if (at.entry.table !== null) addUsage(r.ctx, at.entry.table, TABLE_ONLY, main ? q.statement : 'join', at.node.start)
  }
  for (const link of links) linkHandler(link.name)(q, link, r)
  if (q.statement === 'select' && !q.selectList && q.rows) {
    const at = q.main[0]?.node ?? chains[0]?.root ?? links[0]?.nameNode
    if (at) everyColumn(innermostTables(q.level), 'selectAll', at.start, r)
  }
  return q
}

/**
 * `modify(qb => qb.where(…))`, `modify(function () { this.where(…) })`, `modify(notDeleted)` with a
 * function of the file: the callback's links are the query's.
 */
function expandModify(links: readonly MethodCall[], r: Reading, inside: ReadonlySet<Node> = new Set()): MethodCall[] {
  if (!links.some(link => link.name === 'modify')) return [...links]
  return links.flatMap(link => {
    const fn = link.name === 'modify' ? handedFunction(link.call.arguments[0] as Node | undefined, r) : null
    // A modifier that modifies with itself is read once.
    if (!fn || inside.has(fn)) return [link]
    return [link, ...callbackLinks(fn, r).flatMap(chain => expandModify(chain, r, new Set([...inside, fn])))]
  })
}

/** A function handed to a link: written there, or a function of the file named there. */
export function handedFunction(node: Node | undefined, r: Reading): Node | null {
  if (!node) return null
  const n = unwrap(node)
  if (isFunction(n)) return n
  return r.ctx.functions.get(identifierName(n) ?? '') ?? null
}

/**
 * The chains a callback runs on the builder it is handed. One written in place is the query's own:
 * the walk does not take it for a function handed a builder from elsewhere.
 */
export function callbackLinks(fn: Node, r: Reading): MethodCall[][] {
  if (isFunction(fn)) r.ctx.done.add(unwrap(fn))
  return callbackChains(fn)
}

/**
 * The tables a table argument names: `'users'`, `'users as u'`, `'audit.events'`, a constant,
 * `{ u: 'users' }`, a subquery (`db('orders').as('o')`, a callback). A computed name is unresolved,
 * for any table.
 */
function tableArg(node: Node, q: KnexQuery, r: Reading): Named[] {
  const n = unwrap(node)
  const text = constantText(n, r.ctx)
  if (text !== null) return literalTable(text, n, q, r)
  if (n.type === 'ObjectExpression') {
    return n.properties.flatMap(p => {
      if (p.type !== 'Property' || p.computed) return dynamicTable(p, r)
      const alias = identifierName(p.key) ?? stringValue(p.key)
      const value = constantText(p.value, r.ctx)
      if (value !== null && alias !== null) return literalTable(`${value} as ${alias}`, unwrap(p.value), q, r)
      const sub = subquery(p.value, q, true, r)
      return sub ? [{ entry: { name: alias ?? '?', table: null }, node: p }] : dynamicTable(p.value, r)
    })
  }
  const sub = subquery(n, q, true, r)
  if (sub) return [{ entry: { name: sub.alias ?? '?', table: null }, node: n }]
  const alias = r.names.derived.get(identifierName(n) ?? '')
  if (alias !== undefined) return [{ entry: { name: alias, table: null }, node: n }]
  return dynamicTable(n, r)
}

function literalTable(text: string, node: Node, q: KnexQuery, r: Reading): Named[] {
  const ref = parseTableRef(text)
  if (!ref) {
    addUnresolved(r.ctx, node.start, `not a table name: '${text}'`, true)
    return []
  }
  const name = ref.alias ?? ref.table
  if (!ref.table.includes('.') && isCte(q.level, ref.table)) return [{ entry: { name, table: null }, node }]
  const table = normalizeTable(q.schema && !ref.table.includes('.') ? `${q.schema}.${ref.table}` : ref.table)
  return [{ entry: { name, table }, node }]
}

function dynamicTable(node: Node, r: Reading): Named[] {
  addUnresolved(r.ctx, node.start, `a knex query on a table chosen at run time: ${snippet(r.ctx, node)}`, true)
  return [{ entry: { name: '?', table: null }, node }]
}

/** The query's own tables (not its CTEs or derived tables). */
export function queryTables(q: KnexQuery): string[] {
  return [...new Set(q.level.entries.flatMap(e => (e.table === null ? [] : [e.table])))]
}

/** Something the reader cannot read in `q`: unresolved for each of its tables (for any table when it has none). */
export function unresolvedIn(q: KnexQuery, node: Node, reason: string, r: Reading): void {
  const tables = queryTables(q)
  if (tables.length === 0) return addUnresolved(r.ctx, node.start, reason, true)
  for (const table of tables) addUnresolvedOn(r.ctx, node.start, reason, table)
}

export function everyColumn(tables: readonly string[], kind: UsageKind, offset: number, r: Reading): void {
  for (const table of tables) {
    const key = `${table}|${kind}|${offset}`
    if (r.given.has(key)) continue
    r.given.add(key)
    addUsage(r.ctx, table, EVERY_COLUMN, kind, offset)
  }
}

/** `'email'`, `'u.email as mail'`, `'created_at desc'`, `'*'`, `'u.*'`: the columns of the query's tables it names. */
export function columnRef(text: string, offset: number, q: KnexQuery, kind: UsageKind, r: Reading): void {
  const trimmed = text.trim()
  const star = trimmed === '*' ? { qualifier: null, column: EVERY_COLUMN } : null
  const ref = star ?? parseColumnRef(trimmed)
  if (!ref) return
  if (ref.column === EVERY_COLUMN) {
    // `select *` in a subquery whose rows the app never sees (`whereExists`) reads no column.
    if (!q.rows && kind === 'select') return
    const tables = ref.qualifier === null ? innermostTables(q.level) : (tablesOf(q.level, ref.qualifier) ?? [])
    return everyColumn(tables, kind === 'select' ? 'selectAll' : kind, offset, r)
  }
  for (const table of tablesOf(q.level, ref.qualifier) ?? []) addUsage(r.ctx, table, ref.column, kind, offset)
}

/**
 * An argument where knex takes column names: a string or constant, a list of them (a literal or a
 * constant array), `{ alias: 'column' }`, `knex.ref('…')`, `knex.raw('…')`, a subquery. Another
 * variable is unresolved: the columns it holds are not known.
 */
export function columnsArg(node: Node | undefined, q: KnexQuery, kind: UsageKind, r: Reading): void {
  if (!node) return
  const n = unwrap(node)
  const text = constantText(n, r.ctx)
  if (text !== null) return columnRef(text, n.start, q, kind, r)
  switch (n.type) {
    case 'ArrayExpression':
      for (const element of n.elements) {
        if (element?.type === 'SpreadElement') columnsArg(element.argument, q, kind, r)
        else if (element) columnsArg(element, q, kind, r)
      }
      return
    case 'ObjectExpression':
      for (const p of n.properties) {
        if (p.type === 'Property') columnsArg(p.value, q, kind, r)
        else unresolvedIn(q, p, `${snippet(r.ctx, p)}: the columns it names are not known`, r)
      }
      return
    case 'Identifier': {
      const array = r.names.arrays.get(n.name)
      if (array) return columnsArg(array, q, kind, r)
      if (r.names.variables.has(n.name)) return
      return unresolvedIn(q, n, `the columns of ${n.name} are not known`, r)
    }
    default:
      valuesArg(n, q, kind, r)
  }
}

/** A value: only what knex reads in it counts — `knex.raw`, `knex.ref`, a subquery (its rows are not returned). */
export function valuesArg(node: Node | undefined, q: KnexQuery, kind: UsageKind, r: Reading): void {
  if (!node) return
  const stack = [unwrap(node)]
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (r.ctx.done.has(n)) continue
    if (isFunction(n)) {
      subquery(n, q, false, r)
      continue
    }
    if (n.type === 'CallExpression' && (helperCall(n, q, kind, r) || subquery(n, q, false, r))) continue
    const children: Node[] = []
    forEachChild(n, child => children.push(unwrap(child)))
    while (children.length) stack.push(children.pop() as Node)
  }
}

/** `knex.raw('…', bindings)` (SQL in the query's scope) and `knex.ref('t.c')` (a column): true when it is one. */
function helperCall(call: Node, q: KnexQuery | null, kind: UsageKind, r: Reading): boolean {
  const method = methodOf(call)
  if (!method || (method.name !== 'raw' && method.name !== 'ref') || !isKnexObject(receiverOf(method.call), r)) return false
  r.ctx.done.add(method.call)
  const [first, second] = method.call.arguments as Node[]
  if (method.name === 'ref') {
    const text = constantText(first, r.ctx)
    const reason = `${snippet(r.ctx, call)}: the column is chosen at run time`
    if (text !== null && q) columnRef(text, unwrap(first).start, q, kind, r)
    else if (text !== null) standaloneRef(text, unwrap(first).start, r)
    else if (first && q) unresolvedIn(q, first, reason, r)
    else if (first) addUnresolved(r.ctx, first.start, reason, true)
    return true
  }
  readRaw(first, second, q, kind, r, call)
  return true
}

/** `knex.ref('users.email')` outside a query: only a qualified name says its table. */
function standaloneRef(text: string, offset: number, r: Reading): void {
  const ref = parseColumnRef(text)
  if (ref?.qualifier) addUsage(r.ctx, normalizeTable(ref.qualifier), ref.column, 'select', offset)
}

/**
 * SQL knex sends as it is written: a statement alone (`knex.raw('select …')`), a fragment in a query
 * (`whereRaw('lower(email) = ?', [x])`), read in its scope. What does not parse is unresolved for the
 * query's tables; SQL that is not literal text is unresolved too.
 */
export function readRaw(sql: Node | undefined, bindings: Node | undefined, q: KnexQuery | null, kind: UsageKind, r: Reading, at: Node): void {
  const before = r.ctx.unresolved.length
  const env = { ctx: r.ctx, scope: q?.level ?? null, kind }
  const unknown = (node: Node, reason: string) => (q ? unresolvedIn(q, node, reason, r) : addUnresolved(r.ctx, node.start, reason, true))
  if (!sql || !readKnexRaw(sql, bindings, env, 'statement-or-fragment', unknown)) {
    const reason = `${snippet(r.ctx, at)}: SQL built at run time`
    if (q) unresolvedIn(q, sql ?? at, reason, r)
    else addUnresolved(r.ctx, (sql ?? at).start, reason)
    return
  }
  // The SQL reader says what does not parse for no table: here the tables are known.
  if (!q || queryTables(q).length === 0) return
  for (const u of r.ctx.unresolved.splice(before)) {
    if (u.anyTable || u.table !== undefined) r.ctx.unresolved.push(u)
    else for (const table of queryTables(q)) r.ctx.unresolved.push({ ...u, table })
  }
}

/** `db`, `this.db`, `trx`: where `raw` and `ref` come from (a name the file imports counts here, inside a query). */
function isKnexObject(node: Node, r: Reading): boolean {
  const n = unwrap(node)
  return isInstance(n, r.names) || r.names.local.has(identifierName(n) ?? '') || r.names.factories.has(identifierName(n) ?? '')
}

/**
 * A subquery where knex takes one: a chain (`db('orders').select('user_id')`), a callback (`function () {
 * this.select('id').from('orders') }`, `qb => qb…`), with `q`'s tables as its outer scope. Null when
 * `node` is neither.
 */
export function subquery(node: Node, q: KnexQuery, rows: boolean, r: Reading): KnexQuery | null {
  const n = unwrap(node)
  const fn = isFunction(n) || n.type === 'Identifier' ? handedFunction(n, r) : null
  if (fn) return readQuery(callbackLinks(fn, r).map(links => ({ root: null, links })), newQuery(q.level, rows), r)
  if (n.type !== 'CallExpression' || r.ctx.done.has(n)) return null
  const chain = chainOf(n, r.names, QUERY_METHODS)
  return chain ? readQuery([chain], newQuery(q.level, rows), r) : null
}

