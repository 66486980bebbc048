// Splitting a SQL text into statements when the whole text does not parse. The real Postgres lexer
// (libpg-query's scanSync) is used first; it refuses texts with an unterminated quote or comment,
// and then a byte scanner that knows quotes, dollar quotes and comments takes over, so the text up
// to the broken token is still split correctly and the rest becomes one (unparsable) statement.
import { scanSync } from 'libpg-query'

export interface ByteRange {
  start: number
  end: number
}

const SEMICOLON = 0x3b

export function splitStatements(bytes: Buffer, range: ByteRange): ByteRange[] {
  const text = bytes.toString('utf8', range.start, range.end)
  try {
    return splitWithLexer(text).map(r => ({ start: r.start + range.start, end: r.end + range.start }))
  } catch {
    return splitWithScanner(bytes, range)
  }
}

function splitWithLexer(text: string): ByteRange[] {
  const tokens = scanSync(text).tokens
  const pieces: ByteRange[] = []
  let start = -1
  let end = -1
  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue
    if (token.tokenName === 'ASCII_59') {
      if (start >= 0) pieces.push({ start, end })
      start = -1
      continue
    }
    if (start < 0) start = token.start
    end = token.end
  }
  if (start >= 0) pieces.push({ start, end })
  return pieces
}

/** Byte-level splitter: ASCII delimiters never occur inside a UTF-8 multi-byte sequence. */
export function splitWithScanner(bytes: Buffer, range: ByteRange): ByteRange[] {
  const pieces: ByteRange[] = []
  let start = -1
  let end = -1
  let i = range.start
  const stop = range.end
  const mark = (from: number, to: number) => {
    if (start < 0) start = from
    end = to
  }
  while (i < stop) {
    const c = bytes[i]
    const next = i + 1 < stop ? bytes[i + 1] : -1
    if (c === 0x2d && next === 0x2d) {
      // -- comment to end of line
      while (i < stop && bytes[i] !== 0x0a) i++
      continue
    }
    if (c === 0x2f && next === 0x2a) {
      i = skipBlockComment(bytes, i, stop)
      continue
    }
    if (c === SEMICOLON) {
      if (start >= 0) pieces.push({ start, end })
      start = -1
      i++
      continue
    }
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) {
      i++
      continue
    }
    const from = i
    if (c === 0x27) i = skipQuoted(bytes, i, stop, 0x27, isEscapeString(bytes, i, range.start))
    else if (c === 0x22) i = skipQuoted(bytes, i, stop, 0x22, false)
    else if (c === 0x24) i = skipDollar(bytes, i, stop)
    else i++
    mark(from, i)
  }
  if (start >= 0) pieces.push({ start, end })
  return pieces
}

function skipBlockComment(bytes: Buffer, i: number, stop: number): number {
  let depth = 0
  while (i < stop) {
    if (bytes[i] === 0x2f && bytes[i + 1] === 0x2a) {
      depth++
      i += 2
    } else if (bytes[i] === 0x2a && bytes[i + 1] === 0x2f) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return stop
}

function isEscapeString(bytes: Buffer, quoteAt: number, floor: number): boolean {
  const before = quoteAt - 1 >= floor ? bytes[quoteAt - 1] : -1
  return before === 0x45 || before === 0x65 // E'…' / e'…'
}

function skipQuoted(bytes: Buffer, i: number, stop: number, quote: number, backslashEscapes: boolean): number {
  i++
  while (i < stop) {
    const c = bytes[i]
    if (backslashEscapes && c === 0x5c) {
      i += 2
      continue
    }
    if (c === quote) {
      if (bytes[i + 1] === quote && i + 1 < stop) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return stop
}

const isTagStart = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80
const isTagPart = (c: number) => isTagStart(c) || (c >= 0x30 && c <= 0x39)

function skipDollar(bytes: Buffer, i: number, stop: number): number {
  let j = i + 1
  if (j < stop && isTagStart(bytes[j])) {
    while (j < stop && isTagPart(bytes[j])) j++
  }
  if (bytes[j] !== 0x24 || j >= stop) return i + 1 // `$1` parameter or a lone `$`
  const tag = bytes.subarray(i, j + 1)
  const close = bytes.indexOf(tag, j + 1)
  return close < 0 || close >= stop ? stop : close + tag.length
}
