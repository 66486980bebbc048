import { defineRule } from '../src/engine/rule.js'
import type { Report } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'
import type { Schema } from '../src/schema/schema.js'
import { quoteQualified } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'truncate',
  category: 'data-loss',
  severity: 'error',
  summary: 'TRUNCATE of a table that existed before the release deletes all of its rows.',
  docs: {
    why:
      'TRUNCATE removes every row of a table that holds production data, in one statement that no revert of ' +
      'the release can undo: the previous code comes back to an empty table. It also takes an ACCESS EXCLUSIVE ' +
      'lock, and with CASCADE it empties every table whose foreign keys point at it.',
    setup: 'CREATE TABLE sessions (id bigint PRIMARY KEY, expires_at timestamptz);',
    bad: 'TRUNCATE sessions;',
    good: "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() - interval '30 days' LIMIT 10000);",
    fix: 'Delete the rows that must go in batches (a backfill), or keep the data and drop the table in a later release once nothing reads it.',
  },
  messages: {
    truncate: 'TRUNCATE {{table}} deletes every row of {{table}}, which holds data from before this release: reverting the release cannot bring them back.',
    cascade:
      'TRUNCATE {{table}} CASCADE deletes every row of {{table}} and of the tables referencing it ({{referencing}}): reverting the release cannot bring them back.',
  },
  statementKinds: ['TruncateStmt'],
  statement(ctx) {
    const truncate = nodeAs(ctx.statement.ast, 'TruncateStmt')
    if (!truncate) return []
    const cascade = truncate.behavior === 'DROP_CASCADE'
    return (truncate.relations ?? [])
      .map(r => relationName(nodeAs(r, 'RangeVar')))
      .filter(table => ctx.existedBeforeRelease(table))
      .map((table): Report => {
        const help =
          `Delete the rows that must go in batches, e.g. DELETE FROM ${quoteQualified(table)} WHERE <key> IN (SELECT <key> FROM ${quoteQualified(table)} WHERE … LIMIT 10000); ` +
          'or keep the data and drop the table in a later release.'
        const referencing = cascade ? referencingTables(ctx.schema, table) : []
        if (referencing.length) return { messageId: 'cascade', data: { table, referencing: referencing.join(', ') }, help }
        return { messageId: 'truncate', data: { table }, help }
      })
  },
})

/** Tables with a foreign key to `table`, as far as the schema model knows them. */
function referencingTables(schema: Schema, table: string): string[] {
  return [...schema.tables.values()]
    .filter(t => t.name !== table && t.constraints.some(c => c.kind === 'foreign-key' && c.references?.table === table))
    .map(t => t.name)
}
