import { RENAME_MESSAGES, takenUse, takenUseReport } from '../src/engine/code-usage.js'
import { defineRule, type StatementContext } from '../src/engine/rule.js'
import { createdView, renamedTables, type RenamedTable } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'rename-table',
  category: 'revert-safety',
  severity: 'error',
  summary: 'RENAME TO of a table that existed before the release.',
  docs: {
    why:
      'The rename takes effect the moment the migration runs, while the servers of the previous release are still ' +
      'serving traffic: every query they send to the old name fails with "relation does not exist". The same ' +
      'happens after a revert of the code, so the release cannot be rolled back without another migration.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'ALTER TABLE users RENAME TO accounts;',
    good: 'ALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;',
    fix:
      'In the same migration, create a view with the old name over the renamed table (a simple view is updatable, ' +
      'so old code keeps reading and writing); or create the new table, write both, migrate reads, and drop the ' +
      'old one in a later release. `migrate-lint plan rename-table <table> <new_name>` writes the rename with its view, and the ' +
      "view's drop for the next release.",
  },
  // The message says what is known of the old code, as rename-column's does.
  messages: {
    renamed:
      'RENAME TABLE {{from}} TO {{to}}: no code was scanned, so nothing shows that the previous release stopped using ' +
      '{{from}}; any query of its on {{from}} fails during the deploy and after a revert.',
    stillRead: 'RENAME TABLE {{from}} TO {{to}}: release {{base}} still uses {{from}} ({{where}}); those queries fail during the deploy and after a revert.',
    headStillReads: "RENAME TABLE {{from}} TO {{to}}: this release's code still uses {{from}} ({{where}}); those queries fail as soon as the migration runs.",
    notNamed:
      'RENAME TABLE {{from}} TO {{to}}: the code of release {{base}} that was read never names {{from}}, but a query ' +
      'that does (built at run time, or in code that was not read) fails during the deploy and after a revert.',
  },
  statementKinds: ['RenameStmt', 'AlterObjectSchemaStmt'],
  statement(ctx) {
    return renamedTables(ctx.statement.ast, ctx.schema.tables.keys())
      .filter(rename => ctx.existedBeforeRelease(rename.from) && !oldNameKeptByView(ctx, rename))
      .map(rename => ({
        ...takenUseReport(takenUse(ctx.code, rename.from), RENAME_MESSAGES, { from: rename.from, to: rename.to })!,
        help:
          `Keep the old name working: add CREATE VIEW ${rename.from} AS SELECT * FROM ${rename.to}; right after the ` +
          'rename in this migration, and drop the view once no release reads it.',
      }))
  },
})

/**
 * A view named like the old table, over the new one, later in the same migration keeps the old
 * name working (simple views are updatable). In a later migration it would leave a window open.
 */
function oldNameKeptByView(ctx: StatementContext, rename: RenamedTable): boolean {
  return ctx.migration.up.slice(ctx.index + 1).some(statement => {
    const view = createdView(statement.ast)
    return view?.name === rename.from && view.reads.includes(rename.to)
  })
}
