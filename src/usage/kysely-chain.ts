// Kysely query builders: a chain from `selectFrom` / `insertInto` / `updateTable` / `deleteFrom` (on any
// receiver), read link by link, so that each column reference is read with the tables in scope at
// that point (joins add tables; `$if` / `$call` callbacks continue the chain).
import { parseColumnRef, parseTableRef } from './column-ref.js'
import { addRows, addUnresolved, addUsage, snippet, startInsert, type FileContext } from './file-context.js'
import { collectRefs, refUsage, type RefEnv } from './expression-refs.js'
import {
  firstParamName,
  identifierName,
  isFunction,
  methodOf,
  receiverOf,
  returnedExpressions,
  stringValue,
  unrollChain,
  unwrap,
  type MethodCall,
  type Node,
} from './js-node.js'
import type { QueryRoot, QueryState } from './query-state.js'
import { functionQuery } from './query-functions.js'
import { isSqlTag, readSqlTemplate } from './raw-sql.js'
import { childScope, innermostTables, isCte, normalizeTable, tablesOf, withCtes, withEntries, type Scope, type TableEntry } from './table-scope.js'
import { EVERY_COLUMN, TABLE_ONLY, type UsageKind } from './usage.js'

const ROOTS = new Map<string, QueryRoot>([
  ['selectFrom', 'select'],
  ['insertInto', 'insert'],
  ['updateTable', 'update'],
  ['deleteFrom', 'delete'],
])

const JOINS = new Set([
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'crossJoin',
  'innerJoinLateral',
  'leftJoinLateral',
  'crossJoinLateral',
])

type Handler = (state: QueryState, link: MethodCall, ctx: FileContext) => QueryState

/**
 * Reads the query chain ending at `node`: one that starts at a root method, or one that continues a
 * builder held in a variable. `outer`: the enclosing query, for subqueries. Null when `node` is not one.
 */
export function readChain(node: Node, ctx: FileContext, outer: Scope | null): QueryState | null {
  const { base, calls } = unrollChain(node)
  const rootAt = findLastIndex(calls, link => ROOTS.has(link.name))
  let state: QueryState
  let rest: MethodCall[]
  if (rootAt >= 0) {
    state = startQuery(calls.slice(0, rootAt), calls[rootAt], ctx, outer)
    rest = calls.slice(rootAt + 1)
  } else {
    const continued = continuedQuery(base, calls, ctx)
    if (!continued) return null
    ;({ state, rest } = continued)
  }
  for (const link of calls) ctx.done.add(link.call)
  return applyLinks(state, rest, ctx)
}

/**
 * A chain that continues a query started elsewhere in the file: a variable holding a builder
 * (`q.where(…)`), a function returning one (`reportQuery(db).where(…)`), or a method of the
 * class (`this.baseQuery().where(…)`).
 */
function continuedQuery(base: Node, calls: MethodCall[], ctx: FileContext): { state: QueryState; rest: MethodCall[] } | null {
  const variable = ctx.builders.get(identifierName(base) ?? '')
  if (variable && calls.length > 0) return { state: variable, rest: calls }
  if (base.type === 'CallExpression') {
    const fn = identifierName(base.callee)
    const state = fn === null ? null : functionQuery(fn, ctx)
    if (state) return { state, rest: calls }
  }
  const first = calls[0]
  if (first && unwrap(receiverOf(first.call)).type === 'ThisExpression') {
    const state = functionQuery(first.name, ctx)
    if (state) return { state, rest: calls.slice(1) }
  }
  return null
}

function applyLinks(state: QueryState, links: readonly MethodCall[], ctx: FileContext): QueryState {
  let current = state
  for (const link of links) current = (HANDLERS.get(link.name) ?? otherMethod)(current, link, ctx)
  return current
}

/** `db.withSchema('s').with('recent', …).selectFrom('person as p')` → the query's first state. */
function startQuery(prefix: MethodCall[], root: MethodCall, ctx: FileContext, outer: Scope | null): QueryState {
  let schema: string | null = null
  const ctes: string[] = []
  for (const link of prefix) {
    const first = stringValue(link.call.arguments[0] as Node | undefined)
    if (link.name === 'withSchema' && first) schema = first
    if ((link.name === 'with' || link.name === 'withRecursive') && first) ctes.push(first.split('(')[0].trim())
  }
  const kind = ROOTS.get(root.name) ?? 'select'
  const scope = withCtes(childScope(outer), ctes)
  const entries = (root.call.arguments as Node[]).flatMap(arg => tableEntries(arg, ctx, scope, schema, kind))
  const targets = entries.flatMap(e => (e.table === null ? [] : [e.table]))
  const insert = kind === 'insert' && targets[0] ? startInsert(ctx, targets[0], root.call.arguments[0].start) : null
  return { root: kind, scope: withEntries(scope, entries), targets: kind === 'select' ? [] : targets, insert }
}

/**
 * The tables a `selectFrom` / join / `using` argument names, each reported as used. A name that is
 * not a literal cannot be resolved: it is said, and its columns are not attributed.
 */
function tableEntries(node: Node, ctx: FileContext, scope: Scope, schema: string | null, kind: UsageKind): TableEntry[] {
  const n = unwrap(node)
  const variable = identifierName(n)
  const derived = variable === null ? undefined : ctx.derivedTables.get(variable)
  if (derived !== undefined) return [{ name: derived, table: null }]
  const text = stringValue(n) ?? (variable === null ? undefined : ctx.constants.get(variable)) ?? null
  if (text !== null) return literalTable(text, n, ctx, scope, schema, kind)
  if (n.type === 'ArrayExpression') {
    return n.elements.flatMap(e => (e && e.type !== 'SpreadElement' ? tableEntries(e, ctx, scope, schema, kind) : []))
  }
  if (n.type === 'ConditionalExpression') {
    return [...tableEntries(n.consequent, ctx, scope, schema, kind), ...tableEntries(n.alternate, ctx, scope, schema, kind)]
  }
  if (isFunction(n)) return returnedExpressions(n).flatMap(e => tableEntries(e, ctx, scope, schema, kind))
  const aliased = methodOf(n)
  if (aliased?.name === 'as') {
    // `selectFrom(db.selectFrom('pet').select('name').as('p'))`: a derived table named `p`;
    // `values.as(sql\`pair (source, target)\`)`: one whose alias is SQL, not a query to read.
    const [alias] = aliased.call.arguments as Node[]
    if (alias) ctx.done.add(unwrap(alias))
    subquery(receiverOf(aliased.call), ctx, scope)
    ctx.done.add(aliased.call)
    return [{ name: stringValue(alias) ?? '?', table: null }]
  }
  addUnresolved(ctx, n.start, `table name is not a string literal: ${snippet(ctx, n)}`)
  return [{ name: '?', table: null }]
}

function literalTable(text: string, node: Node, ctx: FileContext, scope: Scope, schema: string | null, kind: UsageKind): TableEntry[] {
  const ref = parseTableRef(text)
  if (!ref) {
    addUnresolved(ctx, node.start, `not a table name: '${text}'`)
    return [{ name: '?', table: null }]
  }
  const name = ref.alias ?? ref.table
  if (!ref.table.includes('.') && isCte(scope, ref.table)) return [{ name, table: null }]
  const table = normalizeTable(schema && !ref.table.includes('.') ? `${schema}.${ref.table}` : ref.table)
  addUsage(ctx, table, TABLE_ONLY, kind, node.start)
  return [{ name, table }]
}

/** A subquery used as a table reads in the enclosing query's outer scope (it cannot see its siblings). */
function subquery(node: Node, ctx: FileContext, scope: Scope): void {
  const n = unwrap(node)
  if (n.type === 'TaggedTemplateExpression' && isSqlTag(n)) {
    ctx.done.add(n)
    return readSqlTemplate(n, { ctx, scope: scope.parent, kind: 'select' })
  }
  if (!readChain(n, ctx, scope.parent)) collectRefs(n, { ctx, scope, kind: 'select' }, false)
}

function env(state: QueryState, ctx: FileContext, kind: UsageKind): RefEnv {
  return { ctx, scope: state.scope, kind }
}

function args(link: MethodCall): Node[] {
  return link.call.arguments as Node[]
}

/** A selection-like argument: a reference string, a list of them, or an expression / callback. */
function selection(node: Node | undefined, refEnv: RefEnv): void {
  if (!node) return
  const n = unwrap(node)
  const text = stringValue(n)
  if (text !== null) return refUsage(refEnv, text, n.start)
  if (n.type === 'ArrayExpression') {
    for (const element of n.elements) if (element && element.type !== 'SpreadElement') selection(element, refEnv)
    return
  }
  collectRefs(n, refEnv, true)
}

const select = (kind: UsageKind): Handler => (state, link, ctx) => {
  for (const arg of args(link)) selection(arg, env(state, ctx, kind))
  return state
}

/** `selectAll()`: every table in scope; `selectAll('p')` / `selectAll(['p', 'q'])`: those. */
const selectAll = (kind: UsageKind): Handler => (state, link, ctx) => {
  const names = args(link).flatMap(arg => {
    const n = unwrap(arg)
    if (n.type === 'ArrayExpression') return n.elements.map(e => ({ text: stringValue(e as Node | null), node: e as Node }))
    return [{ text: stringValue(n), node: n }]
  })
  if (names.length === 0) {
    const tables = kind === 'returning' ? state.targets : innermostTables(state.scope)
    for (const table of tables) addUsage(ctx, table, EVERY_COLUMN, kind, link.nameNode.start)
  }
  for (const { text, node } of names) {
    if (text === null) continue
    for (const table of tablesOf(state.scope, text) ?? []) addUsage(ctx, table, EVERY_COLUMN, kind, node.start)
  }
  return state
}

/** `where('email', '=', x)`, `where(eb => …)`, `where(sql\`…\`)`: the left side is a reference, the right a value. */
const where: Handler = (state, link, ctx) => {
  const [left, , right] = args(link)
  const refEnv = env(state, ctx, 'where')
  selection(left, refEnv)
  collectRefs(right, refEnv, false)
  return state
}

const whereRef: Handler = (state, link, ctx) => {
  const [left, , right] = args(link)
  selection(left, env(state, ctx, 'where'))
  selection(right, env(state, ctx, 'where'))
  return state
}

const orderBy: Handler = (state, link, ctx) => {
  const [by, direction] = args(link)
  selection(by, env(state, ctx, 'order'))
  collectRefs(direction, env(state, ctx, 'order'), false)
  return state
}

/** `innerJoin('pet as p', 'p.owner_id', 'person.id')` or `innerJoin('pet as p', join => join.onRef(…))`. */
const join: Handler = (state, link, ctx) => {
  const [table, ...on] = args(link)
  const lateral = link.name.endsWith('Lateral')
  const entries = table ? tableEntries(table, ctx, lateral ? childScope(state.scope) : state.scope, null, 'join') : []
  const joined = { ...state, scope: withEntries(state.scope, entries) }
  const refEnv = env(joined, ctx, 'join')
  if (on.length >= 2) on.forEach(arg => selection(arg, refEnv))
  else collectRefs(on[0], refEnv, true)
  return joined
}

/** `deleteFrom('a').using('b')`, `updateTable('a').from('b')`: more tables in scope. */
const moreTables: Handler = (state, link, ctx) => {
  const entries = args(link).flatMap(arg => tableEntries(arg, ctx, state.scope, null, 'join'))
  return { ...state, scope: withEntries(state.scope, entries) }
}

/** `values({ a, b: 1 })`, `values([{…}, {…}])`: the keys are the inserted columns. */
const values: Handler = (state, link, ctx) => {
  const [rows] = args(link)
  if (!rows || !state.insert) return state
  addRows(state.insert, rowsOf(rows, ctx).map(row => writtenColumns(row, state, ctx, 'insert')))
  return state
}

function rowsOf(node: Node, ctx: FileContext): Node[] {
  const n = unwrap(node)
  if (n.type === 'ArrayExpression') return n.elements.flatMap(e => (e ? rowsOf(e as Node, ctx) : []))
  if (isFunction(n)) return returnedExpressions(n)
  const known = ctx.objects.get(identifierName(n) ?? '')
  return [known ?? n]
}

/**
 * The columns an object literal sets (`values`, `set`, `doUpdateSet`), each reported; what its
 * values read is read. A spread or a non-literal may set any column: `'*'`, and the set is not known.
 */
function writtenColumns(node: Node, state: QueryState, ctx: FileContext, kind: UsageKind): { columns: string[]; known: boolean } {
  const n = unwrap(node)
  const readEnv = env(state, ctx, 'select')
  if (n.type !== 'ObjectExpression') {
    for (const table of state.targets) addUsage(ctx, table, EVERY_COLUMN, kind, n.start)
    collectRefs(n, readEnv, false)
    return { columns: [], known: false }
  }
  const columns: string[] = []
  let known = true
  for (const property of n.properties) {
    if (property.type !== 'Property') {
      for (const table of state.targets) addUsage(ctx, table, EVERY_COLUMN, kind, property.start)
      known = false
      continue
    }
    collectRefs(property.value, readEnv, false)
    const key = property.computed ? null : (identifierName(property.key) ?? stringValue(property.key))
    if (key === null) {
      known = false
      continue
    }
    // Kysely leaves out keys whose value is `undefined`: such a row omits the column.
    if (identifierName(property.value) === 'undefined') continue
    columns.push(key)
    for (const table of state.targets) addUsage(ctx, table, key, kind, property.key.start)
  }
  return { columns, known }
}

/** `insertInto('t').columns(['a', 'b']).expression(…)` */
const columns: Handler = (state, link, ctx) => {
  const [list] = args(link)
  const n = list ? unwrap(list) : null
  if (!n || n.type !== 'ArrayExpression' || !state.insert) return state
  const names: string[] = []
  for (const element of n.elements) {
    const name = stringValue(element as Node | null)
    if (name === null || !element) continue
    names.push(name)
    for (const table of state.targets) addUsage(ctx, table, name, 'insert', element.start)
  }
  addRows(state.insert, [{ columns: names, known: true }])
  return state
}

const defaultValues: Handler = state => {
  if (state.insert) addRows(state.insert, [{ columns: [], known: true }])
  return state
}

/** `set({ a: 1 })`, `set('a', 1)`, `set(eb => ({ a: eb('a', '+', 1) }))` */
const set: Handler = (state, link, ctx) => {
  const [first, second] = args(link)
  const column = stringValue(first)
  if (column !== null && second) {
    const ref = parseColumnRef(column)
    const tables = ref?.qualifier ? (tablesOf(state.scope, ref.qualifier) ?? []) : state.targets
    for (const table of tables) addUsage(ctx, table, ref?.column ?? column, 'update', first.start)
    collectRefs(second, env(state, ctx, 'select'), false)
    return state
  }
  if (first) for (const row of rowsOf(first, ctx)) writtenColumns(row, state, ctx, 'update')
  return state
}

/**
 * `onConflict(oc => oc.column('email').doUpdateSet({ name: eb => eb.ref('excluded.name') }))`: the
 * conflict target must be indexed columns of the table, the update writes, `excluded` is the table.
 */
const onConflict: Handler = (state, link, ctx) => {
  const [callback] = args(link)
  if (!callback) return state
  const excluded = state.targets.map(table => ({ name: 'excluded', table }))
  const conflictState = { ...state, scope: withEntries(state.scope, excluded) }
  for (const body of returnedExpressions(callback)) {
    const { calls } = unrollChain(body)
    for (const call of calls) {
      ctx.done.add(call.call)
      const handler = CONFLICT_HANDLERS.get(call.name) ?? otherMethod
      handler(conflictState, call, ctx)
    }
  }
  return state
}

const conflictColumns: Handler = (state, link, ctx) => {
  for (const arg of args(link)) selection(arg, env(state, ctx, 'insert'))
  return state
}

const CONFLICT_HANDLERS = new Map<string, Handler>([
  ['column', conflictColumns],
  ['columns', conflictColumns],
  ['doUpdateSet', set],
  ['where', where],
  ['whereRef', whereRef],
])

/** `$if(cond, qb => qb.where(…))`, `$call(qb => …)`: the callback continues this chain. */
const callback: Handler = (state, link, ctx) => {
  const fn = args(link)[link.name === '$if' ? 1 : 0]
  if (!fn) return state
  const param = firstParamName(fn)
  let result = state
  for (const body of returnedExpressions(fn)) {
    const { base, calls } = unrollChain(body)
    if (param === null || identifierName(base) !== param) {
      collectRefs(body, env(state, ctx, 'select'), false)
      continue
    }
    for (const call of calls) ctx.done.add(call.call)
    const after = applyLinks(state, calls, ctx)
    // Joins inside the callback may add tables for what follows (Kysely types them as optional).
    result = { ...result, scope: withEntries(result.scope, after.scope.entries.slice(state.scope.entries.length)) }
  }
  return result
}

/** Any other link (`limit`, `execute`, `modifyEnd`, …): only what its arguments hold (subqueries, `sql`). */
const otherMethod: Handler = (state, link, ctx) => {
  for (const arg of args(link)) collectRefs(arg, env(state, ctx, 'select'), false)
  return state
}

const ignore: Handler = state => state

/** `modifyEnd(sql\`for update skip locked\`)`: a clause, not a query or an expression; nothing to read. */
const clause: Handler = (state, link, ctx) => {
  for (const arg of args(link)) ctx.done.add(unwrap(arg))
  return state
}

// A Map, not an object literal: a method named `toString` or `constructor` must not find a handler.
const HANDLERS = new Map<string, Handler>([
  ['select', select('select')],
  ['distinctOn', select('select')],
  ['returning', select('returning')],
  ['groupBy', select('group')],
  ['selectAll', selectAll('selectAll')],
  ['returningAll', selectAll('returning')],
  ['where', where],
  ['having', where],
  ['orWhere', where],
  ['orHaving', where],
  ['whereRef', whereRef],
  ['havingRef', whereRef],
  ['orWhereRef', whereRef],
  ['orHavingRef', whereRef],
  ['orderBy', orderBy],
  ...[...JOINS].map(name => [name, join] as const),
  ['using', moreTables],
  ['from', moreTables],
  ['values', values],
  ['columns', columns],
  ['defaultValues', defaultValues],
  ['set', set],
  ['onConflict', onConflict],
  ['$if', callback],
  ['$call', callback],
  ['as', ignore],
  ['modifyEnd', clause],
  ['modifyFront', clause],
])

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i
  return -1
}
