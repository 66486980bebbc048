// Small typed accessors over oxc-parser's ESTree AST.
import { createRequire } from 'node:module'
import type * as Oxc from 'oxc-parser'
import type { CallExpression, Node, Statement } from 'oxc-parser'

export type { CallExpression, Node }

let oxc: typeof Oxc | undefined

/**
 * oxc-parser, loaded on first use: its native binding costs start-up time, and most runs parse no
 * application code. `require` (Node ≥ 20.19 loads an ES module without top-level await synchronously)
 * keeps the callers synchronous.
 */
export function oxcParser(): typeof Oxc {
  oxc ??= createRequire(import.meta.url)('oxc-parser') as typeof Oxc
  return oxc
}

/** One `.name(args)` link of a method chain. */
export interface MethodCall {
  name: string
  call: CallExpression
  /** The property node: where `selectAll()` and friends are reported. */
  nameNode: Node
}

const WRAPPERS = new Set([
  'ChainExpression',
  'ParenthesizedExpression',
  'TSNonNullExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
])

/** Strips what does not change the value: `x!`, `x as T`, `(x)`, `a?.b()`. */
export function unwrap(node: Node): Node {
  let current = node as Node & { expression?: Node }
  while (WRAPPERS.has(current.type) && current.expression) current = current.expression as Node & { expression?: Node }
  return current
}

/** The text of `'x'`, `"x"` or `` `x` `` (no substitutions), else null. */
export function stringValue(node: Node | null | undefined): string | null {
  if (!node) return null
  const n = unwrap(node)
  if (n.type === 'Literal') return typeof n.value === 'string' ? n.value : null
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? null
  return null
}

export function identifierName(node: Node | null | undefined): string | null {
  if (!node) return null
  const n = unwrap(node)
  return n.type === 'Identifier' ? n.name : null
}

/** `a.b` → `b` (not for `a[b]`). */
export function propertyName(node: Node): string | null {
  const n = unwrap(node)
  if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') return null
  return n.property.name
}

/** `x.name(…)` → its method name and property node; null for other calls. */
export function methodOf(node: Node): MethodCall | null {
  const call = unwrap(node)
  if (call.type !== 'CallExpression') return null
  const callee = unwrap(call.callee)
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return null
  return { name: callee.property.name, call, nameNode: callee.property }
}

/** The receiver of a `x.name(…)` call. */
export function receiverOf(call: CallExpression): Node {
  const callee = unwrap(call.callee)
  return callee.type === 'MemberExpression' ? callee.object : callee
}

/** `db.selectFrom('a').where(…).select(…)` → base `db` and the calls from the base outward. */
export function unrollChain(node: Node): { base: Node; calls: MethodCall[] } {
  const calls: MethodCall[] = []
  let current = unwrap(node)
  for (let link = methodOf(current); link; link = methodOf(current)) {
    calls.push(link)
    current = unwrap(receiverOf(link.call))
  }
  return { base: current, calls: calls.reverse() }
}

export function isFunction(node: Node): boolean {
  const n = unwrap(node)
  return n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression'
}

/** The name of a callback's first parameter (`qb => …`), when it is a plain identifier. */
export function firstParamName(node: Node): string | null {
  const n = unwrap(node)
  if (n.type !== 'ArrowFunctionExpression' && n.type !== 'FunctionExpression') return null
  const param = n.params[0] as Node | undefined
  return param && param.type === 'Identifier' ? param.name : null
}

/** What a callback returns: its expression body, or the arguments of its own `return` statements. */
export function returnedExpressions(node: Node): Node[] {
  const n = unwrap(node)
  if (n.type !== 'ArrowFunctionExpression' && n.type !== 'FunctionExpression' && n.type !== 'FunctionDeclaration') return []
  if (!n.body) return []
  if (n.body.type !== 'BlockStatement') return [n.body]
  const found: Node[] = []
  collectReturns(n.body.body as Statement[], found)
  return found
}

function collectReturns(statements: readonly Node[], found: Node[]): void {
  for (const statement of statements) {
    if (statement.type === 'ReturnStatement') {
      if (statement.argument) found.push(statement.argument)
    } else if (statement.type === 'BlockStatement') collectReturns(statement.body, found)
    else if (statement.type === 'IfStatement') {
      collectReturns([statement.consequent], found)
      if (statement.alternate) collectReturns([statement.alternate], found)
    }
  }
}

/** Calls `fn` on each direct child node. */
export function forEachChild(node: Node, fn: (child: Node) => void): void {
  const keys = oxcParser().visitorKeys[node.type]
  if (!keys) return
  const record = node as unknown as Record<string, unknown>
  for (const key of keys) {
    const value = record[key]
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && 'type' in item) fn(item as Node)
    } else if ('type' in value) fn(value as Node)
  }
}
