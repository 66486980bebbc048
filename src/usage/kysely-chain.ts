// Kysely query builders: a chain from `selectFrom` / `insertInto` / `updateTable` / `deleteFrom` (on any
// receiver), read link by link, so that each column reference is read with the tables in scope at
// that point (joins add tables; `$if` / `$call` callbacks continue the chain).
import { linkArgs, otherLink, refEnv, type LinkHandler } from './chain-link.js'
import { orderBy, select, selectAll, where, whereRef } from './chain-reads.js'
import { join, moreTables, tableEntries } from './chain-tables.js'
import { columns, defaultValues, onConflict, set, values } from './chain-writes.js'
import { collectRefs } from './expression-refs.js'
import { snippet, startInsert, type FileContext } from './file-context.js'
import {
  identifierName,
  isFunction,
  propertyName,
  receiverOf,
  returnedExpressions,
  stringValue,
  unrollChain,
  unwrap,
  type CallExpression,
  type MethodCall,
  type Node,
} from './js-node.js'
import { boundBuilder, builderParams, following, onceEach, paramName, unknownBuilder } from './kysely-helpers.js'
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

/** `selectFrom`, `insertInto`, `updateTable`, `deleteFrom`: where a query starts. */
export function isQueryRoot(method: string): boolean {
  return ROOTS.has(method)
}

/**
 * Reads the query chain ending at `node`: one that starts at a root method, or one that continues a
 * builder held in a variable, handed to a helper, or returned by a function. `outer`: the enclosing
 * query, for subqueries. Null when `node` is not one.
 */
export function readChain(node: Node, ctx: FileContext, outer: Scope | null): QueryState | null {
  const { base, calls } = unrollChain(node)
  const rootAt = findLastIndex(calls, link => ROOTS.has(link.name))
  let state: QueryState
  let rest: MethodCall[]
  let inHelper = false
  if (rootAt >= 0) {
    state = startQuery(calls.slice(0, rootAt), calls[rootAt], ctx, outer)
    rest = calls.slice(rootAt + 1)
  } else {
    const continued = continuedQuery(base, calls, ctx)
    if (!continued) return null
    ;({ state, rest } = continued)
    inHelper = continued.inHelper === true
  }
  for (const link of calls) ctx.done.add(link.call)
  // A helper's lines may be read more than once (with its type, from each call): one record each.
  return inHelper ? onceEach(ctx, () => applyLinks(state, rest, ctx)) : applyLinks(state, rest, ctx)
}

/**
 * A chain that continues a query started elsewhere in the file: a helper's parameter (`qb.where(…)`),
 * a variable holding a builder (`q.where(…)`), a helper handed one (`activeOnly(q).where(…)`), a function
 * returning one (`reportQuery(db).where(…)`), or a method of the class (`this.baseQuery().where(…)`).
 */
function continuedQuery(
  base: Node,
  calls: MethodCall[],
  ctx: FileContext,
): { state: QueryState; rest: MethodCall[]; inHelper?: boolean } | null {
  const name = identifierName(base)
  const bound = name === null ? null : boundBuilder(name, base.start, ctx)
  if (bound) return { state: bound, rest: calls, inHelper: true }
  const variable = ctx.builders.get(name ?? '')
  if (variable && calls.length > 0) return { state: variable, rest: calls }
  if (base.type === 'CallExpression') {
    const state = calledFunction(base, identifierName(base.callee), ctx)
    if (state) return { state, rest: calls }
  }
  const first = calls[0]
  if (first && unwrap(receiverOf(first.call)).type === 'ThisExpression') {
    const state = calledFunction(first.call, first.name, ctx)
    if (state) return { state, rest: calls.slice(1) }
  }
  // Only a Kysely builder has `$call` / `$if`: where this one comes from is not read, so its tables are not known.
  if (calls.some(link => link.name === '$call' || link.name === '$if')) {
    return { state: unknownBuilder('select', `the builder ${snippet(ctx, base)}`, 'where it comes from is not read'), rest: calls }
  }
  return null
}

/** `activeOnly(db.selectFrom('users'))`: the helper followed with its argument; `reportQuery(db)`: the query it returns. */
function calledFunction(call: CallExpression, name: string | null, ctx: FileContext): QueryState | null {
  const fn = name === null ? undefined : ctx.functions.get(name)
  if (!fn) return null
  return followedCall(call, fn, ctx) ?? functionQuery(name as string, ctx)
}

/**
 * A call of a helper of the file: each builder it is handed is followed into it (what it returns is
 * read with the tables of the argument). A helper only this file's calls can reach is followed even
 * when the argument is no builder the scan knows: its columns are then unresolved there.
 */
function followedCall(call: CallExpression, fn: Node, ctx: FileContext): QueryState | null {
  let result: QueryState | null = null
  for (const param of builderParams(fn, ctx)) {
    const arg = call.arguments[param.index] as Node | undefined
    if (!arg || arg.type === 'SpreadElement') continue
    const state =
      builderOf(arg, ctx) ??
      (param.mode === 'calls' ? unknownBuilder(param.type?.root ?? 'select', `${param.fnName}()'s parameter ${param.name}`, `the argument ${snippet(ctx, arg)} is no builder the scan follows`) : null)
    if (state) result ??= followInto(fn, param.index, state, ctx)
  }
  if (result) ctx.done.add(call)
  return result
}

/** The builder an argument is: a chain, a helper's parameter, a variable holding one. */
function builderOf(arg: Node, ctx: FileContext): QueryState | null {
  const name = identifierName(arg)
  if (name !== null) return boundBuilder(name, arg.start, ctx) ?? ctx.builders.get(name) ?? null
  const n = unwrap(arg)
  return n.type === 'CallExpression' ? readChain(n, ctx, null) : null
}

/**
 * Follows a builder into a function (`$call(qb => …)`, `$call(activeOnly)`, `activeOnly(q)`): what it
 * returns continues the chain, its parameter standing for the builder; what it joins stays in scope
 * after it (Kysely types those tables as optional). Not followed again from inside itself.
 */
export function followInto(fn: Node, index: number, state: QueryState, ctx: FileContext): QueryState {
  const param = paramName(fn, index)
  if (param === null) return state
  const followed = following(fn, param, state, ctx, () => {
    let result = state
    for (const body of returnedExpressions(fn)) {
      const base = unrollChain(body).base
      const after = identifierName(base) === param || base.type === 'CallExpression' ? readChain(body, ctx, null) : null
      if (!after) {
        collectRefs(body, refEnv(state, ctx, 'select'), false)
        continue
      }
      result = { ...result, scope: withEntries(result.scope, after.scope.entries.slice(state.scope.entries.length)) }
    }
    return result
  })
  return followed ?? state
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

/**
 * `$if(cond, qb => qb.where(…))`, `$call(qb => …)`, `$call(activeOnly)`: the callback continues this chain.
 * An imported helper is read in its own file, with the tables its parameter's type names.
 */
const callback: LinkHandler = (state, link, ctx) => {
  const arg = linkArgs(link)[link.name === '$if' ? 1 : 0]
  const fn = arg ? (isFunction(arg) ? unwrap(arg) : fileFunction(arg, ctx)) : null
  return fn ? followInto(fn, 0, state, ctx) : state
}

/** `activeOnly` or `this.activeOnly`: a function of this file. */
function fileFunction(node: Node, ctx: FileContext): Node | null {
  const name = identifierName(node) ?? (unwrap(node).type === 'MemberExpression' ? propertyName(node) : null)
  return name === null ? null : (ctx.functions.get(name) ?? null)
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
