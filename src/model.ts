// The plain data every stage hands to the next (DESIGN §2). No behaviour lives here.
import type { Node } from '@pgsql/types'

export type Severity = 'error' | 'warning' | 'info'
export type Category = 'revert-safety' | 'locking' | 'data-loss' | 'hygiene'
export type Phase = 'expand' | 'migrate' | 'contract' | 'breaking'

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
}

/** A Kysely migration that could not be run to the end against the recording driver (DESIGN §4). */
export interface LoadProblem {
  /** `failed`: it threw or did not finish; `partial`: it read data back and stopped on the empty result. */
  kind: 'failed' | 'partial'
  /** `module` when importing the file failed, before up() or down() could run. */
  part: 'module' | 'up' | 'down'
  reason: string
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

export interface Release {
  base: string | null
  head: string
  migrations: MigrationSummary[]
  revertSafe: boolean
  blocking: Finding[]
}
