// What a layout's runner remembers of the migrations it applied, and so what it does on its next run
// when one of them was edited after it ran (edited-released-migration). Checked against the tools:
// Flyway stores a CRC32 of each script's lines (line breaks left out) and its validate, run before
// every migrate, refuses a mismatch; Prisma Migrate stores a SHA-256 of migration.sql, `migrate deploy`
// then warns that it was modified and `migrate dev` asks to reset the database; golang-migrate, dbmate,
// diesel, the Supabase CLI and Kysely's Migrator store the version or name only, and drizzle's migrator
// stores a hash it never compares: an applied migration is not looked at again.
import type { LayoutName } from '../model.js'

export interface RunnerHistory {
  /** How messages name the runner. */
  runner: string
  /** Its next run on a database that applied the shipped version: refuses to migrate, warns, ignores the edit; unknown for a plain folder. */
  onEdit: 'refuses' | 'warns' | 'ignores' | 'unknown'
  /** Which edits its record of the text notices: any byte, any line's content (not its line break), or none. */
  checksum: 'bytes' | 'lines' | null
}

const HISTORIES: Record<LayoutName, RunnerHistory> = {
  flyway: { runner: 'Flyway', onEdit: 'refuses', checksum: 'lines' },
  prisma: { runner: 'Prisma Migrate', onEdit: 'warns', checksum: 'bytes' },
  'golang-migrate': { runner: 'golang-migrate', onEdit: 'ignores', checksum: null },
  dbmate: { runner: 'dbmate', onEdit: 'ignores', checksum: null },
  diesel: { runner: 'diesel', onEdit: 'ignores', checksum: null },
  drizzle: { runner: "drizzle's migrator", onEdit: 'ignores', checksum: null },
  supabase: { runner: 'the Supabase CLI', onEdit: 'ignores', checksum: null },
  kysely: { runner: "Kysely's Migrator", onEdit: 'ignores', checksum: null },
  // NNN_name.sql fits many runners, some of which checksum (sqlx, Liquibase's SQL files): not known.
  sql: { runner: 'its runner', onEdit: 'unknown', checksum: null },
}

export function runnerHistory(layout: LayoutName): RunnerHistory {
  return HISTORIES[layout]
}
