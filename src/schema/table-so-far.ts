// A table no migration we see created (one made outside them) is absent from the model, and replay
// leaves the statements on it alone (src/schema/replay.ts): the model cannot tell what they did to it.
// A rule that needs what the current migration did to such a table so far — the CHECK (c IS NOT NULL)
// NOT VALID / VALIDATE recipe, a column it added — gets it from here: the migration's ALTER TABLEs of
// the table, replayed on a stand-in that holds only what they made.
import type { Statement } from '../model.js'
import { nodeAs, relationName } from '../sql/ast.js'
import { applyStatement } from './replay.js'
import { Schema, type Constraint, type Origin, type Table } from './schema.js'

/** Made outside the migrations: never the release or migration of anything the rules ask about. */
const OUTSIDE: Origin = { migrationId: '(outside the migrations)', releaseKey: '(outside the migrations)' }

/** What a rule's statement context says of where it stands (StatementContext). */
interface Position {
  schema: Schema
  migration: { id: string; up: readonly Statement[] }
  index: number
}

/**
 * The table as the model holds it just before the statement at `at`; for one the model does not know,
 * what the migration's earlier ALTER TABLEs did to it (their objects' origin: the migration, its release
 * unknown here and never asked). Undefined when they do not alter it either.
 */
export function tableSoFar(at: Position, name: string): Table | undefined {
  const known = at.schema.table(name)
  if (known) return known
  // Its ALTER TABLEs, and the UPDATEs that fill a column they added.
  const altering = at.migration.up.slice(0, at.index).filter(s => {
    const relation = (nodeAs(s.ast, 'AlterTableStmt') ?? nodeAs(s.ast, 'UpdateStmt'))?.relation
    return relation !== undefined && relationName(relation) === name
  })
  if (!altering.length) return undefined
  const standIn = new Schema()
  standIn.tables.set(name, { name, columns: new Map(), constraints: [], origin: OUTSIDE })
  const origin: Origin = { migrationId: at.migration.id, releaseKey: `(release of ${at.migration.id})` }
  for (const statement of altering) applyStatement(standIn, statement.ast, origin)
  return standIn.table(name)
}

/** From this major version on, SET NOT NULL skips the scan when a valid CHECK proves the column not null. */
const CHECK_PROVES_NOT_NULL_VERSION = 12

/**
 * A validated CHECK (col IS NOT NULL) on the column just before the statement at `at`, which Postgres 12+
 * reads instead of scanning the table; on a table made outside the migrations, one this migration added
 * and validated (squawk's gh-628 case).
 */
export function provingCheckSoFar(at: Position & { config: { postgresVersion: number } }, table: string, column: string): Constraint | undefined {
  if (at.config.postgresVersion < CHECK_PROVES_NOT_NULL_VERSION) return undefined
  return tableSoFar(at, table)?.constraints.find(c => c.kind === 'check' && c.validated && c.notNullColumns?.includes(column))
}
