// SQL text taken out of the app code, with a map back to the code: usages point at the line of the
// column inside a multi-line template, not only at the template's start.
import type { Node } from './js-node.js'

/** A run of SQL text that came from one place: `exact` when it is the code's text character for character. */
interface Piece {
  sqlStart: number
  codeStart: number
  exact: boolean
}

export interface SqlSource {
  readonly text: string
  readonly pieces: readonly Piece[]
  /** Where the whole SQL starts in the code: errors without a position point here. */
  readonly anchor: number
  /** How many `${…}` the template has. */
  readonly substitutions: number
}

/** What a `${…}` becomes in the SQL text. */
export type Substitute = (expression: Node, index: number) => string

type TemplateLiteralNode = Extract<Node, { type: 'TemplateLiteral' }>

export function templateSource(template: TemplateLiteralNode, code: string, substitute: Substitute): SqlSource {
  const pieces: Piece[] = []
  let text = ''
  template.quasis.forEach((quasi, i) => {
    const raw = quasi.value.raw
    const cooked = quasi.value.cooked ?? raw
    pieces.push({ sqlStart: text.length, codeStart: quasiContentStart(quasi, code), exact: cooked === raw })
    text += cooked
    const expression = template.expressions[i]
    if (!expression) return
    pieces.push({ sqlStart: text.length, codeStart: expression.start, exact: false })
    text += substitute(expression, i + 1)
  })
  return { text, pieces, anchor: template.start, substitutions: template.expressions.length }
}

export function literalSource(node: Node, value: string, code: string): SqlSource {
  const inner = code.slice(node.start + 1, node.end - 1)
  const pieces = [{ sqlStart: 0, codeStart: node.start + 1, exact: inner === value }]
  return { text: value, pieces, anchor: node.start, substitutions: 0 }
}

/**
 * oxc's TemplateElement span includes the delimiter before it (`` ` `` or `}`), unlike ESTree's;
 * look at the code instead of trusting either.
 */
function quasiContentStart(quasi: { start: number }, code: string): number {
  const c = code[quasi.start]
  return c === '`' || c === '}' ? quasi.start + 1 : quasi.start
}

/** Code offset of a UTF-8 byte offset into `prefix + source.text` (libpg-query counts bytes). */
export function codeOffset(source: SqlSource, prefix: string, byteOffset: number): number {
  const index = charIndex(prefix + source.text, byteOffset) - prefix.length
  if (index < 0) return source.anchor
  let piece = source.pieces[0]
  for (const p of source.pieces) {
    if (p.sqlStart > index) break
    piece = p
  }
  if (!piece) return source.anchor
  return piece.exact ? piece.codeStart + (index - piece.sqlStart) : piece.codeStart
}

function charIndex(text: string, byteOffset: number): number {
  if (byteOffset <= 0) return 0
  // ASCII up to the offset: bytes and UTF-16 units agree.
  let ascii = true
  for (let i = 0; i < byteOffset && i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false
      break
    }
  }
  if (ascii) return Math.min(byteOffset, text.length)
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length
}
