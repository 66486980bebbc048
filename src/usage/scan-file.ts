// One app file: parse it with oxc-parser and walk the whole AST once, reading every query site
// (Kysely chains, `sql` templates, `.query(` / `.raw(` strings) where it stands.
import type { ParserOptions } from 'oxc-parser'
import { addUnresolved, fileContext, finishInsert, type FileContext } from './file-context.js'
import { rememberBuilder, rememberConstants, rememberObject } from './file-bindings.js'
import { forEachChild, oxcParser, type Node } from './js-node.js'
import { readChain } from './kysely-chain.js'
import { otherCall } from './loose-calls.js'
import { collectFunctions, readFunctionQueries } from './query-functions.js'
import { isSqlTag, readSqlTemplate } from './raw-sql.js'
import type { InsertStatement, Unresolved, Usage } from './usage.js'
import { READERS } from './readers/index.js'
import { NO_ENV, type DataLayerReader, type ReaderEnv } from './readers/reader.js'

export interface FileUsage {
  usages: Usage[]
  inserts: InsertStatement[]
  unresolved: Unresolved[]
}

/** `env`: what the readers know of the same release besides this file (its Prisma schema). */
export function scanFile(path: string, text: string, env: ReaderEnv = NO_ENV): FileUsage {
  const ctx = fileContext(path, text)
  const readers = READERS.filter(reader => reader.mentions(text, env))
  try {
    const result = oxcParser().parseSync(path, text, { lang: langOf(path), astType: 'js', preserveParens: false })
    const error = result.errors.find(e => e.severity === 'Error')
    if (error) addUnresolved(ctx, error.labels[0]?.start ?? 0, `the file does not parse: ${error.message}`)
    const program = result.program as Node
    collectFunctions(program, ctx)
    readFunctionQueries(ctx)
    walk(program, ctx, readers, env)
  } catch (error) {
    // oxc reports syntax errors as values; what is thrown here is exceptional (e.g. nesting too deep).
    addUnresolved(ctx, 0, `the file could not be scanned: ${(error as Error).message}`)
  }
  return {
    usages: ctx.usages.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column),
    inserts: ctx.inserts.map(draft => finishInsert(ctx, draft)),
    unresolved: ctx.unresolved,
  }
}

/** By extension; plain `.js` may hold JSX (oxc rejects it unless told). */
function langOf(path: string): ParserOptions['lang'] {
  if (/\.[cm]?ts$/.test(path)) return 'ts'
  return path.endsWith('.tsx') ? 'tsx' : 'jsx'
}

/** Depth-first, in source order, with an explicit stack: generated code can nest deeper than the JS stack. */
function walk(program: Node, ctx: FileContext, readers: readonly DataLayerReader[], env: ReaderEnv): void {
  const stack: Node[] = [program]
  const children: Node[] = []
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!ctx.done.has(node) && readers.some(reader => reader.read(node, ctx, env))) ctx.done.add(node)
    else visit(node, ctx)
    forEachChild(node, child => children.push(child))
    while (children.length) stack.push(children.pop() as Node)
  }
}

function visit(node: Node, ctx: FileContext): void {
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
}
