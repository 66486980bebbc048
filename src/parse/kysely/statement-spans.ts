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

/**
 * What a lookup needs from the module's syntax tree, kept instead of the tree (10,000 trees held by
 * their migrations were ≈ 180 MB): the statements in the order the tree walk meets them, each with
 * the range of offsets at which the walk reaches it.
 */
interface Outline {
  statements: Reach[]
  /** Where `up` and `down` are declared. */
  declarations: Map<string, number>
}

/** The walk reaches this statement for offsets in [from, to): inside it and inside every node around it. */
interface Reach {
  from: number
  to: number
  start: number
}

/** Parsed on first use: a migration that ran no query costs no parse. */
export class StatementSpans {
  private readonly lines: LineIndex
  private outline: Outline | null | undefined = undefined

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.lines = new LineIndex(text)
  }

  /** Where the innermost statement holding this position starts; null when the file did not parse. */
  statementStart(frame: Frame): Frame | null {
    const outline = this.parsed()
    if (!outline) return null
    const offset = this.lines.offset(frame.line, frame.column)
    if (offset === null) return null
    // The deepest statement is the last one the walk meets.
    let found: Reach | null = null
    for (const reach of outline.statements) if (offset >= reach.from && offset < reach.to) found = reach
    return found ? this.position(found.start) : null
  }

  /**
   * Where `up` or `down` is declared (`export async function up`, `export const up =`, a method of
   * `export default { … }`): what a migration that never finished is reported at.
   */
  declarationOf(name: 'up' | 'down'): Frame | null {
    const start = this.parsed()?.declarations.get(name)
    return start === undefined ? null : this.position(start)
  }

  private parsed(): Outline | null {
    if (this.outline === undefined) {
      const parsed = oxcParser().parseSync(this.file, this.text, { lang: /\.[cm]?tsx?$/.test(this.file) ? 'ts' : 'js', sourceType: 'module' })
      this.outline = parsed.errors.length ? null : outlineOf(parsed.program)
    }
    return this.outline
  }

  private position(offset: number): Frame {
    return this.lines.position(offset)
  }
}

function outlineOf(program: unknown): Outline {
  const body = (program as { body?: unknown[] }).body
  const declarations = new Map<string, number>()
  for (const name of ['up', 'down']) {
    const span = body?.map(node => declaring(node, name)).find(Boolean)
    if (span) declarations.set(name, span.start)
  }
  return { statements: statementsOf(program), declarations }
}

/**
 * Every node the walk for one offset could go through, in its order: it goes down only through nodes
 * that hold the offset, and the deepest statement holding it wins.
 */
function statementsOf(root: unknown): Reach[] {
  const found: Reach[] = []
  const visit = (value: unknown, from: number, to: number): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, from, to)
      return
    }
    if (!value || typeof value !== 'object') return
    const node = value as { type?: unknown; start?: unknown; end?: unknown; expression?: unknown; body?: unknown }
    if (typeof node.start === 'number' && typeof node.end === 'number') {
      from = Math.max(from, node.start)
      to = Math.min(to, node.end)
      if (from >= to) return
    }
    if (typeof node.type === 'string' && STATEMENTS.has(node.type)) found.push({ from, to, start: (node as Span).start })
    // `async trx => trx.schema….execute()`: the arrow's expression body is the statement.
    if (node.type === 'ArrowFunctionExpression' && node.expression === true) {
      const body = node.body as Span
      const reach = { from: Math.max(from, body.start), to: Math.min(to, body.end), start: body.start }
      if (reach.from < reach.to) found.push(reach)
    }
    for (const key of Object.keys(node)) {
      if (key !== 'start' && key !== 'end' && key !== 'type') visit((node as Record<string, unknown>)[key], from, to)
    }
  }
  visit(root, 0, Infinity)
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
