// The one verdict (DESIGN §7): not revert-safe with an unsuppressed revert-safety finding (or a
// statement Postgres cannot parse: the deploy itself fails, and nothing could check it); unproven with
// an unsuppressed unproven-change finding (a change whose old-code use could not be established);
// revert-safe otherwise. A phase per migration.
import type { Finding, Migration, MigrationSummary, Phase, Release, Verdict } from '../model.js'
import { alterTableCommands, droppedTables } from '../sql/statements.js'
import { kindOf } from '../sql/ast.js'
import { withInner } from '../engine/lint.js'

/**
 * Findings that make a release unproven, not unsafe: a change whose old-code use was not established,
 * a migration verify could not replay to its end, and a Kysely migration the linter could not run to
 * the end (it failed to load — often only in the linter's environment — its up() stopped on a read, or
 * holds a query that never ran under the linter): what it does was never seen. What down() does
 * changes no verdict.
 */
function unprovenBy(f: Finding): boolean {
  if (f.ruleId === 'migration-partially-captured') return !DOWN_ONLY.has(f.messageId ?? '')
  // verify: a statement of an up that did not run (Postgres refused it, or verify would not run it)
  // leaves the rest of its migration, and all that builds on it, unchecked on a real Postgres.
  if (f.ruleId === 'verify-statement-failed') return f.messageId === 'upFailed' || f.messageId === 'refused' || f.messageId === 'extensionMissing'
  return f.ruleId === 'unproven-change' || f.ruleId === 'migration-load-failed'
}

const DOWN_ONLY = new Set(['partialDown', 'uncapturedDown', 'notCrossCheckedDown'])

export function isBlocking(f: Finding): boolean {
  if (f.suppressed || unprovenBy(f)) return false
  if (f.ruleId === 'unparsed-statement') return f.severity === 'error'
  return f.category === 'revert-safety'
}

export function isUnproven(f: Finding): boolean {
  return !f.suppressed && unprovenBy(f)
}

export function buildRelease(base: string | null, head: string, migrations: readonly Migration[], findings: readonly Finding[]): Release {
  const blocking = findings.filter(isBlocking)
  const unproven = findings.filter(isUnproven).map(f => ({ reason: f.message, file: f.file, line: f.line }))
  const summaries: MigrationSummary[] = migrations.map(m => {
    const own = findings.filter(f => f.migrationId === m.id && !f.suppressed)
    return { id: m.id, file: m.path, phase: phaseOf(m, own), findings: own.length }
  })
  const verdict: Verdict = blocking.length ? 'not-revert-safe' : unproven.length ? 'unproven' : 'revert-safe'
  return { base, head, migrations: summaries, verdict, revertSafe: verdict === 'revert-safe', blocking, unproven }
}

export function phaseOf(migration: Migration, findings: readonly Finding[]): Phase {
  if (findings.some(isBlocking)) return 'breaking'
  // Not a contract: its drops are not proven unused.
  if (findings.some(isUnproven)) return 'unproven'
  // A DO block's statements count as they run.
  const up = withInner(migration.up)
  if (up.some(s => dropsSomething(s.ast))) return 'contract'
  if (up.some(s => isDataChange(s.ast))) return 'migrate'
  return 'expand'
}

function dropsSomething(ast: Migration['up'][number]['ast']): boolean {
  if (droppedTables(ast).length) return true
  return alterTableCommands(ast).some(({ cmd }) => cmd.subtype === 'AT_DropColumn' || cmd.subtype === 'AT_DropConstraint')
}

function isDataChange(ast: Migration['up'][number]['ast']): boolean {
  const kind = kindOf(ast)
  return kind === 'UpdateStmt' || kind === 'DeleteStmt' || kind === 'TruncateStmt' || kind === 'InsertStmt'
}
