import { describeInserts, describeUses } from '../src/engine/code-usage.js'
import { defineRule, type CodeUsage, type Report } from '../src/engine/rule.js'
import { alterTableCommands } from '../src/sql/statements.js'
import { insertsInto, isWrite, omits, usagesOf } from '../src/usage/usage-query.js'

export default defineRule({
  id: 'set-not-null',
  category: 'revert-safety',
  severity: 'error',
  summary: 'SET NOT NULL on an existing column that the previous release writes (it may write NULL).',
  docs: {
    why:
      'The previous release was written when the column allowed NULL: its INSERTs may leave the column out and ' +
      'its UPDATEs may set it to NULL. Once the constraint is in place those writes fail, during the deploy and ' +
      'after a revert of the code. SET NOT NULL also scans the whole table under an ACCESS EXCLUSIVE lock.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    good:
      "-- this release: the code always writes email; a NOT VALID check guards new rows\n" +
      'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;',
    fix:
      'Release N: make the code always write the column, backfill, and add CHECK (col IS NOT NULL) NOT VALID; ' +
      'release N+1: VALIDATE CONSTRAINT, then SET NOT NULL (Postgres 12+ uses the valid check and skips the scan).',
  },
  messages: {
    writes: 'SET NOT NULL on {{table}}.{{column}}: release {{base}} writes it and may write NULL ({{where}}).',
    omits: 'SET NOT NULL on {{table}}.{{column}}: INSERTs of release {{base}} leave it out and the column has no default ({{where}}).',
    newColumn:
      'SET NOT NULL on {{table}}.{{column}}, which this release adds without a default: INSERTs of release {{base}} ' +
      'cannot set it ({{where}}) and fail once it is NOT NULL.',
    unverified: 'SET NOT NULL on {{table}}.{{column}}: no code scan proved that the previous release never writes NULL into it.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return alterTableCommands(ctx.statement.ast)
      .filter(({ cmd }) => cmd.subtype === 'AT_SetNotNull' && cmd.name)
      .filter(({ table }) => ctx.existedBeforeRelease(table))
      .filter(({ table, cmd }) => ctx.schema.column(table, cmd.name!)?.nullable !== false)
      .flatMap(({ table, cmd }) => {
        const hasDefault = ctx.schema.column(table, cmd.name!)?.default != null
        // A column this release adds: the previous release cannot write it, so every INSERT of its leaves it out.
        if (!ctx.columnExistedBeforeRelease(table, cmd.name!)) return hasDefault ? [] : newColumnInserts(table, cmd.name!, ctx.code)
        return writers(table, cmd.name!, ctx.code, hasDefault)
      })
  },
})

function planHelp(table: string, column: string): string {
  return (
    `Release N: write ${column} on every insert and update, backfill NULLs, ` +
    `ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_not_null CHECK (${column} IS NOT NULL) NOT VALID; ` +
    `release N+1: VALIDATE CONSTRAINT, then SET NOT NULL.`
  )
}

function newColumnInserts(table: string, column: string, code: CodeUsage | null): Report[] {
  const inserts = code ? insertsInto(code.base, table) : []
  if (!code || !inserts.length) return []
  return [{ messageId: 'newColumn', data: { table, column, base: code.baseLabel, where: describeInserts(inserts) }, help: planHelp(table, column) }]
}

function writers(table: string, column: string, code: CodeUsage | null, hasDefault: boolean): Report[] {
  const data = { table, column }
  const help = planHelp(table, column)
  if (!code) return [{ messageId: 'unverified', data, help }]
  const writes = usagesOf(code.base, table, column).filter(isWrite)
  if (writes.length) return [{ messageId: 'writes', data: { ...data, base: code.baseLabel, where: describeUses(writes) }, help }]
  const omitting = hasDefault ? [] : insertsInto(code.base, table).filter(i => omits(i, column))
  if (omitting.length) return [{ messageId: 'omits', data: { ...data, base: code.baseLabel, where: describeInserts(omitting) }, help }]
  return []
}
