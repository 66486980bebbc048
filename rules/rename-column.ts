import { RENAME_MESSAGES, takenUse, takenUseReport } from '../src/engine/code-usage.js'
import { defineRule } from '../src/engine/rule.js'
import { renamedColumn } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'rename-column',
  category: 'revert-safety',
  severity: 'error',
  summary: 'RENAME COLUMN of a column that existed before the release.',
  docs: {
    why:
      'The rename takes effect the moment the migration runs, while the servers of the previous release are still ' +
      'serving traffic: every query they send that names the old column fails with "column does not exist". The ' +
      'same happens after a revert of the code, so the release cannot be rolled back without another migration.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
    good: 'ALTER TABLE users ADD COLUMN email_address text;',
    fix:
      'Add the new column, write both from the code, backfill, switch reads to the new column, and drop the old ' +
      'one in a later release (or expose the new name through a view). `migrate-lint plan rename-column <table.column> <new_name>` ' +
      'writes these migrations, release by release.',
  },
  // The message says what is known of the old code: no code was scanned, it names the column (where), this
  // release's code still does, or the code read never does (a query built at run time still would).
  messages: {
    renamed:
      'RENAME COLUMN {{table}}.{{from}} TO {{to}}: no code was scanned, so nothing shows that the previous release ' +
      'stopped using {{table}}.{{from}}; any query of its that names it fails during the deploy and after a revert.',
    stillRead:
      'RENAME COLUMN {{table}}.{{from}} TO {{to}}: release {{base}} still uses {{table}}.{{from}} ({{where}}); those ' +
      'queries fail during the deploy and after a revert.',
    headStillReads:
      "RENAME COLUMN {{table}}.{{from}} TO {{to}}: this release's code still uses {{table}}.{{from}} ({{where}}); those " +
      'queries fail as soon as the migration runs.',
    notNamed:
      'RENAME COLUMN {{table}}.{{from}} TO {{to}}: the code of release {{base}} that was read never names ' +
      '{{table}}.{{from}}, but a query that does (built at run time, or in code that was not read) fails during the ' +
      'deploy and after a revert.',
  },
  statementKinds: ['RenameStmt'],
  statement(ctx) {
    const rename = renamedColumn(ctx.statement.ast)
    if (!rename || !ctx.columnExistedBeforeRelease(rename.table, rename.from)) return []
    const type = ctx.schema.column(rename.table, rename.from)?.type.text ?? `<type of ${rename.from}>`
    return [
      {
        ...takenUseReport(takenUse(ctx.code, rename.table, rename.from), RENAME_MESSAGES, { table: rename.table, from: rename.from, to: rename.to })!,
        help:
          `ALTER TABLE ${rename.table} ADD COLUMN ${rename.to} ${type}; then write both ${rename.from} and ${rename.to} ` +
          `from the code, backfill, switch reads to ${rename.to}, and drop ${rename.from} in a later release.`,
      },
    ]
  },
})
