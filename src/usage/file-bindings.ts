// What names in a file stand for, learnt as the walk meets their declarations: a string constant
// (a table name), a query builder, a derived table, a row object. Name-based, not scope-aware: the
// latest declaration before a use wins, which is right for the usual code and cheap.
import type { FileContext } from './file-context.js'
import { methodOf, returnedExpressions, stringValue, unwrap, type Node } from './js-node.js'
import { readChain } from './kysely-chain.js'

export function rememberConstants(declarations: readonly Node[], ctx: FileContext): void {
  for (const declaration of declarations) {
    if (declaration.type !== 'VariableDeclarator' || declaration.id.type !== 'Identifier') continue
    const value = stringValue(declaration.init)
    if (value !== null) ctx.constants.set(declaration.id.name, value)
  }
}

/** `let q = db.selectFrom('person')` / `q = q.where(…)`: later links on `q` see the same tables. */
export function rememberBuilder(name: string, value: Node, ctx: FileContext): void {
  const n = unwrap(value)
  if (n.type !== 'CallExpression' || ctx.done.has(n)) return
  const state = readChain(n, ctx, null)
  if (!state) return
  ctx.builders.set(name, state)
  const last = methodOf(n)
  if (last?.name === 'as') ctx.derivedTables.set(name, stringValue(last.call.arguments[0] as Node | undefined) ?? name)
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

