// SQL text → statements with exact locations (DESIGN §4). The whole text is parsed at once; when it
// fails, it is split with the real lexer and parsed statement by statement so that one bad statement
// never hides the others. Invariant: every statement of the text comes out, parsed or not.
import { loadModule, parseSync } from './pg-parser.js'
import type { Node, TransactionStmt } from '@pgsql/types'
import type { Location, Statement } from '../model.js'
import { SourceText } from './source-text.js'
import { isPostgresBlank, isPostgresSpace, splitStatements, type ByteRange } from './split.js'

let loading: Promise<void> | null = null
const REPLACEMENT = '\uFFFD'

/** Loads the WASM parser once per process, and only for commands that parse. */
export function loadParser(): Promise<void> {
  loading ??= loadModule()
  return loading
}

export const DEFAULT_MAX_FILE_MB = 10
const MB = 2 ** 20
// Larger texts are refused, not parsed: libpg-query needs ~60 MB of memory per MB of SQL (1.3 GB for a
// 20 MB dump), and on a 50 MB dump its parser fails and its lexer returns no tokens at all.
let maxTextBytes = DEFAULT_MAX_FILE_MB * MB

/** Config `maxFileMB`: applies to every text parsed afterwards in this process. */
export function setMaxFileMB(mb: number): void {
  maxTextBytes = mb * MB
}

/** The limit in force: what a text parses to depends on it (a larger text is refused, not parsed). */
export function maxTextSize(): number {
  return maxTextBytes
}

export interface ParseOptions {
  /** Whether the migration runner wraps this text in a transaction. */
  inTransaction: boolean
  /** Parse only this byte range of the source (e.g. one dbmate section). */
  range?: ByteRange
  /** The file was not valid UTF-8: statements holding the replaced bytes cannot be what Postgres sees. */
  invalidUtf8?: boolean
}

interface RawStatement {
  range: ByteRange
  ast: Node | null
  parseError: string | null
}

export function parseSql(source: SourceText, options: ParseOptions): Statement[] {
  const range = options.range ?? { start: 0, end: source.bytes.length }
  if (range.end - range.start > maxTextBytes) return [tooLargeStatement(source, range)]
  const binaryAt = source.bytes.subarray(range.start, range.end).indexOf(0)
  if (binaryAt >= 0) return [binaryStatement(source, range, range.start + binaryAt)]
  const raw = parseRange(source, range)
  const statements = raw.map(r => toStatement(source, r))
  if (options.invalidUtf8) {
    for (const s of statements) {
      if (!s.sql.includes(REPLACEMENT)) continue
      s.ast = null
      s.parseError = 'invalid UTF-8 byte sequence in this statement (Postgres rejects it in a UTF8 database)'
    }
  }
  return markTransactions(statements, options.inTransaction)
}

function parseRange(source: SourceText, range: ByteRange): RawStatement[] {
  const text = source.slice(range.start, range.end)
  // Postgres' whitespace, not JavaScript's: trim() also drops U+00A0, U+2028 or a BOM, which Postgres rejects.
  if (isPostgresBlank(text)) return []
  try {
    return wholeText(source, text, range)
  } catch {
    return splitStatements(source.bytes, range).map(piece => parsePiece(source, piece))
  }
}

function wholeText(source: SourceText, text: string, range: ByteRange): RawStatement[] {
  const result = parseSync(text)
  return (result.stmts ?? []).map(s => {
    const start = range.start + (s.stmt_location ?? 0)
    const end = s.stmt_len ? start + s.stmt_len : range.end
    return { range: trimRange(source, { start, end }), ast: s.stmt ?? null, parseError: null }
  })
}

function parsePiece(source: SourceText, piece: ByteRange): RawStatement {
  const text = source.slice(piece.start, piece.end)
  try {
    const result = parseSync(text)
    const stmt = result.stmts?.[0]?.stmt ?? null
    return { range: piece, ast: stmt, parseError: stmt ? null : 'no statement found' }
  } catch (error) {
    return { range: piece, ast: null, parseError: describeParseError(error, source, piece.start) }
  }
}

function describeParseError(error: unknown, source: SourceText, pieceStart: number): string {
  const err = error as { message?: string; sqlDetails?: { cursorPosition?: number } }
  const message = err.message ?? String(error)
  const cursor = err.sqlDetails?.cursorPosition
  if (typeof cursor !== 'number' || cursor < 0) return message
  const at = source.position(pieceStart + cursor)
  return `${message} (at ${at.line}:${at.column})`
}

/** Drops the whitespace that stmt_len counts before the `;` so the location ends at the last token. */
function trimRange(source: SourceText, range: ByteRange): ByteRange {
  let { start, end } = range
  const b = source.bytes
  while (start < end && isPostgresSpace(b[start])) start++
  while (end > start && isPostgresSpace(b[end - 1])) end--
  return { start, end }
}


function toStatement(source: SourceText, raw: RawStatement): Statement {
  return {
    sql: source.slice(raw.range.start, raw.range.end),
    ast: raw.ast,
    parseError: raw.parseError,
    loc: locate(source, raw.range),
    inTransaction: false,
  }
}

export function locate(source: SourceText, range: ByteRange): Location {
  const start = source.position(range.start)
  const end = source.position(range.end)
  return { file: source.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column }
}

function binaryStatement(source: SourceText, range: ByteRange, nulAt: number): Statement {
  return {
    sql: '',
    ast: null,
    parseError: `the file holds a NUL byte at offset ${nulAt}: it is binary, not SQL text`,
    loc: locate(source, { start: range.start, end: range.start }),
    inTransaction: false,
  }
}

function tooLargeStatement(source: SourceText, range: ByteRange): Statement {
  const mb = (bytes: number) => `${Number((bytes / MB).toPrecision(3))} MB`
  return {
    sql: '',
    ast: null,
    parseError:
      `not parsed, the file is too large to lint (${mb(range.end - range.start)} > limit ${mb(maxTextBytes)}); ` +
      'split it or raise "maxFileMB" in the config',
    loc: locate(source, { start: range.start, end: range.start }),
    inTransaction: false,
  }
}

/** Explicit BEGIN/COMMIT in the text override what the runner does for the statements between them. */
export function markTransactions(statements: Statement[], runnerWraps: boolean): Statement[] {
  let open = runnerWraps
  for (const statement of statements) {
    const kind = (statement.ast as { TransactionStmt?: TransactionStmt } | null)?.TransactionStmt?.kind
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = true
    statement.inTransaction = open
    if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') open = false
  }
  return statements
}
