// One link of a Kysely chain (`.where(…)`), and what every link reader shares.
import type { FileContext } from './file-context.js'
import { collectRefs, refUsage, type RefEnv } from './expression-refs.js'
import { stringValue, unwrap, type MethodCall, type Node } from './js-node.js'
import type { QueryState } from './query-state.js'
import type { UsageKind } from './usage.js'

/** Reads one link and returns the state after it (a join adds tables; most links change nothing). */
export type LinkHandler = (state: QueryState, link: MethodCall, ctx: FileContext) => QueryState

export function linkArgs(link: MethodCall): Node[] {
  return link.call.arguments as Node[]
}

export function refEnv(state: QueryState, ctx: FileContext, kind: UsageKind): RefEnv {
  return { ctx, scope: state.scope, kind }
}

/** A selection-like argument: a reference string, a list of them, or an expression / callback. */
export function selection(node: Node | undefined, env: RefEnv): void {
  if (!node) return
  const n = unwrap(node)
  const text = stringValue(n)
  if (text !== null) return refUsage(env, text, n.start)
  if (n.type === 'ArrayExpression') {
    for (const element of n.elements) if (element && element.type !== 'SpreadElement') selection(element, env)
    return
  }
  collectRefs(n, env, true)
}

/** Any other link (`limit`, `execute`, `modifyEnd`, …): only what its arguments hold (subqueries, `sql`). */
export const otherLink: LinkHandler = (state, link, ctx) => {
  for (const arg of linkArgs(link)) collectRefs(arg, refEnv(state, ctx, 'select'), false)
  return state
}

