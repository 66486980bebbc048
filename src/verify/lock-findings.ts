// One finding per cause (issue 17): a migration that takes a strong lock without lock_timeout gets
// missing-lock-timeout from the lint, and verify sees the same lock in pg_locks (verify-dangerous-lock).
// The lint's finding stays, and carries verify's evidence: it is the one a `lint` run, a suppression
// comment and a CI baseline already know (same rule, same line, same fingerprint with or without
// verify), it sits where the SET goes (the migration's first statement that needs it), and its help
// says which SET (SET LOCAL inside the runner's transaction, or why an earlier one does not count).
// verify's own finding stays where the lint had none (a lock its SQL model did not foresee).
import type { Finding } from '../model.js'
import { renderMessage } from '../engine/rule.js'

/** A verify-dangerous-lock finding's facts, as verify saw them. */
export interface SeenLock {
  migrationId: string
  line: number
  table: string
  /** `ACCESS EXCLUSIVE` */
  mode: string
}

const EVIDENCE = ' verify saw it in pg_locks, with no lock_timeout in effect: {{locks}}.'

/**
 * Folds each unsuppressed verify-dangerous-lock finding into the missing-lock-timeout finding of the
 * same migration, whose message then names the locks verify saw. Suppressed ones stay as they are (the
 * directive above the line applied, and says so in JSON); a migration without the lint's finding keeps
 * verify's.
 */
export function mergeLockFindings(findings: readonly Finding[], seen: readonly SeenLock[]): Finding[] {
  const lintByMigration = new Map<string, Finding>()
  for (const f of findings) if (f.ruleId === 'missing-lock-timeout' && f.migrationId !== undefined) lintByMigration.set(f.migrationId, f)
  const folded = new Map<string, Finding[]>()
  const kept = findings.filter(f => {
    if (f.ruleId !== 'verify-dangerous-lock' || f.suppressed || f.migrationId === undefined || !lintByMigration.has(f.migrationId)) return true
    folded.set(f.migrationId, [...(folded.get(f.migrationId) ?? []), f])
    return false
  })
  return kept.map(f => {
    const into = f.ruleId === 'missing-lock-timeout' && f.migrationId !== undefined ? folded.get(f.migrationId) : undefined
    if (!into) return f
    const locks = into.flatMap(d => seen.filter(s => s.migrationId === d.migrationId && s.line === d.line)).map(s => `line ${s.line} took ${s.mode} on ${s.table}`)
    return { ...f, message: `${f.message}${renderMessage(EVIDENCE, { locks: [...new Set(locks)].join('; ') })}` }
  })
}
