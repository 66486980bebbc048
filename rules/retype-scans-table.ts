import { defineRule, type Report, type StatementContext } from '../src/engine/rule.js'
import { nodeAs, typeInfo, type TypeInfo } from '../src/sql/ast.js'
import { quoteIdent, quoteQualified } from '../src/sql/lock-safe-ddl.js'
import { alterTableCommands } from '../src/sql/statements.js'
import { changesInPlace, changesZone } from './change-column-type.js'

// The locking side of a type change that change-column-type (revert-safety) leaves alone: a column
// the release added has no old code to break, yet its table has rows to rewrite; and a change Postgres
// makes in place still re-validates every CHECK that reads the column (checked on Postgres 18: a
// side-effecting check function ran once per row; a NOT VALID check is not re-validated).
export default defineRule({
  id: 'retype-scans-table',
  category: 'locking',
  severity: 'warning',
  summary: 'ALTER COLUMN … TYPE that rewrites or scans an existing table although no old code is affected: a column the release added, or CHECKs re-validated.',
  docs: {
    why:
      'Changing the type of a column the release itself added breaks no old code, but the table still has rows: ' +
      'unless Postgres can change the type in place, it rewrites the whole table under an ACCESS EXCLUSIVE lock, ' +
      'which declaring the final type in ADD COLUMN avoids. And a change Postgres does make in place (varchar(n) ' +
      'to a longer varchar or text) still re-validates every CHECK constraint that reads the column, reading every ' +
      'row under that lock.',
    setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, note varchar(100) CONSTRAINT orders_note_check CHECK (length(note) > 0));',
    bad: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(200);',
    good:
      'ALTER TABLE orders DROP CONSTRAINT orders_note_check;\nALTER TABLE orders ALTER COLUMN note TYPE varchar(200);\n' +
      'ALTER TABLE orders ADD CONSTRAINT orders_note_check CHECK (length(note) > 0) NOT VALID;\n' +
      '-- then, in a later migration: ALTER TABLE orders VALIDATE CONSTRAINT orders_note_check;',
    fix:
      'Give a new column its final type in ADD COLUMN. Before a type change on a column with CHECK constraints, ' +
      'drop them, and add them back NOT VALID after it, to VALIDATE in a later migration.',
  },
  messages: {
    newColumn:
      'ALTER COLUMN {{table}}.{{column}} TYPE {{from}} → {{to}}: the column is new in this release, but {{table}} has rows, ' +
      'and Postgres rewrites all of them under an ACCESS EXCLUSIVE lock to convert it.',
    recheck:
      'ALTER COLUMN {{table}}.{{column}} TYPE {{from}} → {{to}} keeps the rows, but re-validates {{checks}} against every ' +
      'row of {{table}} under an ACCESS EXCLUSIVE lock.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    const addedHere = new Map<string, TypeInfo>()
    for (const { table, cmd } of alterTableCommands(ctx.statement.ast)) {
      const def = nodeAs(cmd.def, 'ColumnDef')
      if (cmd.subtype === 'AT_AddColumn' && def?.colname) addedHere.set(def.colname, typeInfo(def.typeName))
      if (cmd.subtype !== 'AT_AlterColumnType' || !cmd.name || !def || !ctx.existedBeforeRelease(table)) continue
      const column = cmd.name
      const from = addedHere.get(column) ?? ctx.schema.column(table, column)?.type
      const to = typeInfo(def.typeName)
      // Unknown old type, or a time zone change whose cost depends on the session: nothing to claim.
      if (!from || changesZone(from, to)) continue
      const data = { table, column, from: from.text, to: to.text }
      const inPlace = !def.raw_default && !def.collClause && changesInPlace(from, to)
      const isNew = addedHere.has(column) || !ctx.columnExistedBeforeRelease(table, column)
      if (!inPlace) {
        // An old column's rewrite is change-column-type's finding.
        if (isNew) reports.push({ messageId: 'newColumn', data, table, help: `Declare ${table}.${column} as ${to.text} in its ADD COLUMN instead of changing it afterwards.` })
        continue
      }
      const checks = validatedChecksOn(ctx, table, column)
      if (checks.length) reports.push({ messageId: 'recheck', data: { ...data, checks: checks.join(', ') }, table, help: recheckHelp(table, checks) })
    }
    return reports
  },
})

/** How messages name the validated CHECK constraints that read the column: `CHECK orders_note_check`. */
function validatedChecksOn(ctx: StatementContext, table: string, column: string): string[] {
  return (ctx.schema.table(table)?.constraints ?? [])
    .filter(c => c.kind === 'check' && c.validated && c.columns.includes(column))
    .map(c => (c.name ? `CHECK ${c.name}` : 'an unnamed CHECK'))
}

function recheckHelp(table: string, checks: string[]): string {
  const named = checks.filter(c => c.startsWith('CHECK ')).map(c => c.slice('CHECK '.length))
  const drop = named.map(name => `ALTER TABLE ${quoteQualified(table)} DROP CONSTRAINT ${quoteIdent(name)};`).join(' ')
  return `${drop ? `${drop} ` : 'Drop the checks, '}then change the type, add the checks back NOT VALID, and VALIDATE them in a later migration.`
}
