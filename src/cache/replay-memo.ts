// The replay stage's boundary for migrations that are replayed and not judged (the base release, the
// committed part of a --staged release): their schema, kept by the migrations' fingerprints in order.
import type { Migration } from '../model.js'
import { replayedSchema } from '../release/base-schema.js'
import type { Schema } from '../schema/schema.js'
import { chainKey } from './chain-key.js'
import { schemaFromRecord, schemaToRecord, type SchemaRecord } from './schema-snapshot.js'
import { activeCache } from './store.js'

export function memoizedReplay(migrations: readonly Migration[]): Schema {
  const key = chainKey('release-replay', migrations)
  const cached = key ? activeCache().get<SchemaRecord>('schema', key) : undefined
  if (cached) return schemaFromRecord(cached)
  const schema = replayedSchema(migrations)
  if (key) activeCache().set('schema', key, schemaToRecord(schema))
  return schema
}
