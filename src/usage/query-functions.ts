// Functions that return a query builder (`function reportQuery(db) { return db.selectFrom('report as r') }`,
// or such a method of a class): code often starts from one and adds filters, `reportQuery(db).where('r.did', …)`.
// And functions handed one (kysely-helpers.ts): `activeOnly(qb)`, `isActive(eb)`.
import { collectRefs } from './expression-refs.js'
import type { FileContext } from './file-context.js'
import { rememberConstants } from './file-constants.js'
import { identifierName, returnedExpressions, unrollChain, unwrap, type Node } from './js-node.js'
import { isQueryRoot, readChain } from './kysely-chain.js'
import { boundBuilder, findHelpers, forEachTopLevelFunction, helperState, insideOnce } from './kysely-helpers.js'
import type { QueryState } from './query-state.js'

/**
 * Records the functions declared at the top of the file and the methods of its classes (no deeper: cheap),
 * the string constants declared at the top (a function read before the walk may name one), and which of
 * those functions are handed a builder.
 */
export function collectFunctions(program: Node, ctx: FileContext): void {
  if (program.type !== 'Program') return
  const reachable = new Set<string>()
  forEachTopLevelFunction(program, ctx.text, (name, fn, exported) => {
    ctx.functions.set(name, fn)
    if (exported) reachable.add(name)
  })
  for (const statement of program.body as Node[]) {
    const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? (statement.declaration as Node) : statement
    if (declaration.type === 'VariableDeclaration' && declaration.kind === 'const') rememberConstants(declaration.declarations, ctx)
  }
  findHelpers(program, ctx, { reachable })
}

/**
 * Reads every recorded function's returned query once, before the file walk, whatever the order of use;
 * and the helpers handed an expression builder whose type names its tables (or that other files may call).
 */
export function readFunctionQueries(ctx: FileContext): void {
  for (const name of ctx.functions.keys()) functionQuery(name, ctx)
  for (const params of ctx.helpers?.byFunction.values() ?? []) {
    for (const param of params) {
      if (param.role !== 'expression' || (param.mode !== 'typed' && param.mode !== 'unknown')) continue
      const env = { ctx, scope: helperState(param, ctx).scope, kind: 'select' as const }
      insideOnce(param.fn, ctx, () => returnedExpressions(param.fn).forEach(e => collectRefs(e, env, true)))
    }
  }
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
    if (call.type === 'CallExpression' && !ctx.done.has(call) && !onVariable(call, ctx)) state = readChain(call, ctx, null) ?? state
  }
  ctx.functionQueries.set(name, state)
  return state
}

/**
 * `query.$if(…)` on a variable the file has not bound yet: read by the walk, which knows by then what
 * it holds (read now, it would be a builder from nowhere).
 */
function onVariable(call: Node, ctx: FileContext): boolean {
  const { base, calls } = unrollChain(call)
  const name = identifierName(base)
  if (name === null || calls.some(link => isQueryRoot(link.name))) return false
  return !ctx.builders.has(name) && boundBuilder(name, base.start, ctx) === null
}
