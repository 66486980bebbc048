// Column references inside Kysely expressions and callbacks (`eb => eb('email', '=', x)`,
// `eb.ref('p.id')`, `eb.fn.count('id')`), best effort: a string literal counts when it sits where
// Kysely expects a reference and looks like one. Values (`eb.val('x')`, the right side of a
// comparison) do not count. Nested subqueries and `sql` fragments are read in the enclosing scope.
import { parseColumnRef } from './column-ref.js'
import { dynamicCall, type DynamicCall } from './dynamic-names.js'
import { addUnresolved, addUnresolvedOn, addUsage, snippet, type FileContext } from './file-context.js'
import { constantText } from './file-constants.js'
import {
  forEachChild,
  identifierName,
  methodOf,
  receiverOf,
  returnedExpressions,
  stringValue,
  unwrap,
  type CallExpression,
  type Node,
} from './js-node.js'
import { readChain } from './kysely-chain.js'
import { insideOnce, isExpressionHelper } from './kysely-helpers.js'
import { isSqlTag, readSqlArgument, readSqlTemplate } from './raw-sql.js'
import { tablesOf, unknownTables, type Scope } from './table-scope.js'
import { EVERY_COLUMN, type UsageKind } from './usage.js'

export interface RefEnv {
  readonly ctx: FileContext
  readonly scope: Scope
  readonly kind: UsageKind
}

/** Methods whose literal arguments are values, aliases or types, never columns. */
const VALUE_ARGUMENTS = new Set(
  ['val', 'lit', 'as', 'castTo', '$castTo', 'collate', 'withSchema', 'jsonPath', 'key', 'at', 'table'],
)
/** `eb.fn('lower', ['email'])`, `eb.fn.agg('array_agg', ['name'])`: the first argument names a function. */
const FUNCTION_NAME_FIRST = new Set(['fn', 'agg'])
/** `eb('email', '=', x)` and its kin: a reference on the left, a value on the right. */
const COMPARISONS = new Set([
  'eb',
  'cmpr',
  'where',
  'having',
  'on',
  'orWhere',
  'orHaving',
  'orOn',
  'when',
  'filterWhere',
  'between',
  'betweenSymmetric',
])
/** `onRef('a.x', '=', 'b.y')`: references on both sides. */
const REFERENCE_PAIRS = new Set(['whereRef', 'havingRef', 'onRef', 'orWhereRef', 'orHavingRef', 'orOnRef', 'filterWhereRef'])

/** Reads `node`; `inRefPosition`: a string literal here is a column reference rather than a value. */
export function collectRefs(node: Node | null | undefined, env: RefEnv, inRefPosition: boolean): void {
  if (!node) return
  const n = unwrap(node)
  switch (n.type) {
    case 'Literal':
    case 'TemplateLiteral': {
      const text = stringValue(n)
      if (text === null) return forEachChild(n, child => collectRefs(child, env, false))
      if (inRefPosition) refUsage(env, text, n.start)
      return
    }
    case 'TaggedTemplateExpression':
      if (isSqlTag(n)) {
        env.ctx.done.add(n)
        return readSqlTemplate(n, env)
      }
      return forEachChild(n, child => collectRefs(child, env, false))
    case 'CallExpression':
      return callRefs(n, env)
    case 'Identifier':
      // `where(isActive)`: a helper of the file handed the expression builder reads in this query.
      return followExpression(env.ctx.functions.get(n.name), env)
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      if (n.body?.type === 'BlockStatement') return forEachChild(n.body, child => collectRefs(child, env, false))
      return collectRefs(n.body, env, inRefPosition)
    case 'ReturnStatement':
      // What a callback returns is what Kysely reads: a reference, a list of them, an expression.
      return collectRefs(n.argument, env, true)
    case 'ArrayExpression':
      for (const element of n.elements) collectRefs(element as Node | null, env, inRefPosition)
      return
    case 'ConditionalExpression':
      collectRefs(n.test, env, false)
      collectRefs(n.consequent, env, inRefPosition)
      return collectRefs(n.alternate, env, inRefPosition)
    case 'LogicalExpression':
      collectRefs(n.left, env, inRefPosition)
      return collectRefs(n.right, env, inRefPosition)
    case 'ObjectExpression':
      for (const property of n.properties) {
        collectRefs(property.type === 'Property' ? property.value : property.argument, env, false)
      }
      return
    default:
      forEachChild(n, child => collectRefs(child, env, false))
  }
}

function callRefs(call: CallExpression, env: RefEnv): void {
  // Held: a helper's returned query, read each time a call of the helper is followed into it.
  if (env.ctx.done.has(call) && !env.ctx.helpers?.held.has(call)) return
  const dynamic = dynamicCall(call)
  if (dynamic?.helper === 'ref') return dynamicRef(dynamic, env)
  // A subquery: its own tables, with this query's as the outer scope.
  if (readChain(call, env.ctx, env.scope)) return
  // `isActive(eb)`: a helper of the file handed the expression builder.
  followExpression(env.ctx.functions.get(identifierName(call.callee) ?? ''), env)
  const method = methodOf(call)
  const name = method?.name ?? null
  const args = call.arguments as Node[]
  if (name === 'raw' || name === 'query') {
    if (args[0] && readSqlArgument(args[0], env, name === 'raw' ? 'statement-or-fragment' : 'statement')) {
      env.ctx.done.add(call)
      return
    }
  }
  collectRefs(method ? receiverOf(call) : call.callee, env, false)
  // `eb.and({ status: 'x', kind: eb.ref('k') })`: the keys are columns compared for equality.
  if (name === 'and' || name === 'or') for (const arg of args) objectKeyRefs(arg, env)
  // `eb(…)` itself (the callee is the builder parameter) is a comparison.
  const role = name ?? 'eb'
  args.forEach((arg, i) => collectRefs(arg, env, isRefArgument(role, i)))
}

function objectKeyRefs(node: Node, env: RefEnv): void {
  const n = unwrap(node)
  if (n.type !== 'ObjectExpression') return
  for (const property of n.properties) {
    if (property.type !== 'Property' || property.computed) continue
    const key = identifierName(property.key) ?? stringValue(property.key)
    if (key !== null) refUsage(env, key, property.key.start)
  }
}

function isRefArgument(method: string, index: number): boolean {
  if (VALUE_ARGUMENTS.has(method)) return false
  if (FUNCTION_NAME_FIRST.has(method)) return index > 0
  // `eb.cast('age', 'text')`: an expression, then a type.
  if (COMPARISONS.has(method) || method === 'cast') return index === 0
  if (REFERENCE_PAIRS.has(method)) return index === 0 || index === 2
  return true
}

/** What an expression helper of the file returns, read in this query's scope (once per scope and place). */
function followExpression(fn: Node | undefined, env: RefEnv): void {
  if (!fn || !isExpressionHelper(fn, env.ctx)) return
  insideOnce(fn, env.ctx, () => returnedExpressions(fn).forEach(e => collectRefs(e, env, true)))
}

/**
 * `db.dynamic.ref('email')` or `db.dynamic.ref(SORT)`: a reference like any other; `db.dynamic.ref(sortBy)`:
 * a column chosen at run time, unresolved for each table it may belong to.
 */
function dynamicRef(dynamic: DynamicCall, env: RefEnv): void {
  env.ctx.done.add(dynamic.call)
  const text = constantText(dynamic.arg, env.ctx)
  if (text !== null && dynamic.arg) return refUsage(env, text, dynamic.arg.start)
  const reason = `${snippet(env.ctx, dynamic.call)}: the column is chosen at run time`
  const tables = unknownTables(env.scope, null) === null ? (tablesOf(env.scope, null) ?? []) : []
  if (tables.length === 0) return addUnresolved(env.ctx, dynamic.call.start, reason, true)
  for (const table of tables) addUnresolvedOn(env.ctx, dynamic.call.start, reason, table)
}

/**
 * When the tables a column may belong to are not all known (a builder handed in from elsewhere), says so
 * at `offset`, unresolved for any table; true then. `qualifier`: as written (`t` of `t.email`), or null.
 */
export function unknownColumn(ctx: FileContext, scope: Scope, qualifier: string | null, column: string, offset: number): boolean {
  const unknown = unknownTables(scope, qualifier)
  if (unknown === null) return false
  addUnresolved(ctx, offset, `column '${qualifier === null ? column : `${qualifier}.${column}`}' ${unknown}`, true)
  return true
}

/** A Kysely reference string (`'p.email'`, `'email'`, `'p.*'`) → usages of the tables it names. */
export function refUsage(env: RefEnv, text: string, offset: number): void {
  const ref = parseColumnRef(text)
  if (!ref) return
  // A qualifier no level names, where tables are not known, may be an alias of any of them.
  if (unknownColumn(env.ctx, env.scope, ref.qualifier, ref.column, offset) && ref.qualifier !== null) return
  const tables = tablesOf(env.scope, ref.qualifier) ?? []
  const kind = ref.column === EVERY_COLUMN && env.kind === 'select' ? 'selectAll' : env.kind
  for (const table of tables) addUsage(env.ctx, table, ref.column, kind, offset)
}
