import { defineRule } from '../src/engine/rule.js'
import { absentTargets } from '../src/schema/absent-objects.js'
import { droppedColumns } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'drop-column-data-loss',
  category: 'data-loss',
  severity: 'info',
  summary: 'DROP COLUMN of a column that existed before the release: its data is gone for good.',
  docs: {
    why:
      'DROP COLUMN deletes the values of every row. Reverting the code afterwards does not bring them back: the ' +
      'column can be re-added, but empty, and the data only comes back from a backup restore. The note is for drops ' +
      'the revert-safety rules let through: a drop that drop-column-still-read or unproven-change reports has that ' +
      'finding only.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_token text);',
    bad: 'ALTER TABLE users DROP COLUMN legacy_token;',
    good:
      '-- keep the data until nobody needs it: archive it now, drop the column in a later release\n' +
      'CREATE TABLE users_legacy_token_archive AS SELECT id, legacy_token FROM users;',
    fix: 'Make sure nothing needs the data any more, or archive it (e.g. into a table) before dropping the column.',
  },
  messages: {
    dataLoss:
      'DROP COLUMN {{table}}.{{column}} deletes its data in every row: a revert of the code cannot bring it back, ' +
      'only a restore from backup can.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    // DROP COLUMN IF EXISTS of a column that is not there deletes nothing.
    const absent = absentTargets(ctx.statement.ast, ctx.schema).columns
    return droppedColumns(ctx.statement.ast)
      .filter(drop => ctx.columnExistedBeforeRelease(drop.table, drop.column) && !absent.has(`${drop.table}.${drop.column}`))
      .map(drop => ({
        messageId: 'dataLoss',
        data: { table: drop.table, column: drop.column },
        // A drop another rule blocks keeps that finding only (src/engine/drop-notes.ts).
        subject: `${drop.table}.${drop.column}`,
        help:
          `If the data may still be needed, archive it first: CREATE TABLE ${drop.table}_${drop.column}_archive ` +
          `AS SELECT <primary key>, ${drop.column} FROM ${drop.table};`,
      }))
  },
})
