// The code frame under a finding in the text report, as ESLint's codeframe and squawk print one: the
// statement's lines with their numbers, the finding's lines marked with `>` and its span underlined
// with `^`. A long statement is trimmed to the lines around the span, a long line to a window around
// the span's start. The migration's text is untrusted: each piece passes through displayText.
import type { Finding } from '../model.js'
import { displayText } from '../util/display-text.js'
import type { FindingSource } from './finding-source.js'

export interface FramePaint {
  /** Line numbers and the `|` bar. */
  gutter: (s: string) => string
  /** The `>` marks and the carets. */
  mark: (s: string) => string
}

/** Lines of the statement shown before and after the span. */
const CONTEXT = 1
/** A span of more lines shows its first and last ones around a `…`. */
const HEAD = 3
const TAIL = 2
/** Characters of a line shown. */
const WIDTH = 120

export function codeFrame(source: FindingSource, f: Finding, paint: FramePaint): string[] {
  const { lines, region } = source
  const start = { line: f.line, column: f.column }
  const end = f.endLine !== undefined && f.endColumn !== undefined && f.endLine >= f.line ? { line: Math.min(f.endLine, lines.length), column: f.endColumn } : { line: f.line, column: f.column + 1 }
  const shown = shownLines(region, start.line, end.line)
  const offset = windowStart(lines[start.line - 1] ?? '', start.column)
  const numberWidth = String(Math.max(...shown.map(n => n ?? 0))).length
  const out: string[] = []
  for (const n of shown) {
    if (n === null) {
      out.push(`    ${paint.gutter(`${' '.repeat(numberWidth)} |`)} …`)
      continue
    }
    const marked = n >= start.line && n <= end.line
    const text = lines[n - 1]
    const { display, from, to } = clip(text, offset, n === start.line ? start.column - 1 : firstNonBlank(text), n === end.line ? end.column - 1 : text.trimEnd().length)
    out.push(`  ${marked ? paint.mark('>') : ' '} ${paint.gutter(`${String(n).padStart(numberWidth)} |`)}${display ? ` ${display}` : ''}`.trimEnd())
    if (marked) {
      // The caret line copies the tabs of the text before the span, so the carets land under it.
      const before = display.slice(0, from).replace(/[^\t]/g, ' ')
      out.push(`    ${paint.gutter(`${' '.repeat(numberWidth)} |`)} ${before}${paint.mark('^'.repeat(Math.max(1, to - from)))}`)
    }
  }
  return out
}

/** Line numbers to show (null for an elision): the region around the span, the span's middle cut when long. */
function shownLines(region: { line: number; endLine: number }, first: number, last: number): (number | null)[] {
  const from = Math.min(first, Math.max(region.line, first - CONTEXT))
  const to = Math.max(last, Math.min(region.endLine, last + CONTEXT))
  const all = Array.from({ length: to - from + 1 }, (_, i) => from + i)
  const spanLength = last - first + 1
  if (spanLength <= HEAD + TAIL + 1) return all
  const before = all.filter(n => n < first)
  const after = all.filter(n => n > last)
  const head = Array.from({ length: HEAD }, (_, i) => first + i)
  const tail = Array.from({ length: TAIL }, (_, i) => last - TAIL + 1 + i)
  return [...before, ...head, null, ...tail, ...after]
}

/** Where a long line's window starts: at 0 unless the span starts too far right to be seen. */
function windowStart(line: string, column: number): number {
  return line.length <= WIDTH || column - 1 < WIDTH - 20 ? 0 : column - 1 - 20
}

/**
 * The line shown (escaped, cut to the window with `…` at each cut) and where the span's [from, to)
 * falls in it.
 */
function clip(text: string, offset: number, spanFrom: number, spanTo: number): { display: string; from: number; to: number } {
  const cutStart = offset > 0 && offset < text.length
  const window = text.slice(cutStart ? offset : 0, (cutStart ? offset : 0) + WIDTH)
  const cutEnd = (cutStart ? offset : 0) + WIDTH < text.trimEnd().length
  const base = cutStart ? offset : 0
  const lead = cutStart ? '…' : ''
  const escaped = (a: number, b: number) => displayText(window.slice(Math.max(0, a - base), Math.max(0, b - base)))
  const from = lead.length + escaped(base, Math.max(base, spanFrom)).length
  const to = lead.length + escaped(base, Math.max(base, Math.min(spanTo, base + WIDTH))).length
  return { display: `${lead}${displayText(window).trimEnd()}${cutEnd ? '…' : ''}`, from, to: Math.max(to, from) }
}

function firstNonBlank(text: string): number {
  const match = /\S/.exec(text)
  return match ? match.index : 0
}
