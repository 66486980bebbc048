// Functions that return a query builder (`function reportQuery(db) { return db.selectFrom('report as r') }`,
// or such a method of a class): code often starts from one and adds filters, `reportQuery(db).where('r.did', …)`.
import type { FileContext } from './file-context.js'
import { isFunction, returnedExpressions, unwrap, type Node } from './js-node.js'
import { readChain } from './kysely-chain.js'
import type { QueryState } from './query-state.js'

/** Records the functions declared at the top of the file and the methods of its classes (no deeper: cheap). */
export function collectFunctions(program: Node, ctx: FileContext): void {
  if (program.type !== 'Program') return
  for (const statement of program.body as Node[]) declared(statement, ctx)
}

function declared(node: Node, ctx: FileContext): void {
  switch (node.type) {
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
      if (node.declaration) declared(node.declaration as Node, ctx)
      return
    case 'FunctionDeclaration':
      if (node.id) ctx.functions.set(node.id.name, node)
      return
    case 'VariableDeclaration':
      for (const d of node.declarations) {
        const init = d.init ? unwrap(d.init) : null
        if (d.id.type === 'Identifier' && init && isFunction(init)) ctx.functions.set(d.id.name, init)
      }
      return
    case 'ClassDeclaration':
    case 'ClassExpression':
      for (const member of node.body.body) {
        const value = 'value' in member ? (member.value as Node | null) : null
        const key = 'key' in member && member.key.type === 'Identifier' && !member.computed ? member.key.name : null
        if (key && value && isFunction(value)) ctx.functions.set(key, value)
      }
  }
}

/** Reads every recorded function's returned query once, before the file walk, whatever the order of use. */
export function readFunctionQueries(ctx: FileContext): void {
  for (const name of ctx.functions.keys()) functionQuery(name, ctx)
}

/** The state of the query a function returns (read once), or null. */
export function functionQuery(name: string, ctx: FileContext): QueryState | null {
  if (ctx.functionQueries.has(name)) return ctx.functionQueries.get(name) ?? null
  const fn = ctx.functions.get(name)
  if (!fn) return null
  // Null while reading, so that a function that calls itself ends.
  ctx.functionQueries.set(name, null)
  let state: QueryState | null = null
  for (const returned of returnedExpressions(fn)) {
    const call = unwrap(returned)
    if (call.type === 'CallExpression' && !ctx.done.has(call)) state = readChain(call, ctx, null) ?? state
  }
  ctx.functionQueries.set(name, state)
  return state
}
