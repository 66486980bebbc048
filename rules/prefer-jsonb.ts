import type { ColumnDef } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import { nodeAs, relationName, typeInfo } from '../src/sql/ast.js'
import { alterTableCommands } from '../src/sql/statements.js'

export default defineRule({
  id: 'prefer-jsonb',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A json column: jsonb is almost always what is wanted.',
  docs: {
    why:
      'json stores the text as given and reparses it on every access; it cannot be indexed with GIN, has no ' +
      'equality operator (so DISTINCT, GROUP BY and UNION fail on it) and keeps duplicate keys. Changing the ' +
      'type later is a table rewrite under an ACCESS EXCLUSIVE lock.',
    bad: 'CREATE TABLE events (id bigint PRIMARY KEY, payload json);',
    good: 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);',
    fix: 'Use jsonb, unless the exact text (key order, duplicate keys, whitespace) must be kept.',
  },
  messages: {
    json: '{{table}}.{{column}} is json; jsonb can be indexed, compared and is faster to query.',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  statement(ctx) {
    const columns: { table: string; def: ColumnDef }[] = []
    const create = nodeAs(ctx.statement.ast, 'CreateStmt')
    if (create) {
      const table = relationName(create.relation)
      for (const element of create.tableElts ?? []) {
        const def = nodeAs(element, 'ColumnDef')
        if (def) columns.push({ table, def })
      }
    }
    for (const { table, cmd } of alterTableCommands(ctx.statement.ast)) {
      const def = nodeAs(cmd.def, 'ColumnDef')
      if (!def) continue
      if (cmd.subtype === 'AT_AddColumn') columns.push({ table, def })
      if (cmd.subtype === 'AT_AlterColumnType') columns.push({ table, def: { ...def, colname: cmd.name } })
    }
    return columns
      .filter(c => typeInfo(c.def.typeName).name === 'json')
      .map(c => ({
        messageId: 'json',
        data: { table: c.table, column: c.def.colname ?? '?' },
        help: `Declare ${c.table}.${c.def.colname ?? '?'} as jsonb.`,
      }))
  },
})
