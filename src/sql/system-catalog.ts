// Tables of Postgres's own system catalog (pg_index, pg_class, pg_catalog.*) as a statement names them.
// A write to one is no backfill of user data: it edits Postgres's bookkeeping directly (system-catalog-write).
import type { Schema } from '../schema/schema.js'

/**
 * Whether `table` (as relationName gives it) is a system catalog: anything in pg_catalog, or an
 * unqualified pg_* name that no migration made a table of (the model would hold it). Postgres reserves
 * the pg_ prefix for schemas only, so a user table pg_foo is possible and stays a user table.
 */
export function isSystemCatalog(table: string, schema: Schema): boolean {
  if (table.startsWith('pg_catalog.')) return true
  return /^pg_[^.]*$/.test(table) && !schema.table(table)
}
