import { partsOfOneChange } from '../src/discover/change-parts.js'
import { describeInserts, describeUses } from '../src/engine/code-usage.js'
import { defineRule, type CodeUsage, type Report } from '../src/engine/rule.js'
import { provingCheckSoFar } from '../src/schema/table-so-far.js'
import { notNullCommands } from '../src/sql/not-null-check.js'
import { addedColumns } from '../src/sql/statements.js'
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
      'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n' +
      '-- next release: ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n' +
      '--               ALTER TABLE users ALTER COLUMN email SET NOT NULL;  -- no scan, no new requirement',
    fix:
      'Release N: make the code always write the column, backfill, and add CHECK (col IS NOT NULL) NOT VALID; ' +
      'release N+1: VALIDATE CONSTRAINT, then SET NOT NULL (Postgres 12+ uses the valid check and skips the scan). ' +
      'Once a validated CHECK (col IS NOT NULL) holds, SET NOT NULL adds no requirement and is no finding.',
  },
  messages: {
    writes: '{{what}} on {{table}}.{{column}}: release {{base}} writes it and may write NULL ({{where}}).',
    omits: '{{what}} on {{table}}.{{column}}: INSERTs of release {{base}} leave it out and the column has no default ({{where}}).',
    newColumn:
      '{{what}} on {{table}}.{{column}}, which this release adds without a default: INSERTs of release {{base}} ' +
      'cannot set it ({{where}}) and fail once it is NOT NULL.',
    unverified: '{{what}} on {{table}}.{{column}}: no code scan proved that the previous release never writes NULL into it.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const addedHere = new Map(addedColumns(ctx.statement.ast).map(c => [`${c.table}.${c.def.colname}`, c]))
    // Postgres 18's ADD CONSTRAINT … NOT NULL col sets the same requirement; NOT VALID skips only the scan,
    // not the check of every write from then on, so the old code's writes are judged the same way.
    return notNullCommands(ctx.statement.ast)
      .filter(({ table }) => ctx.existedBeforeRelease(table))
      .filter(({ table, column }) => ctx.schema.column(table, column)?.nullable !== false)
      .flatMap(({ table, column, what }) => {
        // ADD COLUMN c … , ALTER COLUMN c SET NOT NULL: new, though the model (as it stood before the statement) has no c yet.
        const sameStatement = addedHere.get(`${table}.${column}`)
        const hasDefault = sameStatement ? sameStatement.defaultExpr !== undefined : ctx.schema.column(table, column)?.default != null
        // A column this release adds: the previous release cannot write it, so every INSERT of its leaves it out.
        if (sameStatement || !ctx.columnExistedBeforeRelease(table, column)) return hasDefault ? [] : newColumnInserts(table, column, what, ctx.code)
        // With no code to look at: a column another part of the same change added (add, fill, SET NOT NULL) is no
        // older than the change, so no earlier release wrote it. With code, what it writes decides.
        const origin = ctx.schema.column(table, column)?.origin
        if (!ctx.code && origin && partsOfOneChange(origin.migrationId, ctx.migration.id)) return []
        const check = provingCheckSoFar(ctx, table, column)
        // The requirement was in force before this migration: SET NOT NULL adds none, and reads the check instead of the rows.
        if (check && check.origin.migrationId !== ctx.migration.id) return []
        // Added by this migration (the whole recipe in one file): only code that writes the column says the old release breaks.
        return writers(table, column, what, ctx.code, hasDefault, !check)
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

function newColumnInserts(table: string, column: string, what: string, code: CodeUsage | null): Report[] {
  const inserts = code ? insertsInto(code.base, table) : []
  if (!code || !inserts.length) return []
  return [{ messageId: 'newColumn', data: { what, table, column, base: code.baseLabel, where: describeInserts(inserts) }, help: planHelp(table, column) }]
}

/** `unproven`: with no code scan, say that nothing proved the old release safe (not when a check already rules NULL out). */
function writers(table: string, column: string, what: string, code: CodeUsage | null, hasDefault: boolean, unproven = true): Report[] {
  const data = { what, table, column }
  const help = planHelp(table, column)
  if (!code) return unproven ? [{ messageId: 'unverified', data, help }] : []
  // A write of a literal other than NULL (SQL VALUES ('x'), Kysely values({ col: 'x' })) cannot write NULL; a reader that did not see the value says nothing.
  const writes = usagesOf(code.base, table, column).filter(u => isWrite(u) && !u.nonNullLiteral)
  if (writes.length) return [{ messageId: 'writes', data: { ...data, base: code.baseLabel, where: describeUses(writes) }, help }]
  const omitting = hasDefault ? [] : insertsInto(code.base, table).filter(i => omits(i, column))
  if (omitting.length) return [{ messageId: 'omits', data: { ...data, base: code.baseLabel, where: describeInserts(omitting) }, help }]
  return []
}
