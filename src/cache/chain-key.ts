// The key of a result that depends on a run of migrations in order (a replayed schema, the findings of
// a whole run): each migration's fingerprint, which names its text and how its runner sends it.
import type { Migration } from '../model.js'
import { hashKey } from './store.js'

/** Null when a migration's effect is not known from its own text (see Migration.fingerprint). */
export function chainKey(purpose: string, migrations: readonly Migration[]): string | null {
  const parts: string[] = [purpose]
  for (const m of migrations) {
    if (m.fingerprint === null) return null
    parts.push(m.fingerprint, String(m.inRelease))
  }
  return hashKey(parts)
}
