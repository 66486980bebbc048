// Splitting a SQL text into statements when the whole text does not parse. The real Postgres lexer
// (libpg-query's scanSync) is used first; it refuses texts with an unterminated quote or comment,
// and then a byte scanner that knows quotes, dollar quotes and comments takes over, so the text up
// to the broken token is still split correctly and the rest becomes one (unparsable) statement.
import { scanSync } from './pg-parser.js'

export interface ByteRange {
  start: number
  end: number
}

const SEMICOLON = 0x3b
const BACKSLASH = 0x5c
const LEAD_WORDS = new Set(['create', 'or', 'replace', 'function', 'procedure'])

/**
 * Which `;` ends a statement, by psql's rule (psqlscan.l): any, except inside the BEGIN … END body of
 * CREATE [OR REPLACE] FUNCTION|PROCEDURE (a SQL-standard body, `BEGIN ATOMIC … END;`), where CASE … END
 * nests too. Unlike psql, a `;` inside parentheses still ends the statement, so that one unbalanced
 * parenthesis in a broken statement cannot swallow the rest of the file.
 */
class StatementEnds {
  /** First letters of the statement's first four words, ' ' for a word that is none of LEAD_WORDS. */
  private lead = ''
  private parens = 0
  private depth = 0

  word(text: string): void {
    const word = text.toLowerCase()
    if (this.lead.length < 4) this.lead += LEAD_WORDS.has(word) ? word[0] : ' '
    if (this.parens > 0 || !/^c(f|p|orf|orp)/.test(this.lead)) return
    if (word === 'begin') this.depth++
    else if (word === 'case' && this.depth > 0) this.depth++
    else if (word === 'end' && this.depth > 0) this.depth--
  }

  paren(open: boolean): void {
    this.parens = open ? this.parens + 1 : Math.max(0, this.parens - 1)
  }

  /** Whether this `;` ends the statement (the next word then starts a new one). */
  semicolon(): boolean {
    if (this.depth > 0) return false
    this.lead = ''
    this.parens = 0
    return true
  }
}

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
  // On a huge text (a 50 MB dump) scanSync returns no tokens instead of failing: the byte scanner takes over.
  if (!tokens.length && !isPostgresBlank(text)) throw new Error('the lexer returned no tokens')
  const pieces: ByteRange[] = []
  const ends = new StatementEnds()
  let start = -1
  let end = -1
  for (const token of tokens) {
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue
    if (token.tokenName === 'ASCII_59' && ends.semicolon()) {
      if (start >= 0) pieces.push({ start, end })
      start = -1
      continue
    }
    if (token.tokenName === 'ASCII_40' || token.tokenName === 'ASCII_41') ends.paren(token.tokenName === 'ASCII_40')
    // psql counts keywords and unquoted identifiers as words.
    else if (token.keywordKind > 0 || (token.tokenName === 'IDENT' && !token.text.startsWith('"'))) ends.word(token.text)
    if (start < 0) start = token.start
    end = token.end
  }
  if (start >= 0) pieces.push({ start, end })
  return pieces
}

/**
 * What psql reads differently from the server (psql-script.ts): the scanner asks these at the places
 * only a byte outside quotes and comments reaches.
 */
export interface ScannerHooks {
  /** At a `\` or a control byte: the end of the piece that is no SQL starting there, or -1 when it is SQL. */
  notSql(at: number): number
  /** After the `;` that ends `piece`: where SQL goes on (past COPY data), or -1 right after the `;`. */
  ended(piece: ByteRange, semicolonAt: number): number
}

/** Byte-level splitter: ASCII delimiters never occur inside a UTF-8 multi-byte sequence. */
export function splitWithScanner(bytes: Buffer, range: ByteRange, hooks?: ScannerHooks): ByteRange[] {
  const pieces: ByteRange[] = []
  let ends = new StatementEnds()
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
    if (hooks && (c === BACKSLASH || isControl(c))) {
      const notSqlEnd = hooks.notSql(i)
      if (notSqlEnd >= 0) {
        // The piece cuts off any statement in progress: what came before it is a statement of its own.
        if (start >= 0) pieces.push({ start, end })
        start = -1
        ends = new StatementEnds()
        i = Math.max(notSqlEnd, i + 1)
        continue
      }
    }
    if (c === 0x2d && next === 0x2d) {
      // -- comment to end of line
      while (i < stop && bytes[i] !== 0x0a) i++
      continue
    }
    if (c === 0x2f && next === 0x2a) {
      i = skipBlockComment(bytes, i, stop)
      continue
    }
    if (c === SEMICOLON && ends.semicolon()) {
      const resume = start >= 0 && hooks ? hooks.ended({ start, end }, i) : -1
      if (start >= 0) pieces.push({ start, end })
      start = -1
      i = Math.max(resume, i + 1)
      continue
    }
    if (isPostgresSpace(c)) {
      i++
      continue
    }
    const from = i
    if (isIdentStart(c)) {
      // A word, `$` included (`a$b$` is an identifier, not a dollar quote); `E'…'` takes backslash escapes.
      while (i < stop && isIdentPart(bytes[i])) i++
      ends.word(bytes.toString('latin1', from, i))
      if (i - from === 1 && (c === 0x45 || c === 0x65) && i < stop && bytes[i] === 0x27) i = skipQuoted(bytes, i, stop, 0x27, true)
    } else if (c === 0x27) i = skipQuoted(bytes, i, stop, 0x27, false)
    else if (c === 0x22) i = skipQuoted(bytes, i, stop, 0x22, false)
    else if (c === 0x24) i = skipDollar(bytes, i, stop)
    else {
      if (c === 0x28 || c === 0x29) ends.paren(c === 0x28)
      i++
    }
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

const isIdentStart = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80
const isTagPart = (c: number) => isIdentStart(c) || (c >= 0x30 && c <= 0x39)
const isIdentPart = (c: number) => isTagPart(c) || c === 0x24

function skipDollar(bytes: Buffer, i: number, stop: number): number {
  let j = i + 1
  if (j < stop && isIdentStart(bytes[j])) {
    while (j < stop && isTagPart(bytes[j])) j++
  }
  if (bytes[j] !== 0x24 || j >= stop) return i + 1 // `$1` parameter or a lone `$`
  const tag = bytes.subarray(i, j + 1)
  const close = bytes.indexOf(tag, j + 1)
  // The closing tag must lie whole inside the range (a dbmate section ends before the next marker).
  return close < 0 || close + tag.length > stop ? stop : close + tag.length
}

/** A control character that is not whitespace (NUL included): binary, never SQL outside a quote. */
export const isControl = (c: number) => c <= 0x08 || (c >= 0x0e && c <= 0x1f) || c === 0x7f

/** Postgres' whitespace (scan.l `space`): JavaScript's trim() and \s also take U+00A0, U+2028 or a BOM, which Postgres rejects. */
export const isPostgresSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b

export const isPostgresBlank = (text: string) => /^[ \t\n\r\f\v]*$/.test(text)
