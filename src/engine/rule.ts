// What a rule is (STYLE.md "The shape of one rule"): metadata, docs that double as tests, message
// templates, and pure checks over a context. Rules read no files and run no git.
import type { Category, Location, Migration, Severity, Statement } from '../model.js'
import type { Schema } from '../schema/schema.js'
import type { NodeKind } from '../sql/ast.js'
import type { UsageScan } from '../usage/usage.js'

export interface RuleDocs {
  /** One paragraph: what goes wrong in production. */
  why: string
  /** A migration that yields the rule. */
  bad: string
  /** The same intent written safely; yields no finding of this rule. */
  good: string
  /** The safe alternative, shown as the finding's help. */
  fix: string
  /** The same for a Kysely migration (.ts/.js), where it reads otherwise: `await sql\`…\`.execute(db)`. */
  kyselyFix?: string
  /** SQL that runs (as an already shipped migration) before `bad` and `good`, when they need a table. */
  setup?: string
  /** `bad`/`good` are lists of file names, not SQL (rules about files rather than statements). */
  examples?: 'sql' | 'file-names'
}

export interface TableOptions {
  large?: boolean
}

export interface RuleConfig {
  postgresVersion: number
  tables: Readonly<Record<string, TableOptions>>
}

/** What the code of the previous release (base) and of this one (head) reads and writes. */
export interface CodeUsage {
  /** How messages name the base: `v1.4`. */
  baseLabel: string
  base: UsageScan
  head: UsageScan
  /**
   * Where the previous release's code may use a table (or one of its columns) although no reader
   * established it: the evidence that makes a change unproven. Empty when nothing could.
   */
  unestablished(query: UseQuery): UnestablishedUse[]
}

/** A table or one of its columns; or an enum label, with the tables that hold the enum (and its type name). */
export type UseQuery = { table: string; column?: string } | { label: string; names: string[] }

/** A place the previous release may use something; `file` null when there is no code to point at. */
export interface UnestablishedUse {
  file: string | null
  line: number
  column: number
  /** `a query there could not be resolved (…)`, `names users.email in code no reader understands`. */
  why: string
}

export interface MigrationContext {
  readonly migration: Migration
  readonly config: RuleConfig
  /** Null outside release mode (no git history, or no code scanned): rules must say what they could not check. */
  readonly code: CodeUsage | null
  /** The schema after this migration's statements (for migration-level rules). */
  readonly schema: Schema
  /** Whether the table was there before this release: shipped, or made outside the migrations we see. */
  existedBeforeRelease(table: string): boolean
  existedBeforeMigration(table: string): boolean
  /** Likewise for an enum type (by its name as migrations write it). */
  enumExistedBeforeRelease(name: string): boolean
  columnExistedBeforeRelease(table: string, column: string): boolean
}

export interface StatementContext extends MigrationContext {
  readonly statement: Statement
  /** Position of the statement in `migration.up`. */
  readonly index: number
  /** The schema just before this statement. */
  readonly schema: Schema
}

export interface Report {
  messageId: string
  data?: Record<string, string | number>
  /** Defaults to the statement's location (or the migration file's first line). */
  loc?: Location
  /** Overrides docs.fix as the help line. */
  help?: string
  /** The help for a Kysely migration, where the SQL of `help` would not be what its author writes. */
  kyselyHelp?: string
  /** The table a locking finding is about: findings on tables new in the release are dropped. */
  table?: string
  /** The object a finding on a drop is about (`users.email`): findings of several rules on one drop meet by it (src/engine/drop-notes.ts). */
  subject?: string
  /** The column a drop takes away, as it was: judged again against the schema the release leaves, where it may be back (src/engine/drop-notes.ts). */
  dropped?: DroppedColumnState
  /**
   * A finding the rest of the release may make moot (the index a foreign key lacks, created by a later
   * migration of the release): judged again against the schema the release leaves, and dropped when this
   * says it no longer holds there (src/engine/drop-notes.ts).
   */
  holdsAtReleaseEnd?: (end: Schema) => boolean
}

/** A dropped column as it was; `type` (TypeInfo.text) null when the model did not know it (then the finding stands). */
export interface DroppedColumnState {
  table: string
  column: string
  type: string | null
  /** The rule's message for a column back with another type (data gains oldType, newType); null: then it is no finding of the rule's. */
  retyped: string | null
}

/** A message's own severity (and category) where its case differs from the rule's usual one. */
export interface MessageLevel {
  severity: Severity
  category?: Category
}

export interface RuleDefinition<M extends string = string> {
  id: string
  category: Category
  severity: Severity
  /**
   * Messages whose case weighs otherwise than the rule's (a shipped migration only reformatted is a
   * note, edited under a runner that ignores the edit a warning): see findingLevel.
   */
  levels?: Partial<Record<M, MessageLevel>>
  /** One line for `migrate-lint rules`. */
  summary: string
  docs: RuleDocs
  messages: Record<M, string>
  /**
   * The statement kinds `statement()` can report on: the top-level key of `statement.ast`
   * (`AlterTableStmt`, `IndexStmt` …). The engine calls it on those only, as most statements of a
   * long migration concern few rules. Left out, it runs on every statement, unparsed ones included:
   * leave it out unless every other kind surely yields nothing (test/engine/statement-kinds.test.ts).
   */
  statementKinds?: readonly NodeKind[]
  statement?(ctx: StatementContext): Report[]
  migration?(ctx: MigrationContext): Report[]
}

export type Rule = Readonly<RuleDefinition>

export function defineRule<M extends string>(rule: RuleDefinition<M>): Rule {
  return Object.freeze(rule) as Rule
}

/**
 * The severity and category of a finding with `messageId`: the message's own level, else the rule's.
 * A config setting for the rule replaces the severity, except that a note stays a note: an info-level
 * message says nothing is wrong, and raising the rule is about the cases that are.
 */
export function findingLevel(rule: Rule, messageId: string, setting?: Severity): { severity: Severity; category: Category } {
  const own = rule.levels?.[messageId]
  const severity = own?.severity === 'info' ? 'info' : (setting ?? own?.severity ?? rule.severity)
  return { severity, category: own?.category ?? rule.category }
}

export function renderMessage(template: string, data: Record<string, string | number> = {}): string {
  const parts = templateParts(template)
  let out = parts[0]
  for (let i = 1; i < parts.length; i += 3) {
    const whole = parts[i]
    const key = parts[i + 1]
    out += (key in data ? String(data[key]) : whole) + parts[i + 2]
  }
  return out
}

/**
 * A template split at its placeholders: text, then `{{ key }}`, key and text again for each. Rules
 * have a few hundred templates and a lint renders tens of thousands of findings (issue 16): each is
 * split once, not matched again per finding.
 */
const PLACEHOLDER = /(\{\{\s*(\w+)\s*\}\})/
const splitTemplates = new Map<string, readonly string[]>()

function templateParts(template: string): readonly string[] {
  let parts = splitTemplates.get(template)
  if (!parts) splitTemplates.set(template, (parts = template.split(PLACEHOLDER)))
  return parts
}
