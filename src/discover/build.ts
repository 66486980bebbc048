// Turns migration texts into Migration values. Discovery decides which texts belong together
// (up/down pairs, dbmate sections); this module only parses them (and, for Kysely, runs them).
import type { LayoutName, Migration, SourceFile, Statement } from '../model.js'
import type { Capture } from '../parse/kysely/capture.js'
import { KyselySource, toLoadProblems, toStatements } from '../parse/kysely/statements.js'
import { parseSql } from '../parse/sql.js'
import { SourceText } from '../parse/source-text.js'
import type { ByteRange } from '../parse/split.js'

export interface SqlPart {
  path: string
  text: string
  /** Only this byte range of the text holds the statements (dbmate sections). */
  range?: ByteRange
  inTransaction: boolean
}

export interface SqlMigrationInput {
  id: string
  layout: LayoutName
  order: number
  up: SqlPart
  down: SqlPart | null
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
const parsed = new Map<string, Statement[]>()

export function buildSqlMigration(input: SqlMigrationInput, invalidUtf8: ReadonlySet<string> = new Set()): Migration {
  const sources = new Map<string, SourceFile>()
  const parse = (part: SqlPart): Statement[] => {
    sources.set(part.path, { path: part.path, text: part.text })
    const bad = invalidUtf8.has(part.path)
    const key = `${part.path}\0${part.inTransaction}\0${part.range?.start}:${part.range?.end}\0${bad}\0${part.text}`
    let statements = parsed.get(key)
    if (!statements) {
      statements = parseSql(new SourceText(part.path, part.text), { inTransaction: part.inTransaction, range: part.range, invalidUtf8: bad })
      parsed.set(key, statements)
    }
    return statements
  }
  return {
    id: input.id,
    path: input.up.path,
    downPath: input.down?.path ?? null,
    order: input.order,
    layout: input.layout,
    up: parse(input.up),
    down: input.down ? parse(input.down) : null,
    transactional: input.up.inTransaction,
    sources: [...sources.values()],
    inRelease: true,
    editedSinceBase: false,
  }
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
