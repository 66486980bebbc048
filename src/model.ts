// The plain data every stage hands to the next (DESIGN §2). No behaviour lives here.
import type { Node } from '@pgsql/types'

export type Severity = 'error' | 'warning' | 'info'
/** `style`: opinions a team switches on in the config (squawk's prefer-* rules); off by default. */
export type Category = 'revert-safety' | 'locking' | 'data-loss' | 'hygiene' | 'style'
/** `unproven`: a change of the migration could not be checked against the previous release's code. */
export type Phase = 'expand' | 'migrate' | 'contract' | 'breaking' | 'unproven'

/** 1-based line and column; columns count characters, not bytes; the end is exclusive (as in SARIF and ESLint). */
export interface Location {
  file: string
  line: number
  column: number
  endLine: number
  endColumn: number
}

export interface Statement {
  sql: string
  /** The statement's node (e.g. `{ AlterTableStmt: … }`), null when it did not parse. */
  ast: Node | null
  parseError: string | null
  loc: Location
  /** Runner wraps it in a transaction (or an explicit BEGIN in the file opened one). */
  inTransaction: boolean
  /**
   * Why part of what the statement does could not be analysed (dynamic SQL in a DO block, …): the
   * release is then at best unproven (rule unproven-change), never revert-safe.
   */
  unanalysed?: string
  /** A piece that is no SQL at all, as psql reads the file (COPY rows, a meta-command line, binary bytes); parseError says more. */
  notSql?: 'copyData' | 'psqlMetaCommand' | 'binary'
  /**
   * The statements a DO block runs (its static SQL, and EXECUTE of a constant string), each located at
   * its own text inside the DO's range; the lint replays and checks them right after the DO. The
   * statements of a text come in file order without overlap: inner ones are not among them.
   */
  inner?: Statement[]
}

export type LayoutName = 'sql' | 'golang-migrate' | 'dbmate' | 'diesel' | 'prisma' | 'drizzle' | 'flyway' | 'supabase' | 'kysely'

export interface Migration {
  /** Stable id: the path of the migration relative to the repository (file or folder). */
  id: string
  /** Where findings about the migration as a whole point (the up file). */
  path: string
  downPath: string | null
  order: number
  layout: LayoutName
  up: Statement[]
  down: Statement[] | null
  /** The migration runner wraps the up in a transaction (dbmate, diesel, Kysely's Migrator). */
  transactional: boolean
  /**
   * That transaction is Postgres's implicit one: the runner sends the statements as one query
   * (golang-migrate; dbmate and diesel with their transaction switched off).
   */
  implicitTransaction?: boolean
  /** Text of the files, kept for suppression comments. */
  sources: SourceFile[]
  inRelease: boolean
  editedSinceBase: boolean
  /**
   * A hash of everything replay and the rules read from this migration (id, layout, texts, how the
   * runner sends them); null when that is not known from its text alone (a Kysely file that imports
   * other local files). Keys the caches of what replaying a run of migrations gave.
   */
  fingerprint: string | null
  /** Kysely only: what kept the migration from being seen whole (it threw, hung, or read data back). */
  loadProblems?: LoadProblem[]
  /**
   * Lets go of the parsed statements once the lint has replayed and judged the migration (a run kept
   * every syntax tree alive to its end: ≈ 14 KB per migration); asked for again, they are parsed again.
   */
  forgetStatements?(): void
  /** How many statements up and down hold, and how many did not parse: known after they are forgotten. */
  statementCounts?(): { statements: number; unparsed: number }
}

/** A Kysely migration that could not be run to the end against the recording driver (DESIGN §4). */
export interface LoadProblem {
  /**
   * `failed`: it threw or did not finish; `partial`: it read data back and stopped on the empty result;
   * `uncaptured`: a query its text runs never reached the recorder (a branch not taken, a builder
   * changed), or its text could not be compared with what ran.
   */
  kind: 'failed' | 'partial' | 'uncaptured'
  /** `module` when importing the file failed, before up() or down() could run. */
  part: 'module' | 'up' | 'down'
  reason: string
  /** `uncaptured` at a query: the call as written, shortened (`db.schema.dropTable('users')…execute()`). */
  query?: string
  loc: Location
}

export interface SourceFile {
  path: string
  text: string
  /** Git's blob id of the file: equal ids are equal texts, neither read. */
  contentId?: string
}

export interface Suppression {
  reason: string | null
}

export interface Finding {
  ruleId: string
  /** Which of the rule's messages; internal (tests assert it), not part of the JSON contract. */
  messageId?: string
  severity: Severity
  category: Category
  file: string
  line: number
  column: number
  endLine?: number
  endColumn?: number
  message: string
  help: string
  migrationId?: string
  suppressed?: { reason: string }
}

export interface MigrationSummary {
  id: string
  file: string
  phase: Phase
  findings: number
}

/**
 * DESIGN §7: `revert-safe` only when every change the release makes was checked against every use the
 * previous release's code makes; `unproven` when a change that can break old code meets a use that
 * could not be established (a query no reader understands, a mention in code of another language, no
 * code at all, a statement that could not be analysed).
 */
export type Verdict = 'revert-safe' | 'not-revert-safe' | 'unproven'

/** What kept a change from being proven safe, where the evidence is. */
export interface UnprovenReason {
  reason: string
  file: string
  line: number
}

export interface Release {
  base: string | null
  head: string
  migrations: MigrationSummary[]
  verdict: Verdict
  /** True only for the verdict `revert-safe`. */
  revertSafe: boolean
  /** The findings that make the release not revert-safe. */
  blocking: Finding[]
  /** Why the release is unproven (empty unless the verdict is `unproven`, or worse). */
  unproven: UnprovenReason[]
}
