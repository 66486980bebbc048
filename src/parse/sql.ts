// SQL text → statements with exact locations (DESIGN §4). The whole text is parsed at once; when it
// fails, it is split with the real lexer and parsed statement by statement so that one bad statement
// never hides the others. Invariant: every statement of the text comes out, parsed or not, in file
// order without overlap. What psql reads as no SQL (COPY rows, meta-commands, a NUL byte) becomes a
// statement of its own that names what it is (psql-script.ts); a DO block carries the statements it
// runs as `inner` (do-block.ts).
import { loadModule, parseSync } from './pg-parser.js'
import type { CopyStmt, Node, TransactionStmt } from '@pgsql/types'
import type { Location, Statement } from '../model.js'
import { nodeAs } from '../sql/ast.js'
import { analyseDoBlock } from './do-block.js'
import { mayHoldPsqlScript, scriptParts, type NotSqlKind } from './psql-script.js'
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
  /** The offset the AST's locations count from (the start of the text given to the parser). */
  base: number
  notSql?: NotSqlKind
}

export function parseSql(source: SourceText, options: ParseOptions): Statement[] {
  const range = options.range ?? { start: 0, end: source.bytes.length }
  if (range.end - range.start > maxTextBytes) return [tooLargeStatement(source, range)]
  if (isBinary(source.bytes, range, options.invalidUtf8 === true)) return [binaryStatement(source, range, source.bytes.indexOf(0, range.start))]
  const raw = parseRange(source, range)
  const statements = raw.map(r => toStatement(source, r))
  if (options.invalidUtf8) {
    for (const s of statements) {
      if (!s.sql.includes(REPLACEMENT) || s.notSql) continue
      s.ast = null
      delete s.inner
      s.parseError = 'invalid UTF-8 byte sequence in this statement (Postgres rejects it in a UTF8 database)'
    }
  }
  return markTransactions(statements, options.inTransaction)
}

/**
 * A text with many NUL bytes (UTF-16), or NUL and bytes that are not UTF-8 (an image), is binary as a
 * whole: one statement says so. A stray NUL in a SQL text is a piece of its own (psql-script.ts), so the
 * statements around it are still read.
 */
function isBinary(bytes: Buffer, range: ByteRange, invalidUtf8: boolean): boolean {
  let nuls = 0
  for (let at = bytes.indexOf(0, range.start); at >= 0 && at < range.end; at = bytes.indexOf(0, at + 1)) nuls++
  return (nuls > 0 && invalidUtf8) || (nuls >= 8 && nuls * 32 >= range.end - range.start)
}

/** Whether parseSql reads the text as one binary piece: a runner's breakpoints then do not matter. */
export const isBinaryText = (bytes: Buffer, invalidUtf8: boolean): boolean => isBinary(bytes, { start: 0, end: bytes.length }, invalidUtf8)

function parseRange(source: SourceText, range: ByteRange): RawStatement[] {
  const text = source.slice(range.start, range.end)
  // Postgres' whitespace, not JavaScript's: trim() also drops U+00A0, U+2028 or a BOM, which Postgres rejects.
  if (isPostgresBlank(text)) return []
  // The parser reads a C string: it would stop at a NUL without a word.
  const nul = source.bytes.subarray(range.start, range.end).includes(0)
  let whole: RawStatement[] | null = null
  if (!nul) {
    try {
      whole = wholeText(source, text, range)
    } catch {}
    // Only a COPY … FROM stdin, or a text that does not parse and holds `\`, COPY or control bytes, is read as psql does.
    if (whole && !whole.some(s => copiesFromStdin(s.ast))) return whole
    if (!whole && !mayHoldPsqlScript(text)) return splitPieces(source, range)
  }
  const parts = scriptParts(source.bytes, range, piece => copiesFromStdin(parsePiece(source, piece).ast))
  // Nothing of psql's after all (`copy` in a comment, a COPY … FROM stdin that ends the file): parsed already.
  if (!nul && parts.length === 1 && parts[0].kind === 'sql') return whole ?? splitPieces(source, range)
  return parts.flatMap(part => {
    if (part.kind === 'sql') return parseSegment(source, part.range)
    return [{ range: part.range, ast: null, parseError: notSqlError(part.kind, part.detail), base: part.range.start, notSql: part.kind }]
  })
}

/** A range without psql's pieces: parsed whole, else split and parsed statement by statement. */
function parseSegment(source: SourceText, range: ByteRange): RawStatement[] {
  const text = source.slice(range.start, range.end)
  if (isPostgresBlank(text)) return []
  try {
    return wholeText(source, text, range)
  } catch {
    return splitPieces(source, range)
  }
}

const splitPieces = (source: SourceText, range: ByteRange) => splitStatements(source.bytes, range).map(piece => parsePiece(source, piece))

function copiesFromStdin(ast: Node | null): boolean {
  const copy: CopyStmt | undefined = nodeAs(ast, 'CopyStmt')
  return Boolean(copy?.is_from && !copy.filename && !copy.is_program)
}

function notSqlError(kind: NotSqlKind, detail: string): string {
  switch (kind) {
    case 'copyData':
      return `the rows of the COPY … FROM stdin above (${detail}), not SQL`
    case 'psqlMetaCommand':
      return `the psql meta-command ${detail}, not SQL`
    case 'binary':
      return detail
  }
}

function wholeText(source: SourceText, text: string, range: ByteRange): RawStatement[] {
  const result = parseSync(text)
  return (result.stmts ?? []).map(s => {
    const start = range.start + (s.stmt_location ?? 0)
    const end = s.stmt_len ? start + s.stmt_len : range.end
    return { range: trimRange(source, { start, end }), ast: s.stmt ?? null, parseError: null, base: range.start }
  })
}

function parsePiece(source: SourceText, piece: ByteRange): RawStatement {
  const text = source.slice(piece.start, piece.end)
  try {
    const result = parseSync(text)
    const stmt = result.stmts?.[0]?.stmt ?? null
    return { range: piece, ast: stmt, parseError: stmt ? null : 'no statement found', base: piece.start }
  } catch (error) {
    return { range: piece, ast: null, parseError: describeParseError(error, source, piece.start), base: piece.start }
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
  const statement: Statement = {
    sql: source.slice(raw.range.start, raw.range.end),
    ast: raw.ast,
    parseError: raw.parseError,
    loc: locate(source, raw.range),
    inTransaction: false,
  }
  if (raw.notSql) statement.notSql = raw.notSql
  const doStmt = nodeAs(raw.ast, 'DoStmt')
  if (doStmt) {
    const { inner, unanalysed } = analyseDoBlock(source, doStmt, raw.range, raw.base)
    // A DO block runs as one statement: what it runs shares its transaction, whatever the runner does.
    if (inner.length) statement.inner = inner.map(s => ({ sql: s.sql, ast: s.ast, parseError: null, loc: locate(source, s.range), inTransaction: true }))
    if (unanalysed) statement.unanalysed = unanalysed
  }
  return statement
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
