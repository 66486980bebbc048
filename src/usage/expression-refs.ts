// Column references inside Kysely expressions and callbacks (`eb => eb('email', '=', x)`,
// `eb.ref('p.id')`, `eb.fn.count('id')`), best effort: a string literal counts when it sits where
// Kysely expects a reference and looks like one. Values (`eb.val('x')`, the right side of a
// comparison) do not count. Nested subqueries and `sql` fragments are read in the enclosing scope.
import { parseColumnRef } from './column-ref.js'
import { addUsage, type FileContext } from './file-context.js'
import {
  forEachChild,
  identifierName,
  methodOf,
  receiverOf,
  stringValue,
  unwrap,
  type CallExpression,
  type Node,
} from './js-node.js'
import { readChain } from './kysely-chain.js'
import { isSqlTag, readSqlArgument, readSqlTemplate } from './raw-sql.js'
import { tablesOf, type Scope } from './table-scope.js'
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
  if (env.ctx.done.has(call)) return
  // A subquery: its own tables, with this query's as the outer scope.
  if (readChain(call, env.ctx, env.scope)) return
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

/** A Kysely reference string (`'p.email'`, `'email'`, `'p.*'`) → usages of the tables it names. */
export function refUsage(env: RefEnv, text: string, offset: number): void {
  const ref = parseColumnRef(text)
  if (!ref) return
  const tables = tablesOf(env.scope, ref.qualifier) ?? []
  const kind = ref.column === EVERY_COLUMN && env.kind === 'select' ? 'selectAll' : env.kind
  for (const table of tables) addUsage(env.ctx, table, ref.column, kind, offset)
}
