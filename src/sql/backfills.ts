// Data statements that copy or rewrite rows of a table (a backfill), as the rules about locks held
// meanwhile tell them apart from statements that touch a few rows.
import type { Node, SelectStmt } from '@pgsql/types'
import { nodeAs, relationName } from './ast.js'

export interface Backfill {
  verb: 'UPDATE' | 'DELETE' | 'INSERT … SELECT'
  table: string
}

export function backfill(ast: Node | null): Backfill | null {
  const write = dataWrite(ast)
  if (!write) return null
  if (write.verb !== 'INSERT') return { verb: write.verb, table: write.table }
  const select = nodeAs(nodeAs(ast, 'InsertStmt')?.selectStmt, 'SelectStmt')
  return select && readsTable(select) ? { verb: 'INSERT … SELECT', table: write.table } : null
}

/** The table an UPDATE, DELETE or INSERT (of any kind) writes to. */
export function dataWrite(ast: Node | null): { verb: 'UPDATE' | 'DELETE' | 'INSERT'; table: string } | null {
  const update = nodeAs(ast, 'UpdateStmt')
  if (update) return { verb: 'UPDATE', table: relationName(update.relation) }
  const del = nodeAs(ast, 'DeleteStmt')
  if (del) return { verb: 'DELETE', table: relationName(del.relation) }
  const insert = nodeAs(ast, 'InsertStmt')
  return insert ? { verb: 'INSERT', table: relationName(insert.relation) } : null
}

/** INSERT … VALUES and INSERT … SELECT of constants copy no rows: only a FROM makes it a backfill. */
export function readsTable(select: SelectStmt): boolean {
  if (select.fromClause?.length) return true
  return Boolean((select.larg && readsTable(select.larg)) || (select.rarg && readsTable(select.rarg)))
}
