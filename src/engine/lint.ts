// Replays migrations into the schema model in order and runs the rules on the ones being linted.
// Replay is one mutable schema walked forward; each rule sees it as it stands before the statement.
import type { Node } from '@pgsql/types'
import type { Finding, Location, Migration, Severity, Statement } from '../model.js'
import { applyStatement } from '../schema/replay.js'
import { Schema, type Origin } from '../schema/schema.js'
import { kindOf } from '../sql/ast.js'
import type { CodeUsage, MigrationContext, Report, Rule, RuleConfig, StatementContext } from './rule.js'
import { findingsUndoneByRelease, settledByRelease, type FindingToSettle } from './drop-notes.js'
import { findingLevel, renderMessage } from './rule.js'

export type ReleaseMode =
  /** No history: each migration is judged as if it shipped alone. */
  | 'per-migration'
  /** Migrations with `inRelease` ship together; the others shipped before. */
  | 'release'

export interface LintOptions {
  rules: readonly Rule[]
  severities?: Readonly<Record<string, Severity>>
  config: RuleConfig
  mode: ReleaseMode
  code?: CodeUsage | null
  /** Run rules only on these migrations (ids); the others are only replayed. --staged judges what is staged. */
  only?: ReadonlySet<string>
  /** The schema before the first migration (the base release's, from the cache); it is changed in place. */
  start?: Schema
}

export interface LintResult {
  findings: Finding[]
  /** Report.subject of the findings that gave one. */
  subjects: Map<Finding, string>
  /** The schema after every migration. */
  schema: Schema
}

export function lintMigrations(migrations: readonly Migration[], options: LintOptions): LintResult {
  const schema = options.start ?? new Schema()
  const findings: Finding[] = []
  const subjects = new Map<Finding, string>()
  const rulesFor = statementDispatch(options.rules)
  const migrationRules = options.rules.filter(r => r.migration)
  const code = options.code ?? null
  // Findings judged again once their release is done (in per-migration mode each migration is its own
  // release): before the first migration of another release runs, and after the last.
  const toSettle: FindingToSettle[] = []
  const undone = new Set<Finding>()
  const settle = () => findingsUndoneByRelease(toSettle.splice(0), schema).forEach(f => undone.add(f))
  let previousKey: string | undefined
  for (let migration of migrations) {
    const releaseKey = options.mode === 'release' ? (migration.inRelease ? 'release' : 'base') : migration.id
    if (releaseKey !== previousKey) settle()
    previousKey = releaseKey
    const origin: Origin = { migrationId: migration.id, releaseKey }
    const linted = (options.mode === 'per-migration' || migration.inRelease) && (!options.only || options.only.has(migration.id))
    if (!linted) {
      for (const statement of withInner(migration.up)) applyStatement(schema, statement.ast, origin)
      // The schema has moved past it: its syntax trees are not needed any more (streamed, issue 16).
      migration.forgetStatements?.()
      continue
    }
    migration = asRun(migration)
    const migrationCtx = new MigrationScope(migration, options.config, code, schema, origin)
    const emit = (rule: Rule, reports: Report[], fallback: Location) => {
      for (const report of reports) {
        const finding = toFinding(rule, report, fallback, migration, options, migrationCtx)
        if (!finding) continue
        findings.push(finding)
        if (report.subject !== undefined) subjects.set(finding, report.subject)
        if (settledByRelease(report)) toSettle.push({ finding, rule, report })
      }
    }
    // One context for all the statements of the migration, moved along: a rule uses it only while it
    // runs (no rule keeps it), so none can see a later statement through it, and a long migration
    // allocates nothing per statement.
    const ctx = new StatementScope(migration, options.config, code, schema, origin)
    for (let index = 0; index < migration.up.length; index++) {
      const statement = migration.up[index]
      ctx.statement = statement
      ctx.index = index
      for (const rule of rulesFor(statement.ast)) emit(rule, rule.statement!(ctx), statement.loc)
      applyStatement(schema, statement.ast, origin)
    }
    for (const rule of migrationRules) emit(rule, rule.migration!(migrationCtx), fileStart(migration.path))
    migration.forgetStatements?.()
  }
  settle()
  return { findings: undone.size ? findings.filter(f => !undone.has(f)) : findings, subjects, schema }
}

/** The statements as they run: each DO block followed by the statements it runs (Statement.inner). */
export function withInner(statements: readonly Statement[]): readonly Statement[] {
  return statements.some(s => s.inner) ? statements.flatMap(s => (s.inner ? [s, ...s.inner] : [s])) : statements
}

/** The migration as replay and the rules read it: its DO blocks' statements among the others. */
function asRun(migration: Migration): Migration {
  const up = withInner(migration.up)
  const down = migration.down && withInner(migration.down)
  if (up === migration.up && down === migration.down) return migration
  // A copy that keeps the other fields' getters (a spread would parse what they leave lazy).
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(migration)) as Migration
  return Object.defineProperties(copy, { up: { value: up, enumerable: true }, down: { value: down, enumerable: true } })
}

/**
 * The statement rules to run on a statement of the given AST, in the order they were given: those
 * that declare its kind and those that declare none. The lists are made once per lint.
 */
function statementDispatch(rules: readonly Rule[]): (ast: Node | null) => readonly Rule[] {
  const statementRules = rules.filter(r => r.statement)
  const anyKind = statementRules.filter(r => !r.statementKinds)
  const byKind = new Map<string, readonly Rule[]>()
  for (const kind of new Set(statementRules.flatMap(r => r.statementKinds ?? []))) {
    byKind.set(kind, statementRules.filter(r => !r.statementKinds || r.statementKinds.includes(kind)))
  }
  return ast => {
    const kind = kindOf(ast)
    return (kind !== undefined && byKind.get(kind)) || anyKind
  }
}

/**
 * What a rule asks of the release about the migration it judges. A class, not an object of closures
 * spread into each context: the contexts of 10,000 migrations then share one shape and one set of
 * methods, which the rules' calls find at once (issue 16).
 */
class MigrationScope implements MigrationContext {
  constructor(
    readonly migration: Migration,
    readonly config: RuleConfig,
    readonly code: CodeUsage | null,
    readonly schema: Schema,
    private readonly origin: Origin,
  ) {}

  // A materialized view (or a view) made in the release is as new as a table: nobody else uses it yet.
  isNewInRelease(table: string): boolean {
    return (this.schema.table(table)?.origin ?? this.schema.views.get(table))?.releaseKey === this.origin.releaseKey
  }

  // A table the model does not know was made outside the migrations we see: it exists, with data.
  existedBeforeRelease(table: string): boolean {
    return !this.isNewInRelease(table)
  }

  existedBeforeMigration(table: string): boolean {
    return this.schema.table(table)?.origin.migrationId !== this.origin.migrationId
  }

  columnExistedBeforeRelease(table: string, column: string): boolean {
    if (this.isNewInRelease(table)) return false
    const col = this.schema.column(table, column)
    return !col || col.origin.releaseKey !== this.origin.releaseKey
  }

  enumExistedBeforeRelease(name: string): boolean {
    return this.schema.enums.get(name)?.origin.releaseKey !== this.origin.releaseKey
  }
}

/** The context of the statement rules, moved from statement to statement of the migration. */
class StatementScope extends MigrationScope implements StatementContext {
  statement: Statement
  index = 0

  constructor(migration: Migration, config: RuleConfig, code: CodeUsage | null, schema: Schema, origin: Origin) {
    super(migration, config, code, schema, origin)
    this.statement = migration.up[0]
  }
}

export function fileStart(file: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 }
}

/** A Kysely migration's author writes TypeScript: the rule's Kysely wording when it has one. */
function helpFor(rule: Rule, report: Report, migration: Migration): string {
  const kysely = migration.layout === 'kysely' ? (report.kyselyHelp ?? (report.help === undefined ? rule.docs.kyselyFix : undefined)) : undefined
  return kysely ?? report.help ?? rule.docs.fix
}

function toFinding(
  rule: Rule,
  report: Report,
  fallback: Location,
  migration: Migration,
  options: LintOptions,
  scope: MigrationScope,
): Finding | null {
  const { category, severity: level } = findingLevel(rule, report.messageId, options.severities?.[rule.id])
  let severity = level
  if (category === 'locking' && report.table) {
    if (scope.isNewInRelease(report.table)) return null
    if (options.config.tables[report.table]?.large && !options.severities?.[rule.id]) severity = 'error'
  }
  const template = rule.messages[report.messageId]
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message id ${report.messageId}`)
  const loc = report.loc ?? fallback
  return {
    ruleId: rule.id,
    messageId: report.messageId,
    severity,
    category,
    file: loc.file,
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    message: renderMessage(template, report.data),
    help: helpFor(rule, report, migration),
    migrationId: migration.id,
  }
}
