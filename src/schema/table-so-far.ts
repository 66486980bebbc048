// A table no migration we see created (one made outside them) is absent from the model, and replay
// leaves the statements on it alone (src/schema/replay.ts): the model cannot tell what they did to it.
// A rule that needs what the current migration did to such a table so far — the CHECK (c IS NOT NULL)
// NOT VALID / VALIDATE recipe, a column it added — gets it from here: the migration's ALTER TABLEs of
// the table, replayed on a stand-in that holds only what they made.
import type { Statement } from '../model.js'
import { nodeAs, relationName } from '../sql/ast.js'
import { applyStatement } from './replay.js'
import { Schema, type Origin, type Table } from './schema.js'

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
  const altering = at.migration.up.slice(0, at.index).filter(s => {
    const alter = nodeAs(s.ast, 'AlterTableStmt')
    return alter !== undefined && relationName(alter.relation) === name
  })
  if (!altering.length) return undefined
  const standIn = new Schema()
  standIn.tables.set(name, { name, columns: new Map(), constraints: [], origin: OUTSIDE })
  const origin: Origin = { migrationId: at.migration.id, releaseKey: `(release of ${at.migration.id})` }
  for (const statement of altering) applyStatement(standIn, statement.ast, origin)
  return standIn.table(name)
}
