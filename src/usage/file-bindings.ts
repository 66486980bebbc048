// What names in a file stand for, learnt as the walk meets their declarations: a string constant
// (a table name), a query builder, a derived table, a row object. Name-based, not scope-aware: the
// latest declaration before a use wins, which is right for the usual code and cheap.
import type { FileContext } from './file-context.js'
import { dynamicCall } from './dynamic-names.js'
import { constantText } from './file-constants.js'
import { methodOf, receiverOf, returnedExpressions, stringValue, unwrap, type Node } from './js-node.js'
import { readChain } from './kysely-chain.js'

export { rememberConstants } from './file-constants.js'

/** `let q = db.selectFrom('person')` / `q = q.where(…)`: later links on `q` see the same tables. */
export function rememberBuilder(name: string, value: Node, ctx: FileContext): void {
  const n = unwrap(value)
  if (n.type !== 'CallExpression' || ctx.done.has(n)) return
  // `const t = db.dynamic.table(ORDERS).as('o')`: `selectFrom(t)` names that table under that alias.
  const dynamicTable = dynamicTableAs(n, ctx)
  if (dynamicTable !== null) return void ctx.constants.set(name, dynamicTable)
  const state = readChain(n, ctx, null)
  if (!state) return
  ctx.builders.set(name, state)
  const last = methodOf(n)
  if (last?.name === 'as') ctx.derivedTables.set(name, stringValue(last.call.arguments[0] as Node | undefined) ?? name)
}

function dynamicTableAs(node: Node, ctx: FileContext): string | null {
  const aliased = methodOf(node)
  const dynamic = aliased?.name === 'as' ? dynamicCall(receiverOf(aliased.call)) : null
  const table = dynamic?.helper === 'table' ? constantText(dynamic.arg, ctx) : null
  const alias = aliased ? stringValue(aliased.call.arguments[0] as Node | undefined) : null
  return table === null ? null : alias === null ? table : `${table} as ${alias}`
}

/** `const row = { … }` or `const rows = items.map(i => ({ … }))`, for `values(row)` later. */
export function rememberObject(name: string, value: Node, ctx: FileContext): void {
  const n = unwrap(value)
  if (n.type === 'ObjectExpression') return void ctx.objects.set(name, n)
  const method = methodOf(n)
  const [fn] = (method?.name === 'map' ? method.call.arguments : []) as Node[]
  const returned = fn ? returnedExpressions(fn) : []
  if (returned.length === 1 && unwrap(returned[0]).type === 'ObjectExpression') ctx.objects.set(name, unwrap(returned[0]))
}

