// A query is located at the statement of the migration that ran it: from `await db.schema` down to
// its `.execute()`, however the chain is wrapped. The stack gives the `.execute()` call; the module's
// syntax tree (oxc-parser) gives the statement around it.
import { oxcParser } from '../../usage/js-node.js'
import { LineIndex } from '../../util/line-index.js'
import type { Frame } from './protocol.js'

interface Span {
  start: number
  end: number
}

const STATEMENTS = new Set(['ExpressionStatement', 'VariableDeclaration', 'ReturnStatement', 'ThrowStatement', 'ImportDeclaration'])

/** Parsed on first use: a migration that ran no query costs no parse. */
export class StatementSpans {
  private readonly lines: LineIndex
  private program: unknown = undefined

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineIndex(text)
  }

  /** Where the innermost statement holding this position starts; null when the file did not parse. */
  statementStart(frame: Frame): Frame | null {
    const program = this.parsed()
    if (!program) return null
    const offset = this.lines.offset(frame.line, frame.column)
    if (offset === null) return null
    const span = innermostStatement(program, offset)
    return span ? this.position(span.start) : null
  }

  /**
   * Where `up` or `down` is declared (`export async function up`, `export const up =`, a method of
   * `export default { … }`): what a migration that never finished is reported at.
   */
  declarationOf(name: string): Frame | null {
    const program = this.parsed() as { body?: unknown[] } | null
    const span = program?.body?.map(node => declaring(node, name)).find(Boolean)
    return span ? this.position(span.start) : null
  }

  private parsed(): unknown {
    if (this.program === undefined) {
      const parsed = oxcParser().parseSync(this.file, this.text, { lang: /\.[cm]?tsx?$/.test(this.file) ? 'ts' : 'js', sourceType: 'module' })
      this.program = parsed.errors.length ? null : parsed.program
    }
    return this.program
  }

  private position(offset: number): Frame {
    return this.lines.position(offset)
  }
}

/** Walks down only through the nodes that hold the offset; the deepest statement wins. */
function innermostStatement(root: unknown, offset: number): Span | null {
  let found: Span | null = null
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item)
      return
    }
    if (!value || typeof value !== 'object') return
    const node = value as { type?: unknown; start?: unknown; end?: unknown; expression?: unknown; body?: unknown }
    if (typeof node.start === 'number' && typeof node.end === 'number' && (offset < node.start || offset >= node.end)) return
    if (typeof node.type === 'string' && STATEMENTS.has(node.type)) found = node as Span
    // `async trx => trx.schema….execute()`: the arrow's expression body is the statement.
    if (node.type === 'ArrowFunctionExpression' && node.expression === true) {
      const body = node.body as Span
      if (offset >= body.start && offset < body.end) found = body
    }
    for (const key of Object.keys(node)) {
      if (key !== 'start' && key !== 'end' && key !== 'type') visit((node as Record<string, unknown>)[key])
    }
  }
  visit(root)
  return found
}

interface DeclarationNode extends Span {
  type: string
  declaration?: DeclarationNode | null
  id?: { name?: string } | null
  declarations?: DeclarationNode[]
  properties?: (DeclarationNode & { key?: { name?: string } })[]
}

/** The top-level statement that declares `name`, or the method of a default-exported object. */
function declaring(node: unknown, name: string): Span | null {
  const n = node as DeclarationNode
  const inner = n.type === 'ExportNamedDeclaration' || n.type === 'ExportDefaultDeclaration' ? n.declaration : n
  if (!inner) return null
  if (inner.type === 'FunctionDeclaration' && inner.id?.name === name) return n
  if (inner.type === 'VariableDeclaration' && inner.declarations?.some(d => d.id?.name === name)) return n
  if (inner.type === 'ObjectExpression') return inner.properties?.find(p => p.key?.name === name) ?? null
  return null
}
