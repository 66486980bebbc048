// Which names of a file stand for knex (issue 13), and which calls are knex queries.
// Sure: what the file takes from the 'knex' package — the factory (`import knex from 'knex'`,
// `require('knex')`), an instance made with it (`const db = knex({…})`), a name typed with its types
// (`db: Knex`, `trx: Knex.Transaction`, read from the text: the walk's AST holds no types), a transaction
// (`knex.transaction(async trx => …)`, `await knex.transaction()`).
// By their use only: a name imported from the project's own modules (`import { db } from './db'`) or a
// function's parameter, called with a table and followed by a query method (`trx('users').where(…)`) —
// the shape of a knex query, and of nothing else a JavaScript file commonly calls. A package's export
// (`$('a').first()`) or any other `db(…)` is not taken for knex.
import type { KnexQuery } from './knex-query.js'
import { forEachChild, identifierName, methodOf, propertyName, receiverOf, stringValue, unrollChain, unwrap, type CallExpression, type MethodCall, type Node } from '../js-node.js'

export interface KnexNames {
  /** Local names of what the file imports from 'knex' (the factory, the `Knex` namespace, its types). */
  readonly factories: Set<string>
  /** Names holding a knex instance or transaction (`this.db` is known by `db`). */
  readonly instances: Set<string>
  /** Names typed as a builder (`qb: Knex.QueryBuilder`): a query whose table is not known here. */
  readonly builders: Set<string>
  /** Names imported from the project's own modules, and parameters: knex only when used as a query. */
  readonly local: Set<string>
  /** `const COLUMNS = ['id', 'email']`: lets `select(COLUMNS)` name its columns. */
  readonly arrays: Map<string, Node>
  /** Variables holding a query the reader read where it was declared (`const q = db('users')`). */
  readonly variables: Map<string, KnexQuery>
  /** Those of them that are a derived table (`const recent = db('orders').as('recent')`), with its alias. */
  readonly derived: Map<string, string>
}

export function knexNames(): KnexNames {
  return { factories: new Set(), instances: new Set(), builders: new Set(), local: new Set(), arrays: new Map(), variables: new Map(), derived: new Map() }
}

/** One chain of query links: `db('users').where(…).first()` (root `db('users')`), `db.select(…).from(…)` (no root). */
export interface Chain {
  readonly root: CallExpression | null
  readonly links: readonly MethodCall[]
}

/** A project module: relative, absolute, or a path alias (`@/db`, `~/db`, `#db`), not a package. */
const PROJECT_MODULE = /^(?:\.{1,2}\/|\/|@\/|~\/|#|src\/)/

/** Learns what a file's imports and top-level requires bind, then the names its text types with knex's types. */
export function learnProgram(program: Node, names: KnexNames, text: string): void {
  if (program.type !== 'Program') return
  for (const statement of program.body as Node[]) {
    if (statement.type === 'ImportDeclaration') learnImport(statement, names)
  }
  // `Knex` also in a file that requires knex, for JSDoc types (`@param {Knex.Transaction} trx`).
  if (names.factories.size || KNEX_MODULE.test(text)) learnTypes(text, new Set([...names.factories, 'Knex']), names)
}

const KNEX_MODULE = /(?:require|import)\(\s*['"]knex['"]\s*\)/

function learnImport(node: Extract<Node, { type: 'ImportDeclaration' }>, names: KnexNames): void {
  const source = node.source.value
  const into = source === 'knex' ? names.factories : PROJECT_MODULE.test(source) ? names.local : null
  for (const specifier of into ? node.specifiers : []) into!.add(specifier.local.name)
}

/**
 * `db: Knex`, `trx?: Knex.Transaction`, `private readonly knex: Knex`, `@param {Knex} db`: instances;
 * `qb: Knex.QueryBuilder`: builders. A type named in the file's import from 'knex' (`Knex`, `Transaction`).
 */
function learnTypes(text: string, typeNames: ReadonlySet<string>, names: KnexNames): void {
  const types = [...typeNames].map(n => n.replace(/\$/g, '\\$')).join('|')
  // The type first, then the name before it: a pattern that starts at every identifier is slow on long files.
  const annotation = new RegExp(`:\\s*(?:${types})\\b(?:\\s*\\.\\s*(\\w+))?`, 'g')
  const jsdoc = new RegExp(`@param\\s*\\{\\s*(?:import\\(\\s*['"]knex['"]\\s*\\)\\.)?(?:${types})(?:\\.(\\w+))?\\s*\\}\\s*\\[?([A-Za-z_$][\\w$]*)`, 'g')
  for (const match of text.matchAll(annotation)) {
    const name = /([A-Za-z_$][\w$]*)\s*[?!]?\s*$/.exec(text.slice(Math.max(0, match.index - 80), match.index))?.[1]
    if (name) learnTyped(name, match[1], names)
  }
  for (const [, member, name] of text.matchAll(jsdoc)) learnTyped(name, member, names)
}

function learnTyped(name: string, member: string | undefined, names: KnexNames): void {
  if (member === undefined || member === 'Transaction' || member === 'Knex') names.instances.add(name)
  else if (/^(?:QueryBuilder|QueryInterface|ChainableInterface)$/.test(member)) names.builders.add(name)
}

/** `const db = knex(config)`, `const trx = await db.transaction()`, `const db = require('knex')(config)`, `const { db } = require('./db')`. */
export function learnDeclarator(node: Extract<Node, { type: 'VariableDeclarator' }>, names: KnexNames): void {
  const init = node.init ? unwrapAwait(node.init) : null
  if (!init) return
  if (node.id.type === 'ObjectPattern') {
    const source = requiredModule(init)
    const into = source === 'knex' ? names.factories : source !== null && PROJECT_MODULE.test(source) ? names.local : null
    for (const p of into ? node.id.properties : []) if (p.type === 'Property' && p.value.type === 'Identifier') into!.add(p.value.name)
    return
  }
  if (node.id.type !== 'Identifier') return
  const name = node.id.name
  const source = requiredModule(init) ?? requiredModule(unwrap(init).type === 'MemberExpression' ? (unwrap(init) as { object: Node }).object : null)
  if (source === 'knex') names.factories.add(name)
  else if (source !== null && PROJECT_MODULE.test(source)) names.local.add(name)
  else if (isInstance(init, names) || makesInstance(init, names)) names.instances.add(name)
  else if (unwrap(init).type === 'ArrayExpression') names.arrays.set(name, unwrap(init))
}

/** The parameters of a function: knex when the function uses them as knex (by shape). */
export function learnParams(fn: Node, names: KnexNames): void {
  for (const param of (fn as { params?: Node[] }).params ?? []) {
    const p = param.type === 'AssignmentPattern' ? param.left : param
    if (p.type === 'Identifier' && !names.instances.has(p.name) && !names.builders.has(p.name)) names.local.add(p.name)
  }
}

/** `db.transaction(async trx => …)` / `db.transaction(function (trx) { … })`: the callback's parameter is one. */
export function learnTransaction(call: MethodCall, names: KnexNames): boolean {
  if (call.name !== 'transaction' || !isInstance(receiverOf(call.call), names)) return false
  const callback = call.call.arguments[0] as Node | undefined
  const param = callback ? (unwrap(callback) as { params?: Node[] }).params?.[0] : undefined
  if (param?.type === 'Identifier') names.instances.add(param.name)
  return true
}

/** An instance: a name holding one, `this.db` for such a name, `knex(config)`. */
export function isInstance(node: Node, names: KnexNames): boolean {
  const n = unwrap(node)
  if (n.type === 'Identifier') return names.instances.has(n.name)
  if (n.type === 'MemberExpression' && unwrap(n.object).type === 'ThisExpression') return names.instances.has(propertyName(n) ?? '')
  return makesInstance(n, names)
}

/** `knex(config)`, `Knex.knex(config)`, `require('knex')(config)`, `db.transaction()` (no callback: it resolves to one). */
function makesInstance(node: Node, names: KnexNames): boolean {
  const n = unwrapAwait(node)
  if (n.type !== 'CallExpression' && n.type !== 'NewExpression') return false
  const callee = unwrap(n.callee)
  const configured = n.arguments.length === 0 || unwrap(n.arguments[0] as Node).type !== 'Literal'
  if (callee.type === 'Identifier' && names.factories.has(callee.name)) return configured
  if (requiredModule(callee) === 'knex') return true
  const method = methodOf(n)
  if (method && names.factories.has(identifierName(receiverOf(method.call)) ?? '') && method.name === 'knex') return true
  return method?.name === 'transaction' && n.arguments.length === 0 && isInstance(receiverOf(method.call), names)
}

/**
 * The knex query chain that ends at `node`, or null: its root is a call of an instance (`db('users')`,
 * `this.db('users')`), or its first link a query method of one (`db.select(…)`); a name known only by
 * use is knex when it is called with a table and followed by a query method.
 */
export function chainOf(node: Node, names: KnexNames, methods: QueryMethods): Chain | null {
  const { base, calls } = unrollChain(node)
  if (base.type === 'CallExpression') {
    const callee = unwrap(base.callee)
    if (callee.type === 'Identifier' && isRoot(callee.name, base, calls, names, methods)) return { root: base, links: calls }
    return null
  }
  if (base.type === 'ThisExpression' && calls.length > 0) {
    const [first, ...rest] = calls
    if (isRoot(first.name, first.call, rest, names, methods)) return { root: first.call, links: rest }
    if (names.instances.has(first.name)) return null
  }
  if (calls.length > 0 && isInstance(base, names) && methods.isQueryMethod(calls[0].name)) return { root: null, links: calls }
  // `trx.insert(row).into('users')`, `db.select('id').from('users')` on a name known by use only.
  if (names.local.has(identifierName(base) ?? '') && calls.every(link => methods.isQueryMethod(link.name)) && calls.some(namesTable)) return { root: null, links: calls }
  return null
}

/** `from('users')`, `into('users as u')`, `table('users')`: a link that names a table in a literal. */
function namesTable(link: MethodCall): boolean {
  const text = link.name === 'from' || link.name === 'into' || link.name === 'table' ? stringValue(link.call.arguments[0] as Node | undefined) : null
  return text !== null && TABLE_TEXT.test(text)
}

/** What knex's builder has: every method (`then` too), and those only a query builder has (`where`, not `then`). */
export interface QueryMethods {
  isQueryMethod(name: string): boolean
  isQueryLink(name: string): boolean
}

/** `'users'`, `'audit.events'`, `'users as u'`. */
const TABLE_TEXT = /^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?(?:\s+as\s+[A-Za-z_][\w$]*)?$/i

function isRoot(name: string, call: CallExpression, links: readonly MethodCall[], names: KnexNames, methods: QueryMethods): boolean {
  if (names.instances.has(name)) return true
  if (!names.local.has(name) || names.factories.has(name) || call.arguments.length !== 1) return false
  const table = unwrap(call.arguments[0] as Node)
  const text = stringValue(table)
  const named = text !== null ? TABLE_TEXT.test(text) : table.type === 'Identifier' || table.type === 'ObjectExpression'
  return named && links.every(link => methods.isQueryMethod(link.name)) && links.some(link => methods.isQueryLink(link.name))
}

/**
 * The chains a callback runs on the builder knex hands it: on its first parameter, and on `this` in a
 * `function` (knex calls it with the builder as both).
 */
export function callbackChains(fn: Node): MethodCall[][] {
  const f = unwrap(fn)
  if (f.type !== 'ArrowFunctionExpression' && f.type !== 'FunctionExpression' && f.type !== 'FunctionDeclaration') return []
  const param = f.params[0]?.type === 'Identifier' ? f.params[0].name : null
  return chainsOn(f.body as Node | null, param, f.type !== 'ArrowFunctionExpression')
}

/**
 * The outermost calls in `root` whose chain starts at `name` (or at `this`, `withThis`), each as its links.
 * Nested functions are searched too (the name is still in scope), but not for `this` inside another
 * `function`, which has its own.
 */
export function chainsOn(root: Node | null, name: string | null, withThis: boolean): MethodCall[][] {
  const found: MethodCall[][] = []
  const stack: [Node, boolean][] = root ? [[root, withThis]] : []
  const children: Node[] = []
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, thisIsBuilder] = top
    if (node.type === 'CallExpression') {
      const { base, calls } = unrollChain(node)
      const b = unwrap(base)
      if (calls.length > 0 && ((name !== null && b.type === 'Identifier' && b.name === name) || (thisIsBuilder && b.type === 'ThisExpression'))) {
        found.push(calls)
        continue
      }
    }
    const inner = thisIsBuilder && node.type !== 'FunctionExpression' && node.type !== 'FunctionDeclaration'
    forEachChild(node, child => children.push(child))
    while (children.length) stack.push([children.pop() as Node, inner])
  }
  return found
}

/** `require('x')` → `x`. */
function requiredModule(node: Node | null | undefined): string | null {
  const n = node ? unwrap(node) : null
  if (n?.type !== 'CallExpression' || identifierName(n.callee) !== 'require') return null
  return stringValue(n.arguments[0] as Node | undefined)
}

function unwrapAwait(node: Node): Node {
  const n = unwrap(node)
  return n.type === 'AwaitExpression' ? unwrap(n.argument) : n
}
