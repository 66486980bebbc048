// One app file: parse it with oxc-parser and walk the whole AST once, reading every query site
// (Kysely chains, `sql` templates, `.query(` / `.raw(` strings) where it stands.
import { parseSync, type ParserOptions } from 'oxc-parser'
import { addUnresolved, addUsage, fileContext, finishInsert, type FileContext } from './file-context.js'
import { parseColumnRef } from './column-ref.js'
import {
  forEachChild,
  identifierName,
  methodOf,
  receiverOf,
  returnedExpressions,
  stringValue,
  unwrap,
  type MethodCall,
  type Node,
} from './js-node.js'
import { normalizeTable } from './table-scope.js'
import { readChain } from './kysely-chain.js'
import { collectFunctions, readFunctionQueries } from './query-functions.js'
import { isSqlTag, readSqlArgument, readSqlTemplate } from './raw-sql.js'
import type { InsertStatement, Unresolved, Usage } from './usage.js'

export interface FileUsage {
  usages: Usage[]
  inserts: InsertStatement[]
  unresolved: Unresolved[]
}

export function scanFile(path: string, text: string): FileUsage {
  const ctx = fileContext(path, text)
  try {
    const result = parseSync(path, text, { lang: langOf(path), astType: 'js', preserveParens: false })
    const error = result.errors.find(e => e.severity === 'Error')
    if (error) addUnresolved(ctx, error.labels[0]?.start ?? 0, `the file does not parse: ${error.message}`)
    const program = result.program as Node
    collectFunctions(program, ctx)
    readFunctionQueries(ctx)
    walk(program, ctx)
  } catch (error) {
    addUnresolved(ctx, 0, `the file does not parse: ${(error as Error).message}`)
  }
  return {
    usages: ctx.usages.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column),
    inserts: ctx.inserts.map(draft => finishInsert(ctx, draft)),
    unresolved: ctx.unresolved,
  }
}

/** By extension; plain `.js` may hold JSX (oxc rejects it unless told). */
function langOf(path: string): ParserOptions['lang'] {
  if (path.endsWith('.d.ts')) return 'dts'
  if (/\.[cm]?ts$/.test(path)) return 'ts'
  if (path.endsWith('.tsx')) return 'tsx'
  if (/\.([cm]?js|jsx)$/.test(path)) return 'jsx'
  return 'tsx'
}

function walk(node: Node, ctx: FileContext): void {
  switch (node.type) {
    case 'VariableDeclaration':
      if (node.kind === 'const') rememberConstants(node.declarations, ctx)
      break
    case 'VariableDeclarator':
      if (node.id.type === 'Identifier' && node.init) {
        rememberBuilder(node.id.name, node.init, ctx)
        rememberObject(node.id.name, node.init, ctx)
      }
      break
    case 'AssignmentExpression':
      if (node.operator === '=' && node.left.type === 'Identifier') rememberBuilder(node.left.name, node.right, ctx)
      break
    case 'CallExpression':
      if (!ctx.done.has(node) && !readChain(node, ctx, null)) otherCall(node, ctx)
      break
    case 'TaggedTemplateExpression':
      if (!ctx.done.has(node) && isSqlTag(node)) {
        ctx.done.add(node)
        readSqlTemplate(node, { ctx, scope: null, kind: 'select' })
      }
      break
  }
  forEachChild(node, child => walk(child, ctx))
}

function rememberConstants(declarations: readonly Node[], ctx: FileContext): void {
  for (const declaration of declarations) {
    if (declaration.type !== 'VariableDeclarator' || declaration.id.type !== 'Identifier') continue
    const value = stringValue(declaration.init)
    if (value !== null) ctx.constants.set(declaration.id.name, value)
  }
}

/** `let q = db.selectFrom('person')` / `q = q.where(…)`: later links on `q` see the same tables. */
function rememberBuilder(name: string, value: Node, ctx: FileContext): void {
  const n = unwrap(value)
  if (n.type !== 'CallExpression' || ctx.done.has(n)) return
  const state = readChain(n, ctx, null)
  if (!state) return
  ctx.builders.set(name, state)
  const last = methodOf(n)
  if (last?.name === 'as') ctx.derivedTables.set(name, stringValue(last.call.arguments[0] as Node | undefined) ?? name)
}

/** `const row = { … }` or `const rows = items.map(i => ({ … }))`, for `values(row)` later. */
function rememberObject(name: string, value: Node, ctx: FileContext): void {
  const n = unwrap(value)
  if (n.type === 'ObjectExpression') return void ctx.objects.set(name, n)
  const method = methodOf(n)
  const [fn] = (method?.name === 'map' ? method.call.arguments : []) as Node[]
  const returned = fn ? returnedExpressions(fn) : []
  if (returned.length === 1 && unwrap(returned[0]).type === 'ObjectExpression') ctx.objects.set(name, unwrap(returned[0]))
}

/**
 * `client.query('SELECT …')`, `knex.raw('…')`, `sql.raw('…')`; and `sql.ref('t.c')` /
 * `db.dynamic.ref('t.c')` outside a chain (e.g. a pagination keyset), where only a qualified
 * reference says its table.
 */
function otherCall(node: Node, ctx: FileContext): void {
  const method = methodOf(node)
  if (method?.name === 'ref') return standaloneRef(method, ctx)
  if (!method || (method.name !== 'query' && method.name !== 'raw')) return
  const first = method.call.arguments[0] as Node | undefined
  if (!first) return
  const mode = method.name === 'raw' ? 'statement-or-fragment' : 'statement'
  if (readSqlArgument(first, { ctx, scope: null, kind: 'select' }, mode)) ctx.done.add(node)
}

function standaloneRef(method: MethodCall, ctx: FileContext): void {
  const receiver = unwrap(receiverOf(method.call))
  const fromKysely =
    identifierName(receiver) === 'sql' ||
    (receiver.type === 'MemberExpression' && !receiver.computed && receiver.property.type === 'Identifier' && receiver.property.name === 'dynamic')
  const [arg] = method.call.arguments as Node[]
  const ref = fromKysely ? parseColumnRef(stringValue(arg) ?? '') : null
  if (ref?.qualifier) addUsage(ctx, normalizeTable(ref.qualifier), ref.column, 'select', arg.start)
}
