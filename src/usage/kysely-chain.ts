// Kysely query builders: a chain from `selectFrom` / `insertInto` / `updateTable` / `deleteFrom` (on any
// receiver), read link by link, so that each column reference is read with the tables in scope at
// that point (joins add tables; `$if` / `$call` callbacks continue the chain).
import { linkArgs, otherLink, refEnv, type LinkHandler } from './chain-link.js'
import { orderBy, select, selectAll, where, whereRef } from './chain-reads.js'
import { join, moreTables, tableEntries } from './chain-tables.js'
import { columns, defaultValues, onConflict, set, values } from './chain-writes.js'
import { collectRefs } from './expression-refs.js'
import { startInsert, type FileContext } from './file-context.js'
import {
  firstParamName,
  identifierName,
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
import { childScope, withCtes, withEntries, type Scope } from './table-scope.js'

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
  for (const link of links) current = (HANDLERS.get(link.name) ?? otherLink)(current, link, ctx)
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
  return { root: kind, scope: withEntries(scope, entries), targets: kind === 'select' ? [] : targets, insert, schema }
}

/** `$if(cond, qb => qb.where(…))`, `$call(qb => …)`: the callback continues this chain. */
const callback: LinkHandler = (state, link, ctx) => {
  const fn = linkArgs(link)[link.name === '$if' ? 1 : 0]
  if (!fn) return state
  const param = firstParamName(fn)
  let result = state
  for (const body of returnedExpressions(fn)) {
    const { base, calls } = unrollChain(body)
    if (param === null || identifierName(base) !== param) {
      collectRefs(body, refEnv(state, ctx, 'select'), false)
      continue
    }
    for (const call of calls) ctx.done.add(call.call)
    const after = applyLinks(state, calls, ctx)
    // Joins inside the callback may add tables for what follows (Kysely types them as optional).
    result = { ...result, scope: withEntries(result.scope, after.scope.entries.slice(state.scope.entries.length)) }
  }
  return result
}

const ignore: LinkHandler = state => state

/** `modifyEnd(sql\`for update skip locked\`)`: a clause, not a query or an expression; nothing to read. */
const clause: LinkHandler = (state, link, ctx) => {
  for (const arg of linkArgs(link)) ctx.done.add(unwrap(arg))
  return state
}

// A Map, not an object literal: a method named `toString` or `constructor` must not find a handler.
const HANDLERS = new Map<string, LinkHandler>([
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
