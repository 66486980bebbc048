import { defineRule } from '../src/engine/rule.js'
import { typeInfo } from '../src/sql/ast.js'
import { addedColumns } from '../src/sql/statements.js'
import { isSerialType } from '../src/schema/volatility.js'

export default defineRule({
  id: 'not-null-without-default',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ADD COLUMN … NOT NULL without DEFAULT on a table that existed before the release.',
  docs: {
    why:
      'On a table with rows, ADD COLUMN … NOT NULL without a default fails outright. On an empty one it succeeds, ' +
      'but every INSERT of the previous release omits the new column and fails with a not-null violation, so ' +
      'the app cannot be reverted once the migration ran.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: 'ALTER TABLE users ADD COLUMN email text NOT NULL;',
    good: "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
    fix:
      'Add the column nullable (or with a DEFAULT) and write it from the code; backfill; ' +
      'then SET NOT NULL through a NOT VALID check constraint in a later release.',
  },
  messages: {
    notNull: 'ADD COLUMN {{table}}.{{column}} is NOT NULL without a DEFAULT: it fails on a table with rows, and INSERTs of the previous release omit it.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return addedColumns(ctx.statement.ast)
      .filter(c => c.notNull && !c.defaultExpr && !c.generated && !isSerialType(typeInfo(c.def.typeName).name))
      .filter(c => ctx.existedBeforeRelease(c.table))
      .map(c => ({ messageId: 'notNull', data: { table: c.table, column: c.def.colname ?? '?' } }))
  },
})
