import { defineRule, type Report, type StatementContext } from '../src/engine/rule.js'
import { provingCheckSoFar, tableSoFar } from '../src/schema/table-so-far.js'
import { isSerialType } from '../src/schema/volatility.js'
import { typeInfo } from '../src/sql/ast.js'
import { notNullCommands } from '../src/sql/not-null-check.js'
import { addedColumns, type AddedColumn } from '../src/sql/statements.js'

export default defineRule({
  id: 'not-null-without-default',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ADD COLUMN … NOT NULL without DEFAULT (or ADD COLUMN, then SET NOT NULL with no backfill) on a table that existed before the release.',
  docs: {
    why:
      'On a table with rows, ADD COLUMN … NOT NULL without a default fails outright. On an empty one it succeeds, ' +
      'but every INSERT of the previous release omits the new column and fails with a not-null violation, so ' +
      'the app cannot be reverted once the migration ran. Adding the column nullable and setting it NOT NULL ' +
      'later in the release fails the same way unless an UPDATE fills it between: the column is NULL in every ' +
      'row the table had (ALTER COLUMN SET DEFAULT fills none of them).',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: 'ALTER TABLE users ADD COLUMN email text NOT NULL;',
    good: "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';",
    fix:
      'Add the column nullable (or with a DEFAULT) and write it from the code; backfill; ' +
      'then SET NOT NULL through a NOT VALID check constraint in a later release.',
  },
  messages: {
    notNull: 'ADD COLUMN {{table}}.{{column}} is NOT NULL without a DEFAULT: it fails on a table with rows, and INSERTs of the previous release omit it.',
    unfilled:
      '{{what}} on {{table}}.{{column}}, which this release adds without a DEFAULT and no UPDATE fills: it is NULL in ' +
      'every row the table had, so this fails on a table with rows, as ADD COLUMN … NOT NULL without a DEFAULT does.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const added = addedColumns(ctx.statement.ast)
    const notNull: Report[] = added
      .filter(c => c.notNull && fillsNothing(c))
      .filter(c => ctx.existedBeforeRelease(c.table))
      .map(c => ({ messageId: 'notNull', data: { table: c.table, column: c.def.colname ?? '?' } }))
    const addedHere = new Map(added.map(c => [`${c.table}.${c.def.colname}`, c]))
    // Postgres 18's NOT VALID skips the rows already there: only a scan of them fails.
    const unfilled: Report[] = notNullCommands(ctx.statement.ast)
      .filter(({ table, notValid }) => !notValid && ctx.existedBeforeRelease(table))
      .filter(({ table, column }) => {
        const here = addedHere.get(`${table}.${column}`)
        // ADD COLUMN c … NOT NULL in the same statement has its own finding above.
        if (here) return !here.notNull && fillsNothing(here)
        return addedUnfilled(ctx, table, column)
      })
      // A validated CHECK (c IS NOT NULL) is what SET NOT NULL reads then, not the rows (squawk's gh-628 recipe).
      .filter(({ table, column }) => !provingCheckSoFar(ctx, table, column))
      .map(({ table, column, what }) => ({
        messageId: 'unfilled',
        data: { what, table, column },
        help: `Backfill first (UPDATE ${table} SET ${column} = … in batches), or add the column with a DEFAULT; then SET NOT NULL through a NOT VALID check.`,
      }))
    return [...notNull, ...unfilled]
  },
})

/** Added with nothing that gives the rows already there a value: no DEFAULT, not identity, generated or serial. */
function fillsNothing(c: AddedColumn): boolean {
  return !c.defaultExpr && !c.generated && !isSerialType(typeInfo(c.def.typeName).name)
}

/**
 * A column this release added with no default and no UPDATE of the migrations has filled since (Column.unfilled).
 * On a table made outside the migrations, one this migration added.
 */
function addedUnfilled(ctx: StatementContext, table: string, column: string): boolean {
  if (!tableSoFar(ctx, table)?.columns.get(column)?.unfilled) return false
  return !ctx.schema.table(table) || !ctx.columnExistedBeforeRelease(table, column)
}
