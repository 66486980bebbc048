// What each link of a knex query names, by knex's method names (issue 13). The `or` / `and` variants
// (`orWhereIn`, `andWhereNot`, `orHaving`, `orOn`) read like the method they prefix. A link the reader
// does not know, with arguments that may name columns, is unresolved for the query's tables.
import { addRows, addUsage, snippet, startInsert } from '../file-context.js'
import { constantText } from '../file-constants.js'
import { identifierName, isFunction, methodOf, returnedExpressions, stringValue, unwrap, type MethodCall, type Node } from '../js-node.js'
import { tablesOf } from '../table-scope.js'
import { EVERY_COLUMN, type UsageKind } from '../usage.js'
import {
  callbackLinks,
  columnRef,
  columnsArg,
  everyColumn,
  handedFunction,
  newQuery,
  readRaw,
  subquery,
  unresolvedIn,
  valuesArg,
  type KnexQuery,
  type Reading,
} from './knex-query.js'

export type LinkHandler = (q: KnexQuery, link: MethodCall, r: Reading) => void

export function linkHandler(name: string): LinkHandler {
  return LINKS.get(baseName(name)) ?? (IGNORED.has(name) ? ignore : unknownLink)
}

/** A method knex's builder has: what a chain on a name known only by its use must be made of. */
export function isQueryMethod(name: string): boolean {
  return LINKS.has(baseName(name)) || IGNORED.has(name)
}

/** A method that only a query builder has among those: one of them makes a chain a query. */
export function isQueryLink(name: string): boolean {
  return LINKS.has(baseName(name)) && !GENERIC.has(name)
}

export const QUERY_METHODS = { isQueryMethod, isQueryLink }

/**
 * A link that makes a function's parameter a builder (`qb.where(…)`): not those a hash, a store or a
 * collection has too (`hash.update(data)`, `store.insert(row)`, `items.count()`).
 */
export function isBuilderLink(name: string): boolean {
  return isQueryLink(name) && !AMBIGUOUS.has(name)
}

const AMBIGUOUS = new Set(['update', 'insert', 'upsert', 'delete', 'truncate', 'count', 'min', 'max', 'sum', 'avg', 'with'])

/** `orWhereNotIn` → `whereNotIn`, `andOn` → `on` (not `orderBy`). */
function baseName(name: string): string {
  const m = /^(?:or|and)([A-Z])(\w*)$/.exec(name)
  return m ? m[1].toLowerCase() + m[2] : name
}

function args(link: MethodCall): Node[] {
  return link.call.arguments as Node[]
}

const ignore: LinkHandler = () => {}

/** An unknown method: its literal or object arguments may name columns the reader cannot place. */
const unknownLink: LinkHandler = (q, link, r) => {
  const named = args(link).some(arg => {
    const n = unwrap(arg)
    return n.type === 'ObjectExpression' || n.type === 'ArrayExpression' || (stringValue(n) !== null && /^[A-Za-z_]/.test(stringValue(n)!))
  })
  if (named) unresolvedIn(q, link.nameNode, `knex .${link.name}(…) is not read: the columns it names are not known`, r)
  for (const arg of args(link)) valuesArg(arg, q, 'select', r)
}

/** `select('a', 'b as c')`, `select(['a'])`, `select({ c: 'a' })`, `column`, `distinct`, `first('a')`, `pluck`; none: every column. */
const selectList: LinkHandler = (q, link, r) => {
  if (args(link).length === 0) {
    if (link.name === 'first') return
    q.selectList = true
    if (q.rows) columnRef('*', link.nameNode.start, q, 'select', r)
    return
  }
  q.selectList = true
  for (const arg of args(link)) columnsArg(arg, q, 'select', r)
}

/** `count('id')`, `count('* as n')`, `count({ n: 'id' })`, `sum('total', { as: 's' })`: `*` is no column here. */
const aggregate: LinkHandler = (q, link, r) => {
  q.selectList = true
  args(link).forEach((arg, i) => {
    const n = unwrap(arg)
    if (i > 0 && n.type === 'ObjectExpression') return
    if (n.type === 'ObjectExpression') {
      for (const p of n.properties) if (p.type !== 'Property' || !isStar(p.value, r)) columnsArg(p.type === 'Property' ? p.value : p, q, 'select', r)
      return
    }
    if (!isStar(n, r)) columnsArg(n, q, 'select', r)
  })
}

function isStar(node: Node, r: Reading): boolean {
  return /^\*(?:\s+as\s+\S+)?$/i.test(constantText(node, r.ctx)?.trim() ?? '')
}

/** `jsonExtract('data', '$.a', 'a')`, `jsonExtract([['data', '$.a'], …])`, `jsonSet('data', …)`: the first is a column. */
const json: LinkHandler = (q, link, r) => {
  q.selectList = true
  const [first] = args(link)
  const n = first ? unwrap(first) : null
  if (n?.type === 'ArrayExpression') {
    for (const element of n.elements) columnsArg(element && element.type !== 'SpreadElement' ? firstElement(element) : undefined, q, 'select', r)
  } else columnsArg(first, q, 'select', r)
}

function firstElement(node: Node): Node | undefined {
  const n = unwrap(node)
  return n.type === 'ArrayExpression' ? ((n.elements[0] as Node | null) ?? undefined) : n
}

/** `where('a', v)`, `where('a', '>', v)`, `where({ a: 1 })`, `where(qb => …)` (grouped), `where(knex.raw(…))`. */
const where: LinkHandler = (q, link, r) => {
  const list = args(link)
  if (list.length === 1) return condition(list[0], q, r)
  columnsArg(list[0], q, 'where', r)
  valuesArg(list[list.length === 2 ? 1 : 2], q, 'where', r)
}

function condition(node: Node, q: KnexQuery, r: Reading): void {
  const n = unwrap(node)
  if (n.type === 'ObjectExpression') return objectCondition(n, q, r)
  if (isFunction(n)) return grouped(n, q, r)
  if (n.type === 'Identifier') {
    const object = r.ctx.objects.get(n.name)
    if (object) return objectCondition(object, q, r)
    const fn = r.ctx.functions.get(n.name)
    if (fn) return grouped(fn, q, r)
    return unresolvedIn(q, n, `where(${n.name}): the columns it compares are not known`, r)
  }
  valuesArg(n, q, 'where', r)
}

/** `where({ email, status: 'on' })`: each key is a column compared. */
function objectCondition(node: Node, q: KnexQuery, r: Reading): void {
  const n = unwrap(node)
  if (n.type !== 'ObjectExpression') return
  for (const p of n.properties) {
    if (p.type !== 'Property' || p.computed) {
      unresolvedIn(q, p, `${snippet(r.ctx, p)}: the columns it compares are not known`, r)
      continue
    }
    const key = identifierName(p.key) ?? stringValue(p.key)
    if (key !== null) columnRef(key, p.key.start, q, 'where', r)
    valuesArg(p.value, q, 'where', r)
  }
}

/** `where(function () { this.where(…).orWhere(…) })`: the callback's links are conditions of the same query. */
function grouped(fn: Node, q: KnexQuery, r: Reading): void {
  for (const chain of callbackLinks(fn, r)) {
    for (const link of chain) {
      r.ctx.done.add(link.call)
      linkHandler(link.name)(q, link, r)
    }
  }
}

/**
 * A column, then values: `whereIn('id', [1, 2])`, `whereIn(['a', 'b'], rows)`, `whereIn('id', db('orders').select('user_id'))`,
 * `whereBetween`, `whereLike`, `whereJsonPath`…; in a join callback `onVal('a', '=', 'x')`, `onIn`, `onNull`, `onBetween`.
 */
const columnThenValues = (kind: UsageKind): LinkHandler => (q, link, r) => {
  const [column, ...rest] = args(link)
  columnsArg(column, q, kind, r)
  for (const value of rest) valuesArg(value, q, kind, r)
}

/** `groupBy('a', 'b')`, `groupBy(['a'])`, a join's `using('id')`: every argument names columns. */
const columnsOnly = (kind: UsageKind): LinkHandler => (q, link, r) => {
  for (const arg of args(link)) columnsArg(arg, q, kind, r)
}

/** `whereExists(function () { this.select('*').from('orders').whereRaw(…) })`: a subquery, its rows unread. */
const exists: LinkHandler = (q, link, r) => {
  for (const arg of args(link)) valuesArg(arg, q, 'where', r)
}

const raw = (kind: UsageKind): LinkHandler => (q, link, r) => {
  const [sql, bindings] = args(link)
  readRaw(sql, bindings, q, kind, r, link.call)
}

/** `orderBy('a')`, `orderBy('a', 'desc')`, `orderBy(['a', { column: 'b', order: 'desc' }])`. */
const orderBy: LinkHandler = (q, link, r) => {
  const [by] = args(link)
  const n = by ? unwrap(by) : null
  if (n?.type !== 'ArrayExpression') return columnsArg(by, q, 'order', r)
  for (const element of n.elements) {
    const e = element && element.type !== 'SpreadElement' ? unwrap(element) : null
    if (e?.type === 'ObjectExpression') {
      for (const p of e.properties) if (p.type === 'Property' && identifierName(p.key) === 'column') columnsArg(p.value, q, 'order', r)
    } else if (e) columnsArg(e, q, 'order', r)
  }
}

/** `join('orders', 'orders.user_id', 'users.id')`, `…, '=', …`, `join('o', { 'o.user_id': 'u.id' })`, `join('o', function () { this.on(…) })`. */
const join: LinkHandler = (q, link, r) => {
  const on = args(link).slice(1)
  if (on.length === 1) return joinCondition(on[0], q, r)
  if (on.length > 0) {
    columnsArg(on[0], q, 'join', r)
    columnsArg(on[on.length - 1], q, 'join', r)
  }
}

function joinCondition(node: Node, q: KnexQuery, r: Reading): void {
  const n = unwrap(node)
  if (isFunction(n)) {
    for (const chain of callbackLinks(n, r)) {
      for (const link of chain) {
        r.ctx.done.add(link.call)
        ;(JOIN_CLAUSE.get(baseName(link.name)) ?? unknownLink)(q, link, r)
      }
    }
  } else if (n.type === 'ObjectExpression') {
    for (const p of n.properties) {
      if (p.type !== 'Property' || p.computed) continue
      const key = identifierName(p.key) ?? stringValue(p.key)
      if (key !== null) columnRef(key, p.key.start, q, 'join', r)
      columnsArg(p.value, q, 'join', r)
    }
  } else columnsArg(n, q, 'join', r)
}

/** `this.on('a', '=', 'b')` or `this.on(function () { … })` in a join callback. */
const on: LinkHandler = (q, link, r) => {
  const list = args(link)
  if (list.length === 1) return joinCondition(list[0], q, r)
  columnsArg(list[0], q, 'join', r)
  columnsArg(list[list.length - 1], q, 'join', r)
}

/** `onJsonPathEquals('a.data', '$.id', 'b.data', '$.id')`. */
const onJsonPath: LinkHandler = (q, link, r) => {
  const [left, , right] = args(link)
  columnsArg(left, q, 'join', r)
  columnsArg(right, q, 'join', r)
}

const JOIN_CLAUSE = new Map<string, LinkHandler>([
  ['on', on],
  ...['onVal', 'onIn', 'onNotIn', 'onNull', 'onNotNull', 'onBetween', 'onNotBetween'].map(name => [name, columnThenValues('join')] as const),
  ['onExists', exists],
  ['onNotExists', exists],
  ['onJsonPathEquals', onJsonPath],
  ['using', columnsOnly('join')],
  ['type', ignore],
])

/** The tables a write goes to: the main tables, not the joined ones. */
function targets(q: KnexQuery): { table: string; node: Node }[] {
  return q.main.flatMap(m => (m.entry.table === null ? [] : [{ table: m.entry.table, node: m.node }]))
}

function written(q: KnexQuery, column: string, kind: UsageKind, offset: number, r: Reading): void {
  const dot = column.lastIndexOf('.')
  const tables = dot > 0 ? (tablesOf(q.level, column.slice(0, dot)) ?? []) : targets(q).map(t => t.table)
  for (const table of tables) addUsage(r.ctx, table, dot > 0 ? column.slice(dot + 1) : column, kind, offset)
}

/** The rows of `insert(…)` / `update(…)`: objects, a list of them, a variable holding one, `items.map(i => ({ … }))`. */
function rowsOf(node: Node, r: Reading): Node[] {
  const n = unwrap(node)
  if (n.type === 'ArrayExpression') return n.elements.flatMap(e => (e ? rowsOf(e.type === 'SpreadElement' ? e.argument : e, r) : []))
  const method = methodOf(n)
  const [fn] = (method?.name === 'map' ? method.call.arguments : []) as Node[]
  if (fn && isFunction(fn)) return returnedExpressions(fn).map(unwrap)
  return [r.ctx.objects.get(identifierName(n) ?? '') ?? n]
}

/** The keys of one row, each written; a spread or a row that is no object literal writes columns not known. */
function writtenKeys(row: Node, q: KnexQuery, kind: 'insert' | 'update', r: Reading): { columns: string[]; known: boolean } {
  if (row.type !== 'ObjectExpression') {
    for (const t of targets(q)) addUsage(r.ctx, t.table, EVERY_COLUMN, kind, row.start)
    valuesArg(row, q, 'select', r)
    return { columns: [], known: false }
  }
  const columns: string[] = []
  let known = true
  for (const p of row.properties) {
    const key = p.type === 'Property' && !p.computed ? (identifierName(p.key) ?? stringValue(p.key)) : null
    valuesArg(p.type === 'Property' ? p.value : p.argument, q, 'select', r)
    if (p.type !== 'Property' || key === null) {
      for (const t of targets(q)) addUsage(r.ctx, t.table, EVERY_COLUMN, kind, p.start)
      known = false
    } else if (identifierName(p.value) !== 'undefined') {
      // knex leaves a key whose value is `undefined` out of the row.
      columns.push(key)
      written(q, key, kind, p.key.start, r)
    }
  }
  return { columns, known }
}

/** `insert(row | rows, returning?)`, `upsert(…)`: the keys every row sets, kept as the statement's INSERT. */
const insert: LinkHandler = (q, link, r) => {
  const [rows, returning] = args(link)
  const written = rows ? rowsOf(rows, r).map(row => writtenKeys(row, q, 'insert', r)) : []
  q.inserted = { columns: [...new Set(written.flatMap(w => w.columns))], known: written.every(w => w.known) }
  const [target] = targets(q)
  if (target && rows) addRows(startInsert(r.ctx, target.table, target.node.start), written)
  if (returning) columnsArg(returning, q, 'returning', r)
  if (link.name === 'upsert') mergeInserted(q, link, r)
}

/** `update({ a: 1 }, returning?)`, `update('a', 1, returning?)`. */
const update: LinkHandler = (q, link, r) => {
  const [first, second, third] = args(link)
  const column = constantText(first, r.ctx)
  if (column !== null && second !== undefined) {
    written(q, column, 'update', unwrap(first).start, r)
    valuesArg(second, q, 'select', r)
    if (third) columnsArg(third, q, 'returning', r)
    return
  }
  for (const row of first ? rowsOf(first, r) : []) writtenKeys(row, q, 'update', r)
  if (second) columnsArg(second, q, 'returning', r)
}

/** `increment('logins', 1)`, `increment({ logins: 1, points: 5 })`. */
const increment: LinkHandler = (q, link, r) => {
  const [first, amount] = args(link)
  const column = constantText(first, r.ctx)
  if (column !== null) written(q, column, 'update', unwrap(first).start, r)
  else if (first) writtenKeys(rowsOf(first, r)[0], q, 'update', r)
  valuesArg(amount, q, 'select', r)
}

/** `del()` / `delete()` / `truncate()`: the table only; `del(['id'])` returns columns. */
const del: LinkHandler = (q, link, r) => {
  const [returning] = args(link)
  if (returning && link.name !== 'truncate') columnsArg(returning, q, 'returning', r)
}

const returning: LinkHandler = (q, link, r) => {
  const [columns] = args(link)
  const text = constantText(columns, r.ctx)
  if (text?.trim() === '*') return everyColumn(targets(q).map(t => t.table), 'returning', unwrap(columns).start, r)
  columnsArg(columns, q, 'returning', r)
}

/** `onConflict('email')`, `onConflict(['a', 'b'])`: the conflict target, read as the INSERT's. */
const onConflict: LinkHandler = (q, link, r) => {
  for (const arg of args(link)) columnsArg(arg, q, 'insert', r)
}

/** `merge()` updates every inserted column; `merge(['a'])` those; `merge({ a: … })` its keys. */
const merge: LinkHandler = (q, link, r) => {
  const [first] = args(link)
  if (!first) return mergeInserted(q, link, r)
  const n = unwrap(first)
  if (n.type === 'ArrayExpression' || constantText(n, r.ctx) !== null) columnsArg(n, q, 'update', r)
  else for (const row of rowsOf(n, r)) writtenKeys(row, q, 'update', r)
}

function mergeInserted(q: KnexQuery, link: MethodCall, r: Reading): void {
  const inserted = q.inserted ?? { columns: [], known: false }
  for (const column of inserted.columns) written(q, column, 'update', link.nameNode.start, r)
  if (!inserted.known) for (const t of targets(q)) addUsage(r.ctx, t.table, EVERY_COLUMN, 'update', link.nameNode.start)
}

/** `with('recent', qb => …)`, `with('recent', ['id'], db('orders')…)`, `with('x', knex.raw('select …'))`: a query of its own. */
const withQuery: LinkHandler = (q, link, r) => {
  const body = args(link)[args(link).length - 1]
  if (!body || args(link).length < 2) return
  const outer = newQuery(q.level.parent, true)
  if (!subquery(body, outer, true, r) && !rawStatement(body, r)) unresolvedIn(q, body, `${snippet(r.ctx, body)}: a CTE built elsewhere`, r)
}

/** `union(function () { … })`, `union([a, b])`, `unionAll(db('b').select('id'))`: queries of their own. */
const union: LinkHandler = (q, link, r) => {
  const [first] = args(link)
  const n = first ? unwrap(first) : null
  const parts = n?.type === 'ArrayExpression' ? n.elements.flatMap(e => (e && e.type !== 'SpreadElement' ? [e as Node] : [])) : n ? [n] : []
  const outer = newQuery(q.level.parent, true)
  for (const part of parts) {
    if (!subquery(part, outer, true, r) && !rawStatement(part, r) && !r.names.variables.has(identifierName(part) ?? '')) {
      unresolvedIn(q, part, `${snippet(r.ctx, part)}: a query built elsewhere`, r)
    }
  }
}

function rawStatement(node: Node, r: Reading): boolean {
  const method = methodOf(node)
  if (method?.name !== 'raw') return false
  r.ctx.done.add(method.call)
  const [sql, bindings] = args(method)
  readRaw(sql, bindings, null, 'select', r, method.call)
  return true
}

/** `modify(fn)` with a function from elsewhere (one of the file is read as the query's own links). */
const modify: LinkHandler = (q, link, r) => {
  const [fn, ...rest] = args(link)
  if (fn && !handedFunction(fn, r)) unresolvedIn(q, fn, `modify(${snippet(r.ctx, fn)}): what the function adds to the query is not read`, r)
  for (const arg of rest) valuesArg(arg, q, 'select', r)
}

/** Links that name no column (tables, `from` / `join` first arguments, are read before the links). */
const IGNORED = new Set([
  'from', 'table', 'into', 'as', 'clone', 'withSchema', 'transacting', 'timeout', 'limit', 'offset', 'forUpdate',
  'forShare', 'forNoKeyUpdate', 'forKeyShare', 'skipLocked', 'noWait', 'debug', 'options', 'connection', 'toSQL',
  'toString', 'toQuery', 'then', 'catch', 'finally', 'asCallback', 'stream', 'pipe', 'queryContext', 'hintComment',
  'comment', 'clear', 'clearSelect', 'clearWhere', 'clearGroup', 'clearOrder', 'clearHaving', 'clearCounters',
  'ignore', 'on', 'columnInfo', 'queryBuilder', 'updateFrom', 'crossJoin',
])

/** Links a builder shares with other common objects (arrays, jQuery-like wrappers): no proof of a query alone. */
const GENERIC = new Set(['first', 'join', 'merge', 'modify', 'union'])

// A Map, not an object literal: a method named `toString` or `constructor` must not find a handler.
const LINKS = new Map<string, LinkHandler>([
  ...['select', 'column', 'columns', 'distinct', 'first', 'pluck'].map(name => [name, selectList] as const),
  ['distinctOn', (q, link, r) => args(link).forEach(arg => columnsArg(arg, q, 'select', r))],
  ...['count', 'countDistinct', 'min', 'max', 'sum', 'sumDistinct', 'avg', 'avgDistinct'].map(name => [name, aggregate] as const),
  ...['jsonExtract', 'jsonSet', 'jsonInsert', 'jsonRemove'].map(name => [name, json] as const),
  ...['where', 'whereNot', 'having', 'havingNot'].map(name => [name, where] as const),
  ...['whereIn', 'whereNotIn', 'havingIn', 'havingNotIn', 'whereNull', 'whereNotNull', 'havingNull', 'havingNotNull'].map(name => [name, columnThenValues('where')] as const),
  ...['whereBetween', 'whereNotBetween', 'havingBetween', 'havingNotBetween', 'whereLike', 'whereILike'].map(name => [name, columnThenValues('where')] as const),
  ...['whereJsonObject', 'whereJsonPath', 'whereJsonSupersetOf', 'whereJsonNotSupersetOf', 'whereJsonSubsetOf', 'whereJsonNotSubsetOf'].map(
    name => [name, columnThenValues('where')] as const,
  ),
  ...['whereExists', 'whereNotExists', 'havingExists', 'havingNotExists'].map(name => [name, exists] as const),
  ['whereRaw', raw('where')],
  ['havingRaw', raw('where')],
  ['orderBy', orderBy],
  ['orderByRaw', raw('order')],
  ['groupBy', columnsOnly('group')],
  ['groupByRaw', raw('group')],
  ...['join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'outerJoin'].map(name => [name, join] as const),
  ['joinRaw', (q, link, r) => unresolvedIn(q, link.nameNode, `knex .joinRaw(…) is not read: the table and columns it joins are not known`, r)],
  ['insert', insert],
  ['upsert', insert],
  ['update', update],
  ['increment', increment],
  ['decrement', increment],
  ['del', del],
  ['delete', del],
  ['truncate', del],
  ['returning', returning],
  ['onConflict', onConflict],
  ['merge', merge],
  ...['with', 'withRecursive', 'withMaterialized', 'withNotMaterialized'].map(name => [name, withQuery] as const),
  ...['union', 'unionAll', 'intersect', 'except'].map(name => [name, union] as const),
  ['modify', modify],
])
