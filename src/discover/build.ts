// Turns migration texts into Migration values. Discovery decides which texts belong together
// (up/down pairs, dbmate sections); this module only parses them (and, for Kysely, runs them).
import type { LayoutName, Migration, SourceFile } from '../model.js'
import type { Capture } from '../parse/kysely/capture.js'
import { KyselySource, toLoadProblems, toStatements } from '../parse/kysely/statements.js'
import { markTransactions, parseSql } from '../parse/sql.js'
import { SourceText } from '../parse/source-text.js'
import type { ByteRange } from '../parse/split.js'
import { applyRunnerDetection, type RunnerDetection, type RunnerTransactions } from './runner-transactions.js'

export interface SqlPart {
  path: string
  text: string
  /** Only this byte range of the text holds the statements (dbmate sections). */
  range?: ByteRange
  /** The runner sends these byte ranges one at a time, each a text of its own (Drizzle's breakpoints). */
  pieces?: readonly ByteRange[]
  inTransaction: boolean
  /** The runner itself keeps statements that cannot run in a transaction block out of its transaction. */
  detection?: RunnerDetection
}

export interface SqlMigrationInput {
  id: string
  layout: LayoutName
  order: number
  up: SqlPart
  down: SqlPart | null
  /**
   * How the runner orders it, when the leading number of its name does not say: `name` (Prisma sorts
   * folder names as strings) or a version (Flyway's dotted version, the index in Drizzle's journal).
   */
  sortBy?: 'name' | readonly bigint[]
}

/** One Kysely migration file; its text comes through the FileReader (disk, or a git ref). */
export interface KyselyMigrationInput {
  id: string
  layout: 'kysely'
  order: number
  path: string
  text: string
}

export interface KyselyOptions {
  /** Kysely's Migrator wraps each migration in a transaction unless told otherwise. */
  transactions: boolean
  timeoutMs: number
}

export const DEFAULT_KYSELY_OPTIONS: KyselyOptions = { transactions: true, timeoutMs: 5000 }

/**
 * Parsed statements by file and text: a release run meets most migrations twice (as shipped at the
 * base and as they are now) and --staged three times; the text is the same, so is the parse.
 */
const parsed = new Map<string, RunnerTransactions>()

export function buildSqlMigration(input: SqlMigrationInput, invalidUtf8: ReadonlySet<string> = new Set()): Migration {
  const sources = new Map<string, SourceFile>()
  const parse = (part: SqlPart): RunnerTransactions => {
    sources.set(part.path, { path: part.path, text: part.text })
    const bad = invalidUtf8.has(part.path)
    const ranges = (part.pieces ?? [part.range]).map(r => `${r?.start}:${r?.end}`).join(',')
    const key = `${part.path}\0${part.inTransaction}\0${part.detection}\0${ranges}\0${bad}\0${part.text}`
    let result = parsed.get(key)
    if (!result) {
      result = parsePart(part, bad)
      parsed.set(key, result)
    }
    return result
  }
  const up = parse(input.up)
  return {
    id: input.id,
    path: input.up.path,
    downPath: input.down?.path ?? null,
    order: input.order,
    layout: input.layout,
    up: up.statements,
    down: input.down ? parse(input.down).statements : null,
    transactional: up.transactional,
    sources: [...sources.values()],
    inRelease: true,
    editedSinceBase: false,
  }
}

function parsePart(part: SqlPart, invalidUtf8: boolean): RunnerTransactions {
  const source = new SourceText(part.path, part.text)
  // Each piece is parsed alone, as the runner sends it; BEGIN … COMMIT still counts across pieces. A
  // binary file stays one unparsed statement, whatever its breakpoints say.
  const pieces = source.bytes.includes(0) ? undefined : part.pieces
  const statements = pieces
    ? markTransactions(pieces.flatMap(range => parseSql(source, { inTransaction: false, range, invalidUtf8 })), part.inTransaction)
    : parseSql(source, { inTransaction: part.inTransaction, range: part.range, invalidUtf8 })
  return part.detection
    ? applyRunnerDetection(part.detection, statements, part.inTransaction)
    : { statements, transactional: part.inTransaction }
}

/** `capture` is what running the file's up() and down() against the recording database gave. */
export function buildKyselyMigration(input: KyselyMigrationInput, capture: Capture, options: KyselyOptions): Migration {
  const source = new KyselySource(input.path, input.text)
  const hasDown = capture.exports?.down ?? false
  return {
    id: input.id,
    path: input.path,
    downPath: hasDown ? input.path : null,
    order: input.order,
    layout: 'kysely',
    up: toStatements(capture.up, source, options.transactions),
    down: hasDown ? toStatements(capture.down, source, options.transactions) : null,
    transactional: options.transactions,
    sources: [{ path: input.path, text: input.text }],
    inRelease: true,
    editedSinceBase: false,
    loadProblems: toLoadProblems(capture, source),
  }
}
