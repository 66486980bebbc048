// Links that read columns: `select`, `selectAll`, `where`, `whereRef`, `orderBy`, `groupBy`, `returning`.
import { addUsage } from './file-context.js'
import { linkArgs, refEnv, selection, type LinkHandler } from './chain-link.js'
import { collectRefs, unknownColumn } from './expression-refs.js'
import { stringValue, unwrap, type Node } from './js-node.js'
import { innermostTables, tablesOf } from './table-scope.js'
import { EVERY_COLUMN, type UsageKind } from './usage.js'

export const select = (kind: UsageKind): LinkHandler => (state, link, ctx) => {
  for (const arg of linkArgs(link)) selection(arg, refEnv(state, ctx, kind))
  return state
}

/** `selectAll()`: every table in scope; `selectAll('p')` / `selectAll(['p', 'q'])`: those. */
export const selectAll = (kind: UsageKind): LinkHandler => (state, link, ctx) => {
  const names = linkArgs(link).flatMap(arg => {
    const n = unwrap(arg)
    if (n.type === 'ArrayExpression') return n.elements.map(e => ({ text: stringValue(e as Node | null), node: e as Node }))
    return [{ text: stringValue(n), node: n }]
  })
  if (names.length === 0) {
    const tables = kind === 'returning' ? state.targets : innermostTables(state.scope)
    if (kind !== 'returning' || tables.length === 0) unknownColumn(ctx, state.scope, null, EVERY_COLUMN, link.nameNode.start)
    for (const table of tables) addUsage(ctx, table, EVERY_COLUMN, kind, link.nameNode.start)
  }
  for (const { text, node } of names) {
    if (text === null || unknownColumn(ctx, state.scope, text, EVERY_COLUMN, node.start)) continue
    for (const table of tablesOf(state.scope, text) ?? []) addUsage(ctx, table, EVERY_COLUMN, kind, node.start)
  }
  return state
}

/** `where('email', '=', x)`, `where(eb => …)`, `where(sql\`…\`)`: the left side is a reference, the right a value. */
export const where: LinkHandler = (state, link, ctx) => {
  const [left, , right] = linkArgs(link)
  const env = refEnv(state, ctx, 'where')
  selection(left, env)
  collectRefs(right, env, false)
  return state
}

export const whereRef: LinkHandler = (state, link, ctx) => {
  const [left, , right] = linkArgs(link)
  selection(left, refEnv(state, ctx, 'where'))
  selection(right, refEnv(state, ctx, 'where'))
  return state
}

export const orderBy: LinkHandler = (state, link, ctx) => {
  const [by, direction] = linkArgs(link)
  selection(by, refEnv(state, ctx, 'order'))
  collectRefs(direction, refEnv(state, ctx, 'order'), false)
  return state
}

