// The schema that migrations which are replayed but not judged leave behind: the previous release's
// (the shipped migrations), and for --staged also the release's committed migrations that come before
// the staged ones. Cached by the fingerprints of those migrations, so a pre-commit run on an unchanged
// base neither parses nor replays them again.
import { activeCache, hashKey } from '../cache/store.js'
import { schemaFromRecord, schemaToRecord, type SchemaRecord } from '../cache/schema-snapshot.js'
import { lintMigrations } from '../engine/lint.js'
import type { Migration } from '../model.js'
import type { Schema } from '../schema/schema.js'

export function replayedSchema(migrations: readonly Migration[]): Schema {
  const key = chainKey('release-replay', migrations)
  const cached = key ? activeCache().get<SchemaRecord>('schema', key) : undefined
  if (cached) return schemaFromRecord(cached)
  const { schema } = lintMigrations(migrations, { rules: [], config: { postgresVersion: 0, tables: {} }, mode: 'release' })
  if (key) activeCache().set('schema', key, schemaToRecord(schema))
  return schema
}

/** Null when a migration's effect is not known from its own text (see Migration.fingerprint). */
export function chainKey(purpose: string, migrations: readonly Migration[]): string | null {
  const parts: string[] = [purpose]
  for (const m of migrations) {
    if (m.fingerprint === null) return null
    parts.push(m.fingerprint, String(m.inRelease))
  }
  return hashKey(parts)
}
