import { defineRule, type Report } from '../src/engine/rule.js'
import { exprText, typeNameOf, type TypeInfo } from '../src/sql/ast.js'
import { columnTypeChanges, type ColumnTypeChange } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'change-column-type',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ALTER COLUMN … TYPE on an existing column, other than a widening Postgres does in place.',
  docs: {
    why:
      'Changing a column type rewrites (or re-checks) every row under an ACCESS EXCLUSIVE lock: reads and writes ' +
      'of the table wait for minutes on a large table. The previous release was written for the old type, so its ' +
      'code can break during the deploy and after a revert (values that no longer fit, changed comparisons or ' +
      'formats). Only widenings such as varchar(n) → varchar(m ≥ n) or text keep both the rows and the old code as they are.',
    setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, total integer, note varchar(100));',
    bad: 'ALTER TABLE orders ALTER COLUMN total TYPE bigint;',
    good: 'ALTER TABLE orders ADD COLUMN total_v2 bigint;\nALTER TABLE orders ALTER COLUMN note TYPE varchar(200);',
    fix:
      'Add a new column of the new type, write both from the code, backfill in batches, switch reads to the new ' +
      'column, and drop the old column in a later release.',
  },
  messages: {
    changed:
      'ALTER COLUMN {{table}}.{{column}} TYPE {{from}} → {{to}} is not a widening Postgres does in place: it ' +
      'rewrites or re-checks every row under an ACCESS EXCLUSIVE lock, and the previous release was written for {{from}}.',
    using:
      'ALTER COLUMN {{table}}.{{column}} TYPE {{from}} → {{to}} USING {{using}} converts every row: Postgres rewrites ' +
      'the table under an ACCESS EXCLUSIVE lock, and the previous release was written for {{from}}.',
    unknownType:
      'ALTER COLUMN {{table}}.{{column}} TYPE (unknown) → {{to}}: the previous type of {{table}}.{{column}} is unknown (the ' +
      'migrations we can see do not create it), so the change could not be proven safe.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return columnTypeChanges(ctx.statement.ast)
      .filter(change => ctx.columnExistedBeforeRelease(change.table, change.column))
      .flatMap(change => typeChangeReports(change, ctx.schema.column(change.table, change.column)?.type))
  },
})

function typeChangeReports(change: ColumnTypeChange, from: TypeInfo | undefined): Report[] {
  const to = change.type.text + (change.collation ? ` COLLATE ${change.collation}` : '')
  const data = { table: change.table, column: change.column, to }
  const help =
    `ALTER TABLE ${change.table} ADD COLUMN ${change.column}_new ${to}; then write both columns from the code, ` +
    `backfill in batches, switch reads to ${change.column}_new, and drop ${change.column} in a later release.`
  if (!from) return [{ messageId: 'unknownType', data, help }]
  if (change.using) return [{ messageId: 'using', data: { ...data, from: from.text, using: exprText(change.using) }, help }]
  // Postgres cannot tell whether a new collation keeps the old one, and it changes how old code's queries sort and compare.
  if (change.collation || !changesInPlace(from, change.type)) return [{ messageId: 'changed', data: { ...data, from: from.text }, help }]
  return []
}

/**
 * Type changes Postgres makes without touching a row, that leave every value the old code reads and
 * writes valid. Arrays are kept out of the widenings: element coercions rewrite the table.
 */
function changesInPlace(from: TypeInfo, to: TypeInfo): boolean {
  const a = typeNameOf(from)
  const b = typeNameOf(to)
  if (from.array !== to.array) return false
  if (a === b && sameMods(from.mods, to.mods)) return true
  if (from.array) return false
  if (a === 'varchar' && b === 'text') return true
  if (a === 'text' && b === 'varchar') return to.mods.length === 0
  if (a === 'cidr' && b === 'inet') return true
  if (a !== b) return false
  if (a === 'varchar' || a === 'varbit') return from.mods.length > 0 && (to.mods.length === 0 || to.mods[0] >= from.mods[0])
  if (a === 'numeric') {
    if (from.mods.length === 0) return false
    // numeric(p) is numeric(p,0)
    return to.mods.length === 0 || (to.mods[0] >= from.mods[0] && (to.mods[1] ?? 0) === (from.mods[1] ?? 0))
  }
  return false
}

function sameMods(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((mod, i) => mod === b[i])
}
