// A migration file as psql reads it (issue 12): some of its lines are not SQL at all, and must neither
// be parsed nor merged into the statement next to them. Checked against psql 15 (and psqlscan.l,
// copy.c, input.c):
// - a line that starts with `\` outside quotes and comments is a meta-command (`\set`, `\connect`, `\i`):
//   psql runs it itself, up to the end of the line or a `\\`, and then reads SQL again;
// - after `COPY … FROM stdin;` (and `\copy … from stdin`) psql reads the following lines as the rows
//   to load, up to a line that is exactly `\.` (or the end of the file), and then reads SQL again;
// - psql reads lines with fgets and C strings: a NUL byte silently drops the rest of its line.
// The server sees none of this: every runner but psql sends the file to it as queries, and fails.
import type { ByteRange } from './split.js'
import { isPostgresSpace, splitWithScanner } from './split.js'

export type NotSqlKind = 'copyData' | 'psqlMetaCommand' | 'binary'

export type ScriptPart = { kind: 'sql'; range: ByteRange } | { kind: NotSqlKind; range: ByteRange; detail: string }

const NEWLINE = 0x0a
const BACKSLASH = 0x5c

/** Whether a text may hold something psql reads differently from the server (cheap, before any scan). */
export const mayHoldPsqlScript = (text: string): boolean => /^[ \t\f\v\r]*\\|copy|[\x00-\x08\x0e-\x1f\x7f]/im.test(text)

/**
 * The range cut into SQL and what is no SQL, in file order, together covering every byte but blanks.
 * `copiesFromStdin` says whether a statement is a COPY … FROM stdin (it takes a parse).
 */
export function scriptParts(bytes: Buffer, range: ByteRange, copiesFromStdin: (piece: ByteRange) => boolean): ScriptPart[] {
  const notSql: Extract<ScriptPart, { detail: string }>[] = []
  const lineEnd = (at: number, stop: number) => {
    const nl = bytes.indexOf(NEWLINE, at)
    return nl < 0 || nl > stop ? stop : nl
  }
  // From the line after `after` to the line `\.` (included), or to the end: COPY rows.
  const copyData = (after: number, stop: number) => {
    const first = lineEnd(after, stop) + 1
    if (first >= stop) return -1
    for (let line = first; line < stop; line = lineEnd(line, stop) + 1) {
      const end = lineEnd(line, stop)
      const text = bytes.toString('latin1', line, end)
      if (text === '\\.' || text === '\\.\r') {
        const rows = countLines(bytes, first, line)
        notSql.push({ kind: 'copyData', range: { start: first, end: trimEnd(bytes, first, end) }, detail: `${rows} ${rows === 1 ? 'row' : 'rows'}, ended by \\.` })
        return end
      }
    }
    const rows = countLines(bytes, first, stop)
    notSql.push({ kind: 'copyData', range: { start: first, end: trimEnd(bytes, first, stop) }, detail: `${rows} ${rows === 1 ? 'line' : 'lines'}; no line \\. ends them, so every line to the end of the file is read as a row` })
    return stop
  }
  const scan = (segment: ByteRange) => {
    splitWithScanner(bytes, segment, {
      notSql(at) {
        if (bytes[at] === BACKSLASH) {
          if (!atLineStart(bytes, at)) return -1
          const end = metaCommandEnd(bytes, at, lineEnd(at, segment.end))
          const command = /^\\[^\s\\]*/.exec(bytes.toString('utf8', at, end))![0]
          notSql.push({ kind: 'psqlMetaCommand', range: { start: at, end: trimEnd(bytes, at, end) }, detail: command })
          // `\copy … from stdin` reads its rows from the file too.
          if (/^\\copy\b.*\bfrom\s+stdin\b/i.test(bytes.toString('utf8', at, end))) return Math.max(end, copyData(at, segment.end))
          return end
        }
        const end = lineEnd(at, segment.end)
        notSql.push({ kind: 'binary', range: { start: at, end: trimEnd(bytes, at, end) }, detail: `a control character (0x${bytes[at].toString(16).padStart(2, '0')}), binary, not text` })
        return end
      },
      ended(piece, semicolonAt) {
        if (!/^copy\b/i.test(bytes.toString('latin1', piece.start, piece.start + 5)) || !copiesFromStdin(piece)) return -1
        return copyData(semicolonAt, segment.end)
      },
    })
  }
  // NUL first, wherever it is (inside a quote too): no C string gets past it.
  let from = range.start
  for (let nul = bytes.indexOf(0, from); nul >= 0 && nul < range.end; nul = bytes.indexOf(0, from)) {
    if (nul > from) scan({ start: from, end: nul })
    const end = lineEnd(nul, range.end)
    notSql.push({ kind: 'binary', range: { start: nul, end: trimEnd(bytes, nul, end) }, detail: 'a NUL byte (psql silently drops the rest of the line after it; the server refuses a query that holds one)' })
    from = end
  }
  if (from < range.end) scan({ start: from, end: range.end })
  const parts: ScriptPart[] = []
  let at = range.start
  for (const piece of notSql) {
    if (piece.range.start > at) parts.push({ kind: 'sql', range: { start: at, end: piece.range.start } })
    parts.push(piece)
    at = Math.max(at, piece.range.end)
  }
  if (at < range.end) parts.push({ kind: 'sql', range: { start: at, end: range.end } })
  return parts
}

/** Only blanks between the line's start and `at`. */
function atLineStart(bytes: Buffer, at: number): boolean {
  for (let i = at - 1; i >= 0 && bytes[i] !== NEWLINE; i--) if (!isPostgresSpace(bytes[i])) return false
  return true
}

/** A meta-command ends with its line, or after a `\\` outside quotes (psql then reads SQL again). */
function metaCommandEnd(bytes: Buffer, at: number, stop: number): number {
  let quote = 0
  for (let i = at + 1; i < stop; i++) {
    const c = bytes[i]
    if (quote) {
      if (c === quote) quote = 0
    } else if (c === 0x27 || c === 0x22 || c === 0x60) quote = c
    else if (c === BACKSLASH && bytes[i + 1] === BACKSLASH && i + 1 < stop) return i + 2
  }
  return stop
}

function trimEnd(bytes: Buffer, start: number, end: number): number {
  while (end > start + 1 && isPostgresSpace(bytes[end - 1])) end--
  return end
}

function countLines(bytes: Buffer, start: number, end: number): number {
  let n = 0
  for (let i = start; i < end; i = bytes.indexOf(NEWLINE, i) + 1 || end) n++
  return n
}
