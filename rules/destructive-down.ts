import type { Statement } from '../src/model.js'
import { defineRule, type Report } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'
import { droppedColumns } from '../src/sql/breaking-ddl.js'
import { addedColumns, droppedTables } from '../src/sql/statements.js'

export default defineRule({
  id: 'destructive-down',
  category: 'data-loss',
  severity: 'warning',
  summary: 'The down drops a table or column holding data that its up did not create.',
  docs: {
    why:
      'A down migration runs in an emergency. One that drops a table or column the up did not create deletes data ' +
      'that existed before the migration — rolling back the schema then loses more than the migration added.',
    bad: '-- migrate:up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- migrate:down\nALTER TABLE users DROP COLUMN full_name;',
    good: '-- migrate:up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- migrate:down\nALTER TABLE users RENAME COLUMN full_name TO name;',
    fix: 'Make the down undo exactly what the up did (rename back, drop only what the up created).',
  },
  messages: {
    table: 'The down drops table {{table}}, which its up did not create: rolling back deletes its data.',
    column: 'The down drops {{table}}.{{column}}, which its up did not add: rolling back deletes its data.',
  },
  migration(ctx) {
    const down = ctx.migration.down ?? []
    const made = madeByUp(ctx.migration.up)
    const reports: Report[] = []
    for (const statement of down) {
      for (const table of droppedTables(statement.ast)) {
        if (!made.tables.has(table)) reports.push({ messageId: 'table', data: { table }, loc: statement.loc })
      }
      for (const { table, column } of droppedColumns(statement.ast)) {
        if (!made.tables.has(table) && !made.columns.has(`${table}.${column}`)) {
          reports.push({ messageId: 'column', data: { table, column }, loc: statement.loc })
        }
      }
    }
    return reports
  },
})

function madeByUp(up: readonly Statement[]): { tables: Set<string>; columns: Set<string> } {
  const tables = new Set<string>()
  const columns = new Set<string>()
  for (const s of up) {
    const create = nodeAs(s.ast, 'CreateStmt')
    if (create) tables.add(relationName(create.relation))
    const createAs = nodeAs(s.ast, 'CreateTableAsStmt')
    if (createAs?.into?.rel) tables.add(relationName(createAs.into.rel))
    for (const c of addedColumns(s.ast)) columns.add(`${c.table}.${c.def.colname ?? ''}`)
  }
  return { tables, columns }
}
