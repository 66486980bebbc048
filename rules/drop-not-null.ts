import { defineRule, type Report } from '../src/engine/rule.js'
import { alterTableCommands } from '../src/sql/statements.js'

// A note, not a revert-safety finding: dropping NOT NULL breaks nothing by itself, and revert-safety
// findings block the release. What can break comes later, when this release writes NULLs that a
// reverted previous release then reads.
export default defineRule({
  id: 'drop-not-null',
  category: 'hygiene',
  severity: 'info',
  summary: 'ALTER COLUMN … DROP NOT NULL on a column the previous release may read as never NULL.',
  docs: {
    why:
      'Dropping NOT NULL breaks no query by itself. But once this release starts writing NULL into the column, the ' +
      'code of the previous release, still running during the deploy and back after a revert, reads NULLs where ' +
      'it was promised there were none: a null dereference, a failed mapping to a non-optional field, a sum or a ' +
      'comparison that silently changes meaning.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
    bad: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
    good: '-- release N: code that reads users.email handles NULL; release N+1:\nALTER TABLE users ADD COLUMN phone text;',
    fix:
      'Ship code that handles NULL in the column first; drop NOT NULL, and start writing NULLs, in a later release.',
  },
  messages: {
    dropped:
      'ALTER COLUMN {{table}}.{{column}} DROP NOT NULL: once NULLs are written to it, code of the previous release that ' +
      'reads {{table}}.{{column}} (during the deploy, after a revert) meets NULLs it was never given.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    for (const { table, cmd } of alterTableCommands(ctx.statement.ast)) {
      if (cmd.subtype !== 'AT_DropNotNull' || !cmd.name || !ctx.columnExistedBeforeRelease(table, cmd.name)) continue
      // On a column the migrations left nullable it is a no-op (ORM generators emit it with every column
      // change): no release was ever promised non-NULLs. A column the model does not know, on a table made
      // outside the migrations we see, may well be NOT NULL (why else drop it), so that is still reported.
      if (ctx.schema.column(table, cmd.name)?.nullable) continue
      reports.push({ messageId: 'dropped', data: { table, column: cmd.name } })
    }
    return reports
  },
})
