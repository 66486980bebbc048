// Links that write: `values`, `columns`, `defaultValues`, `set`, `onConflict`. The keys of an object
// literal are the written columns; what an INSERT sets is kept for "INSERTs that omit column X".
import { addRows, addUsage, type FileContext } from './file-context.js'
import { linkArgs, otherLink, refEnv, selection, type LinkHandler } from './chain-link.js'
import { parseColumnRef } from './column-ref.js'
import { collectRefs, unknownColumn } from './expression-refs.js'
import { identifierName, isFunction, returnedExpressions, stringValue, unrollChain, unwrap, type Node } from './js-node.js'
import type { QueryState } from './query-state.js'
import { tablesOf, withEntries } from './table-scope.js'
import { where, whereRef } from './chain-reads.js'
import { EVERY_COLUMN, type UsageKind } from './usage.js'

/** `values({ a, b: 1 })`, `values([{…}, {…}])`: the keys are the inserted columns. */
export const values: LinkHandler = (state, link, ctx) => {
  const [rows] = linkArgs(link)
  if (!rows) return state
  // No INSERT being read: a helper's builder, whose INSERT its caller states (its rows are not known there).
  const written = rowsOf(rows, ctx).map(row => writtenColumns(row, state, ctx, 'insert'))
  if (state.insert) addRows(state.insert, written)
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
  const readEnv = refEnv(state, ctx, 'select')
  if (n.type !== 'ObjectExpression') {
    written(state, ctx, EVERY_COLUMN, kind, n.start)
    collectRefs(n, readEnv, false)
    return { columns: [], known: false }
  }
  const columns: string[] = []
  let known = true
  for (const property of n.properties) {
    if (property.type !== 'Property') {
      written(state, ctx, EVERY_COLUMN, kind, property.start)
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
    written(state, ctx, key, kind, property.key.start, isNonNullLiteral(property.value))
  }
  return { columns, known }
}

/** A column the query writes, in each table it writes (unresolved when those are not known). */
function written(state: QueryState, ctx: FileContext, column: string, kind: UsageKind, offset: number, nonNullLiteral = false): void {
  if (state.targets.length === 0) unknownColumn(ctx, state.scope, null, column, offset)
  for (const table of state.targets) addUsage(ctx, table, column, kind, offset, nonNullLiteral)
}

/** `'x'`, `1`, `true`, a template without `${…}`: a value Kysely cannot send as NULL (Usage.nonNullLiteral). */
function isNonNullLiteral(value: Node): boolean {
  const n = unwrap(value)
  if (n.type === 'Literal') return n.value !== null && !('regex' in n && n.regex)
  return n.type === 'TemplateLiteral' && n.expressions.length === 0
}

/** `insertInto('t').columns(['a', 'b']).expression(…)` */
export const columns: LinkHandler = (state, link, ctx) => {
  const [list] = linkArgs(link)
  const n = list ? unwrap(list) : null
  if (!n || n.type !== 'ArrayExpression') return state
  const names: string[] = []
  for (const element of n.elements) {
    const name = stringValue(element as Node | null)
    if (name === null || !element) continue
    names.push(name)
    written(state, ctx, name, 'insert', element.start)
  }
  if (state.insert) addRows(state.insert, [{ columns: names, known: true }])
  return state
}

export const defaultValues: LinkHandler = state => {
  if (state.insert) addRows(state.insert, [{ columns: [], known: true }])
  return state
}

/** `set({ a: 1 })`, `set('a', 1)`, `set(eb => ({ a: eb('a', '+', 1) }))` */
export const set: LinkHandler = (state, link, ctx) => {
  const [first, second] = linkArgs(link)
  const column = stringValue(first)
  if (column !== null && second) {
    const ref = parseColumnRef(column)
    if (ref?.qualifier) {
      if (!unknownColumn(ctx, state.scope, ref.qualifier, ref.column, first.start)) {
        for (const table of tablesOf(state.scope, ref.qualifier) ?? []) addUsage(ctx, table, ref.column, 'update', first.start)
      }
    } else written(state, ctx, ref?.column ?? column, 'update', first.start)
    collectRefs(second, refEnv(state, ctx, 'select'), false)
    return state
  }
  if (first) for (const row of rowsOf(first, ctx)) writtenColumns(row, state, ctx, 'update')
  return state
}

/**
 * `onConflict(oc => oc.column('email').doUpdateSet({ name: eb => eb.ref('excluded.name') }))`: the
 * conflict target must be indexed columns of the table, the update writes, `excluded` is the table.
 */
export const onConflict: LinkHandler = (state, link, ctx) => {
  const [callback] = linkArgs(link)
  if (!callback) return state
  const excluded = state.targets.map(table => ({ name: 'excluded', table }))
  const conflictState = { ...state, scope: withEntries(state.scope, excluded) }
  for (const body of returnedExpressions(callback)) {
    const { calls } = unrollChain(body)
    for (const call of calls) {
      ctx.done.add(call.call)
      const handler = CONFLICT_HANDLERS.get(call.name) ?? otherLink
      handler(conflictState, call, ctx)
    }
  }
  return state
}

const conflictColumns: LinkHandler = (state, link, ctx) => {
  for (const arg of linkArgs(link)) selection(arg, refEnv(state, ctx, 'insert'))
  return state
}

const CONFLICT_HANDLERS = new Map<string, LinkHandler>([
  ['column', conflictColumns],
  ['columns', conflictColumns],
  ['doUpdateSet', set],
  ['where', where],
  ['whereRef', whereRef],
])

