// The schema that migrations which are replayed but not judged leave behind: the previous release's
// (the shipped migrations), and for --staged also the release's committed migrations that come before
// the staged ones. A pure function of the migrations; the cache layer keeps its result between runs
// (src/cache/replay-memo.ts), so a pre-commit run on an unchanged base neither parses nor replays them.
import { lintMigrations } from '../engine/lint.js'
import type { Migration } from '../model.js'
import type { Schema } from '../schema/schema.js'

export function replayedSchema(migrations: readonly Migration[]): Schema {
  return lintMigrations(migrations, { rules: [], config: { postgresVersion: 0, tables: {} }, mode: 'release' }).schema
}
