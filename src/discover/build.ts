// Turns migration texts into Migration values. Discovery decides which texts belong together
// (up/down pairs, dbmate sections); this module only parses them (and, for Kysely, runs them).
import { hashKey } from '../util/hash-key.js'
import { getter, lazyFields, method, stateOf } from '../util/lazy-fields.js'
import type { LayoutName, LoadProblem, Migration, SourceFile, Statement } from '../model.js'
import { importsLocalFiles, type Capture } from '../parse/kysely/capture.js'
import { KyselySource, loadProblemsOf, toStatements } from '../parse/kysely/statements.js'
import { isBinaryText, markTransactions, maxTextSize, parseSql } from '../parse/sql.js'
import { SourceText } from '../parse/source-text.js'
import type { ByteRange } from '../parse/split.js'
import { applyRunnerDetection, type RunnerDetection, type RunnerTransactions } from './runner-transactions.js'

export interface SqlPart {
  path: string
  text: string
  /** The file was not valid UTF-8 (its text holds replacement characters). */
  invalidUtf8?: boolean
  /** Names the text without reading it (a git blob id): keys the parse instead of the text. */
  contentId?: string
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
 * Parsed statements by file, text and how the runner sends it: a release run meets most migrations
 * twice (as shipped at the base and as they are now) and --staged three times; the text is the same,
 * so is the parse. Not kept on disk: reading a parse back (file + JSON.parse) costs about what parsing
 * does, and writing 10,000 of them made a cold run 8× slower. What is cached is what comes after the
 * parse: the base schema, the findings of an unchanged run, Kysely captures.
 */
const parsed = new Map<string, RunnerTransactions>()

/**
 * Statements are parsed on first use: a release run whose base schema comes from the cache never
 * parses the shipped migrations at all. Copies must keep the getters (copyMigration, not a spread).
 */
export function buildSqlMigration(input: SqlMigrationInput): Migration {
  const migration = {
    id: input.id,
    path: input.up.path,
    downPath: input.down?.path ?? null,
    order: input.order,
    layout: input.layout,
    // dbmate's up and down are sections of one file: one source.
    sources: input.down && input.down.path !== input.up.path ? [sourceOf(input.up), sourceOf(input.down)] : [sourceOf(input.up)],
    inRelease: true,
    editedSinceBase: false,
  }
  return lazyFields(migration, LAZY, new LazyStatements(input), SQL_MIGRATION_FIELDS) as typeof migration & Migration
}

const LAZY = Symbol('lazy statements')
const lazyOf = (migration: Migration) => stateOf<LazyStatements>(migration, LAZY)

/** The fields every SQL migration computes on first use, through its LazyStatements (shared by its copies). */
const SQL_MIGRATION_FIELDS: PropertyDescriptorMap = {
  up: getter<Migration>(function () {
    return lazyOf(this).up().statements
  }),
  down: getter<Migration>(function () {
    return lazyOf(this).down()
  }),
  transactional: getter<Migration>(function () {
    return lazyOf(this).up().transactional
  }),
  implicitTransaction: getter<Migration>(function () {
    return lazyOf(this).up().implicit === true
  }),
  fingerprint: getter<Migration>(function () {
    return lazyOf(this).fingerprint()
  }),
  forgetStatements: method<Migration>(function () {
    lazyOf(this).forget()
  }),
  statementCounts: method<Migration>(function () {
    return lazyOf(this).counts()
  }),
}

/** What a SQL migration parses on first use, and lets go of once the lint is done with it. */
class LazyStatements {
  // Keys hash the parts: computed when asked, as most migrations of a --staged run are never parsed
  // nor replayed (the index's shipped ones).
  private keys: { up: string; down: string | null } | undefined
  private parsedUp: RunnerTransactions | undefined
  private parsedDown: Statement[] | null | undefined
  private print: string | undefined
  // Counted when the statements are let go, so that the summary does not parse them again.
  private counted: { up: StatementCounts; down: StatementCounts | undefined } | undefined

  constructor(private readonly input: SqlMigrationInput) {}

  private keysOf() {
    return (this.keys ??= { up: partKey(this.input.up), down: this.input.down ? partKey(this.input.down) : null })
  }

  up(): RunnerTransactions {
    return (this.parsedUp ??= parse(this.input.up, this.keysOf().up))
  }

  down(): Statement[] | null {
    if (this.parsedDown === undefined) this.parsedDown = this.input.down ? parse(this.input.down, this.keysOf().down!).statements : null
    return this.parsedDown
  }

  fingerprint(): string {
    const keys = this.keysOf()
    return (this.print ??= hashKey('sql', this.input.id, this.input.layout, keys.up, keys.down ?? ''))
  }

  forget(): void {
    if (!this.parsedUp) return
    const down = this.parsedDown
    this.counted = { up: countOf(this.parsedUp.statements), down: down === undefined ? this.counted?.down : countOf(down ?? []) }
    parsed.delete(this.keysOf().up)
    if (this.keysOf().down) parsed.delete(this.keysOf().down!)
    this.parsedUp = undefined
    this.parsedDown = undefined
  }

  counts(): StatementCounts {
    const up = this.parsedUp ? countOf(this.parsedUp.statements) : (this.counted?.up ?? countOf(this.up().statements))
    const down = this.parsedDown !== undefined || !this.counted?.down ? countOf(this.down() ?? []) : this.counted.down
    return { statements: up.statements + down.statements, unparsed: up.unparsed + down.unparsed }
  }
}

interface StatementCounts {
  statements: number
  unparsed: number
}

function countOf(statements: readonly Statement[]): StatementCounts {
  let unparsed = 0
  for (const s of statements) if (s.parseError !== null) unparsed++
  return { statements: statements.length, unparsed }
}

/** The part's text stays unread until asked for (see lazyPart). */
function sourceOf(part: SqlPart): SourceFile {
  return lazyFields({ path: part.path, contentId: part.contentId }, PART, part, SOURCE_FIELDS) as SourceFile
}

const PART = Symbol('part')
const SOURCE_FIELDS: PropertyDescriptorMap = {
  text: getter<SourceFile>(function () {
    return stateOf<SqlPart>(this, PART).text
  }),
}

/** A copy with some fields changed that keeps the lazy statements lazy (a spread would parse them). */
export function copyMigration(migration: Migration, changes: Partial<Pick<Migration, 'order' | 'inRelease' | 'editedSinceBase'>>): Migration {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(migration)) as Migration
  return Object.assign(copy, changes)
}

/**
 * By content id, or by text: base and head share their texts (the same string objects, see at-ref),
 * and a Map finds a string it has seen by identity, where hashing it again would read it whole.
 */
const partKeys = new Map<string, Map<string, string>>()

function partKey(part: SqlPart): string {
  const ranges = (part.pieces ?? [part.range]).map(r => `${r?.start}:${r?.end}`).join(',')
  const shape = [part.path, part.inTransaction, part.detection, ranges, maxTextSize()].join('\0')
  // A blob id names the bytes, and with them the text and whether it was valid UTF-8.
  if (part.contentId) return hashKey(shape, 'blob', part.contentId)
  const flags = `${shape}\0${part.invalidUtf8 === true}`
  let byFlags = partKeys.get(part.text)
  if (!byFlags) partKeys.set(part.text, (byFlags = new Map()))
  let key = byFlags.get(flags)
  if (!key) byFlags.set(flags, (key = hashKey(flags, part.text)))
  return key
}

function parse(part: SqlPart, key: string): RunnerTransactions {
  let result = parsed.get(key)
  if (!result) {
    result = parsePart(part)
    parsed.set(key, result)
  }
  return result
}

function parsePart(part: SqlPart): RunnerTransactions {
  const invalidUtf8 = part.invalidUtf8 === true
  const source = new SourceText(part.path, part.text)
  // Each piece is parsed alone, as the runner sends it; BEGIN … COMMIT still counts across pieces. A
  // binary file stays one unparsed statement, whatever its breakpoints say.
  const pieces = isBinaryText(source.bytes, invalidUtf8) ? undefined : part.pieces
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
  // Lazy like SQL migrations: placing each recorded query at its .ts statement parses the file with
  // oxc, and a shipped migration whose schema comes from the cache needs neither that nor the SQL parse.
  let up: Statement[] | undefined
  let down: Statement[] | null | undefined
  // Cross-checking the capture against the text parses it: only for migrations something asks about.
  let loadProblems: LoadProblem[] | undefined
  return {
    id: input.id,
    path: input.path,
    downPath: hasDown ? input.path : null,
    order: input.order,
    layout: 'kysely',
    get up() {
      return (up ??= toStatements(capture.up, source, options.transactions))
    },
    get down() {
      if (down === undefined) down = hasDown ? toStatements(capture.down, source, options.transactions) : null
      return down
    },
    transactional: options.transactions,
    sources: [{ path: input.path, text: input.text }],
    inRelease: true,
    editedSinceBase: false,
    fingerprint: kyselyFingerprint(input, capture, options),
    get loadProblems() {
      return (loadProblems ??= loadProblemsOf(capture, source))
    },
  }
}

/** Null unless the capture is complete and depends on the file's text alone. */
function kyselyFingerprint(input: KyselyMigrationInput, capture: Capture, options: KyselyOptions): string | null {
  if (capture.problems.length || importsLocalFiles(input.text)) return null
  return hashKey('kysely', input.id, input.path, String(options.transactions), input.text)
}
