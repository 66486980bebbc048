// Verify's results as Findings of its four rules (rules/verify-*.ts), located where the user acts: the
// migration statement, the down migration, or the base code's line.
import type { Finding, Location, Migration } from '../model.js'
import { rulesById } from '../../rules/index.js'
import { fileStart } from '../engine/lint.js'
import { ruleFinding, type FindingAt } from '../engine/rule-finding.js'
import { describeDifference, type SchemaDifference } from './diff.js'
import { describeError } from './engine.js'
import type { OldCodeFailure } from './old-code.js'
import type { CodeFailure, StatementFailure } from './replay.js'

/** A statement Postgres refused; or, for a Kysely migration, its code that failed on the engine. */
export function replayFailed(f: StatementFailure | CodeFailure, engine: string): Finding[] {
  if ('statement' in f) return [statementFailed(f, engine)]
  const part = f.part === 'down' ? 'down' : 'up'
  // The lint said it already: the code fails without a database too.
  if (f.migration.inRelease && f.migration.loadProblems?.some(p => p.kind === 'failed' && p.part === part)) return []
  return [ruleFinding('migration-load-failed', 'runFailed', { file: f.migration.path, part, reason: `on ${engine}, ${f.reason}` }, f.loc, f.migration.id)]
}

export function statementFailed(f: StatementFailure, engine: string): Finding {
  const skipped = f.skipped ? ` (${f.skipped} statement${f.skipped === 1 ? '' : 's'} after it not run)` : ''
  const data = { engine, error: describeError(f.error), file: f.statement.loc.file, skipped }
  if (f.refusal) {
    return ruleFinding('verify-statement-failed', f.part === 'down' ? 'downRefused' : 'refused', { ...data, reason: f.refusal }, f.statement.loc, f.migration.id)
  }
  if (f.part === 'up-again') {
    return ruleFinding('verify-round-trip-mismatch', 'upAgainFailed', { file: f.migration.path, error: describeError(f.error) }, f.statement.loc, f.migration.id)
  }
  return ruleFinding('verify-statement-failed', f.part === 'down' ? 'downFailed' : 'upFailed', data, f.statement.loc, f.migration.id)
}

export function dangerousLock(migration: Migration, loc: Location, table: string, mode: string): Finding {
  const kysely = migration.layout === 'kysely' ? rulesById.get('verify-dangerous-lock')?.docs.kyselyFix : undefined
  return ruleFinding('verify-dangerous-lock', 'lock', { table, mode: modeName(mode) }, loc, migration.id, kysely)
}

/** `AccessExclusiveLock` → `ACCESS EXCLUSIVE`, as the Postgres docs and LOCK TABLE name it. */
export function modeName(mode: string): string {
  return mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()
}

export function oldQueryFails(f: OldCodeFailure, base: string): Finding {
  return ruleFinding('verify-old-query-fails', f.messageId, { ...f.data, base, migration: f.migration.path }, f.loc, f.migration.id)
}

/**
 * One finding per release migration whose down leaves the schema otherwise than before the release, at
 * its down, naming every difference: an empty down() is one mistake, not one finding per object it left.
 * The up that then fails again is the same mistake: told in that finding when it is the same migration's.
 */
export function roundTripMismatches(differences: readonly SchemaDifference[], release: readonly Migration[], upAgain: StatementFailure | null): Finding[] {
  const byOwner = new Map<Migration, SchemaDifference[]>()
  for (const d of differences) {
    const owner = ownerOf(d, release)
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), d])
  }
  return [...byOwner].map(([owner, own]) => {
    const again = upAgain?.migration.id === owner.id ? upAgain : null
    const data = {
      upAgain: again ? ` Running its up again then fails at line ${again.statement.loc.line}: ${describeError(again.error)}.` : '',
      difference: describeDifference(own[0]),
      count: own.length,
      differences: listed(own.map(describeDifference)),
    }
    const at: FindingAt = owner.down?.[0]?.loc ?? fileStart(owner.downPath ?? owner.path)
    return ruleFinding('verify-round-trip-mismatch', own.length === 1 ? 'mismatch' : 'mismatches', data, at, owner.id)
  })
}

/** Whether `roundTripMismatches` told this up-again failure already. */
export function toldWithMismatch(upAgain: StatementFailure, mismatches: readonly Finding[]): boolean {
  return mismatches.some(f => f.migrationId === upAgain.migration.id)
}

/** The release migration that made the object: the last whose up names it (else the last with a down). */
function ownerOf(d: SchemaDifference, release: readonly Migration[]): Migration {
  const name = d.object.name.split('.').pop() ?? d.object.name
  const mentions = new RegExp(`(^|[^\\w$])"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$])`, 'i')
  const reversible = release.filter(m => m.down !== null)
  return [...reversible].reverse().find(m => m.up.some(s => mentions.test(s.sql))) ?? reversible[reversible.length - 1] ?? release[release.length - 1]
}

/** A long list stays readable: the first ten, then how many more. */
const LISTED = 10

function listed(items: readonly string[]): string {
  const shown = items.slice(0, LISTED).map((item, i) => `(${i + 1}) ${item}`)
  return items.length > LISTED ? `${shown.join('; ')}; and ${items.length - LISTED} more` : shown.join('; ')
}
