import type { Node, RangeVar } from '@pgsql/types'
import type { Statement } from '../src/model.js'
import { defineRule, type Report } from '../src/engine/rule.js'
import { applyStatement } from '../src/schema/replay.js'
import type { Origin } from '../src/schema/schema.js'
import { nodeAs, relationName, strings } from '../src/sql/ast.js'
import { droppedColumns } from '../src/sql/breaking-ddl.js'
import { partsOfOneChange } from '../src/discover/change-parts.js'
import { addedColumns, droppedTables } from '../src/sql/statements.js'

export default defineRule({
  id: 'destructive-down',
  category: 'data-loss',
  severity: 'warning',
  summary: 'The down drops a table or column holding data that existed before its up, without copying it first.',
  docs: {
    why:
      'A down migration runs in an emergency. One that drops a table or column that existed before the up deletes data ' +
      'the migration did not bring — rolling back the schema then loses more than the migration added. Dropping what ' +
      'the up created is what a down is for, and so is dropping what a later migration created (its down runs first) ' +
      'or another part of the same change (files numbered <timestamp><part>_<name>); ' +
      'a down that copies the data into a new table or column before dropping the old one (to restore a column order) ' +
      'keeps it.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, name text);',
    bad: '-- migrate:up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- migrate:down\nALTER TABLE users DROP COLUMN full_name;',
    good: '-- migrate:up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- migrate:down\nALTER TABLE users RENAME COLUMN full_name TO name;',
    fix: 'Make the down undo exactly what the up did (rename back, drop only what the up created), or copy the data before dropping it.',
  },
  messages: {
    table: 'The down drops table {{table}}, which existed before its up: rolling back deletes its data.',
    column: 'The down drops {{table}}.{{column}}, which existed before its up: rolling back deletes its data.',
  },
  migration(ctx) {
    const down = ctx.migration.down ?? []
    if (!down.some(s => droppedTables(s.ast).length || droppedColumns(s.ast).length)) return []
    // The down replayed aside, on copies of the tables its DDL names as the up left them: what each name stands
    // for when the down drops it (a table the down renamed, a column it made) and where that object came from.
    const state = ctx.schema.copyOfTables(changedTables(down))
    const id = ctx.migration.id
    const downOrigin: Origin = { migrationId: `${id} (down)`, releaseKey: '' }
    // Made by this up, by this down, or by another part of the same change (whose downs undo the parts' ups
    // as a whole, in another order): no data older than the change.
    const existedBeforeUp = (origin: Origin) =>
      origin.migrationId !== id && origin.migrationId !== downOrigin.migrationId && !partsOfOneChange(origin.migrationId, id)
    // Objects the model does not know: a later migration made them (the down of migration N runs after the
    // downs of N+1…, so they are gone or theirs to drop), or the migrations we see never did. Only an up that
    // uses the table says it was there before.
    let facts: ReturnType<typeof upFacts> | undefined
    const up = () => (facts ??= upFacts(ctx.migration.up))
    const unknownExisted = (table: string) => up().named.has(table) && !up().tables.has(table)
    const copied = new Set<string>()
    const reports: Report[] = []
    for (const statement of down) {
      for (const table of droppedTables(statement.ast)) {
        const known = state.table(table)
        const existed = known ? existedBeforeUp(known.origin) : unknownExisted(table)
        if (existed && !copied.has(table)) reports.push({ messageId: 'table', data: { table }, loc: statement.loc })
      }
      for (const { table, column } of droppedColumns(statement.ast)) {
        const key = `${table}.${column}`
        const known = state.table(table)
        const found = known?.columns.get(column)
        const existed = known ? found !== undefined && existedBeforeUp(found.origin) : unknownExisted(table) && !up().columns.has(key)
        if (existed && !copied.has(key)) reports.push({ messageId: 'column', data: { table, column }, loc: statement.loc })
      }
      noteCopies(statement.ast, copied)
      applyStatement(state, statement.ast, downOrigin)
    }
    return reports
  },
})

/** What the up names, creates and adds, by its text: for tables the model does not know. */
function upFacts(up: readonly Statement[]): { named: Set<string>; tables: Set<string>; columns: Set<string> } {
  const tables = new Set<string>()
  const columns = new Set<string>()
  for (const s of up) {
    const create = nodeAs(s.ast, 'CreateStmt')
    if (create) tables.add(relationName(create.relation))
    const createAs = nodeAs(s.ast, 'CreateTableAsStmt')
    if (createAs?.into?.rel) tables.add(relationName(createAs.into.rel))
    for (const c of addedColumns(s.ast)) columns.add(`${c.table}.${c.def.colname ?? ''}`)
  }
  return { named: namedTables(up), tables, columns }
}

/** Every table the statements name: as a relation (ALTER, RENAME, FROM …) or in a DROP TABLE. */
function namedTables(statements: readonly Statement[]): Set<string> {
  const names = new Set<string>()
  for (const s of statements) {
    relationsIn(s.ast, names)
    for (const table of droppedTables(s.ast)) names.add(table)
  }
  return names
}

/** The tables statements can change the shape or name of: those they alter, rename, make or drop. */
function changedTables(statements: readonly Statement[]): Set<string> {
  const names = new Set<string>()
  for (const s of statements) {
    const relation = (nodeAs(s.ast, 'AlterTableStmt') ?? nodeAs(s.ast, 'RenameStmt') ?? nodeAs(s.ast, 'CreateStmt'))?.relation
    if (relation) names.add(relationName(relation))
    for (const table of droppedTables(s.ast)) names.add(table)
  }
  return names
}

/**
 * Adds the relations below `value` to `into`. A DDL statement's own table is a bare RangeVar (its
 * `relation` field is no Node, so `visit` does not see it); every RangeVar carries `relname`.
 */
function relationsIn(value: unknown, into: Set<string>): void {
  if (value === null || typeof value !== 'object') return
  if (Array.isArray(value)) {
    for (const item of value) relationsIn(item, into)
    return
  }
  const record = value as Record<string, unknown>
  if (typeof record.relname === 'string') into.add(relationName(record as RangeVar))
  for (const key in record) relationsIn(record[key], into)
}

/**
 * Data the down copies before it drops the original: `UPDATE t SET c_new = c` (or `SET (a_new, b_new) = (a, b)`)
 * keeps t.c, `INSERT INTO … SELECT … FROM t` and `CREATE TABLE … AS SELECT … FROM t` keep t.
 */
function noteCopies(ast: Node | null, copied: Set<string>): void {
  const update = nodeAs(ast, 'UpdateStmt')
  if (update) {
    const table = relationName(update.relation)
    for (const target of update.targetList ?? []) {
      const column = copiedColumn(nodeAs(target, 'ResTarget')?.val)
      if (column) copied.add(`${table}.${column}`)
    }
    return
  }
  relationsIn(nodeAs(ast, 'InsertStmt')?.selectStmt ?? nodeAs(ast, 'CreateTableAsStmt')?.query, copied)
}

/** The column an assigned value is, as it stands (a cast allowed); null for any other expression. */
function copiedColumn(value: Node | undefined): string | null {
  const multi = nodeAs(value, 'MultiAssignRef')
  const assigned = multi ? nodeAs(multi.source, 'RowExpr')?.args?.[(multi.colno ?? 1) - 1] : value
  const cast = nodeAs(assigned, 'TypeCast')
  return strings(nodeAs(cast ? cast.arg : assigned, 'ColumnRef')?.fields).pop() ?? null
}
