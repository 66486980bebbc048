import { describeUses } from '../src/engine/code-usage.js'
import { usagesOf } from '../src/usage/usage-query.js'
import { defineRule, type CodeUsage, type Report } from '../src/engine/rule.js'
import { droppedTables } from '../src/sql/statements.js'

export default defineRule({
  id: 'drop-table-still-read',
  category: 'revert-safety',
  severity: 'error',
  summary: 'DROP TABLE of a table that the previous release may still read or write.',
  docs: {
    why:
      'The drop takes effect the moment the migration runs, while the servers of the previous release are still ' +
      'serving traffic: every query of theirs on the table fails with "relation does not exist". After a revert ' +
      'of the code the same queries fail, and the table\'s data is gone, so the release cannot be rolled back.',
    setup: 'CREATE TABLE sessions_old (id bigint PRIMARY KEY, token text);',
    bad: 'DROP TABLE sessions_old;',
    good:
      '-- this release: the code stops using sessions_old; the table stays\n' +
      "COMMENT ON TABLE sessions_old IS 'unused since this release; dropped in the next one';",
    fix: 'Ship the code that stops reading and writing the table first; drop it in the next release.',
  },
  messages: {
    stillRead:
      'DROP TABLE {{table}}: release {{base}} still uses it ({{where}}). Reverting the app to {{base}} after this ' +
      'migration breaks those queries.',
    headStillReads: "DROP TABLE {{table}}: this release's code still uses it ({{where}}); those queries fail as soon as the migration runs.",
    unverified: 'DROP TABLE {{table}}: no code scan proved that the previous release no longer reads or writes {{table}}.',
  },
  statementKinds: ['DropStmt'],
  statement(ctx) {
    return droppedTables(ctx.statement.ast)
      .filter(table => ctx.existedBeforeRelease(table))
      .flatMap(table => usageReports(table, ctx.code))
  },
})

/** Without a code scan nothing proves the previous release stopped using the table; with one, the places say it. */
function usageReports(table: string, code: CodeUsage | null): Report[] {
  const help = `Release N (this one): ship the code that stops reading and writing ${table}; release N+1: DROP TABLE ${table};`
  if (!code) return [{ messageId: 'unverified', data: { table }, help }]
  const uses = { base: usagesOf(code.base, table), head: usagesOf(code.head, table) }
  if (uses.base.length) return [{ messageId: 'stillRead', data: { table, base: code.baseLabel, where: describeUses(uses.base) }, help }]
  if (uses.head.length) return [{ messageId: 'headStillReads', data: { table, where: describeUses(uses.head) }, help }]
  return []
}
