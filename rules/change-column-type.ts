import { defineRule, type Report, type StatementContext } from '../src/engine/rule.js'
import type { ColumnDef, Node } from '@pgsql/types'
import { exprText, nodeAs, strings, typeInfo, typeNameOf, type TypeInfo } from '../src/sql/ast.js'
import { columnTypeChanges, type ColumnTypeChange } from '../src/sql/breaking-ddl.js'
import { sessionTimeZoneIsUtc } from '../src/sql/session-time-zone.js'

export default defineRule({
  id: 'change-column-type',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ALTER COLUMN … TYPE on an existing column, other than a change Postgres makes in place (a widening, citext ↔ text).',
  docs: {
    why:
      'Changing a column type rewrites (or re-checks) every row under an ACCESS EXCLUSIVE lock: reads and writes ' +
      'of the table wait for minutes on a large table. The previous release was written for the old type, so its ' +
      'code can break during the deploy and after a revert (values that no longer fit, changed comparisons or ' +
      'formats). Only widenings such as varchar(n) → varchar(m ≥ n) or text, citext ↔ text or varchar on a column no ' +
      'index covers, and timestamp → timestamptz while the session time zone is UTC (Postgres 12+) keep both the rows ' +
      'and the old code as they are.',
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
    rebuildsIndexes:
      'ALTER COLUMN {{table}}.{{column}} TYPE {{from}} → {{to}} keeps the rows, but rebuilds {{indexes}} under an ACCESS ' +
      'EXCLUSIVE lock: reads and writes of {{table}} wait for the whole index build.',
    timeZone:
      'ALTER COLUMN {{table}}.{{column}} TYPE {{from}} → {{to}} rewrites every row under an ACCESS EXCLUSIVE lock unless ' +
      "the session time zone is UTC (then Postgres 12+ changes it in place); this migration does not SET TIME ZONE 'UTC' before it.",
    unknownType:
      'ALTER COLUMN {{table}}.{{column}} TYPE (unknown) → {{to}}: the previous type of {{table}}.{{column}} is unknown (the ' +
      'migrations we can see do not create it), so the change could not be proven safe.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return columnTypeChanges(ctx.statement.ast)
      .filter(change => ctx.columnExistedBeforeRelease(change.table, change.column))
      .flatMap(change => typeChangeReports(change, ctx.schema.column(change.table, change.column)?.type, ctx))
  },
})

/** From this major version on, timestamp ↔ timestamptz needs no rewrite while the session time zone is UTC. */
const ZONE_IN_PLACE_VERSION = 12

function typeChangeReports(change: ColumnTypeChange, from: TypeInfo | undefined, ctx: StatementContext): Report[] {
  const to = change.type.text + (change.collation ? ` COLLATE ${change.collation}` : '')
  const data = { table: change.table, column: change.column, to }
  const help =
    `ALTER TABLE ${change.table} ADD COLUMN ${change.column}_new ${to}; then write both columns from the code, ` +
    `backfill in batches, switch reads to ${change.column}_new, and drop ${change.column} in a later release.`
  if (!from) return [{ messageId: 'unknownType', data, help }]
  const using: Report[] = change.using ? [{ messageId: 'using', data: { ...data, from: from.text, using: exprText(change.using) }, help }] : []
  if (change.using && !restatesColumn(change.using, change.column, change.type)) return using
  const reports = reportsWithoutUsing(change, from, ctx, { ...data, from: from.text }, help)
  // Restating the column keeps the rows where Postgres would; where it converts them, say what it converts with.
  return using.length && reports.some(r => r.messageId === 'changed') ? using : reports
}

function reportsWithoutUsing(change: ColumnTypeChange, from: TypeInfo, ctx: StatementContext, data: Report['data'], help: string): Report[] {
  // Postgres cannot tell whether a new collation keeps the old one, and it changes how old code's queries sort and compare.
  if (change.collation) return [{ messageId: 'changed', data, help }]
  const zoneChange = changesZone(from, change.type)
  if (zoneChange && ctx.config.postgresVersion >= ZONE_IN_PLACE_VERSION && !sessionTimeZoneIsUtc(ctx.migration.up.slice(0, ctx.index))) {
    return [{ messageId: 'timeZone', data, help }]
  }
  const inPlace = zoneChange ? ctx.config.postgresVersion >= ZONE_IN_PLACE_VERSION : changesInPlace(from, change.type)
  if (!inPlace) return [{ messageId: 'changed', data, help }]
  // Rows stay as they are, but an index whose operator class differs (citext's, timestamptz's) is built anew.
  const indexes = changesOperatorClass(from, change.type) ? indexesOn(ctx, change.table, change.column) : []
  if (indexes.length) return [{ messageId: 'rebuildsIndexes', data: { ...data, indexes: indexes.join(', ') }, help }]
  return []
}

/**
 * `USING col` or `USING col::<the new type>` asks for the conversion Postgres makes without USING: the
 * change is judged as if it had none (checked on Postgres 18: no rewrite for timestamp → timestamptz
 * USING col in UTC, nor varchar(10) → varchar(20) USING col::varchar(20); USING col + 0 rewrites).
 */
/**
 * Whether ALTER COLUMN … TYPE leaves every row as it is (no rewrite): a USING that only restates the
 * column, no new collation, and a change Postgres makes in place — timestamp ↔ timestamptz only in a UTC
 * session from Postgres 12 on. What statement-after-access-exclusive asks before it calls one slow.
 */
export function typeChangeKeepsRows(ctx: StatementContext, column: string, from: TypeInfo, def: ColumnDef): boolean {
  const to = typeInfo(def.typeName)
  if (def.collClause || (def.raw_default && !restatesColumn(def.raw_default, column, to))) return false
  if (!changesZone(from, to)) return changesInPlace(from, to)
  return ctx.config.postgresVersion >= ZONE_IN_PLACE_VERSION && sessionTimeZoneIsUtc(ctx.migration.up.slice(0, ctx.index))
}

function restatesColumn(using: Node, column: string, to: TypeInfo): boolean {
  const cast = nodeAs(using, 'TypeCast')
  if (cast && typeInfo(cast.typeName).text !== to.text) return false
  const ref = strings(nodeAs(cast ? cast.arg : using, 'ColumnRef')?.fields)
  return ref.length === 1 && ref[0] === column
}

/** typeNameOf, with citext under any schema (Supabase installs extensions in `extensions`) as citext. */
function typeName(type: TypeInfo): string {
  const name = typeNameOf(type)
  return name.endsWith('.citext') ? 'citext' : name
}

const TEXT_TYPES = new Set(['text', 'varchar', 'citext'])
const ZONE_TYPES = new Set(['timestamp', 'timestamptz'])
/** Postgres's largest fractional-second precision: timestamp and timestamp(6) are the same. */
const MAX_SECONDS_PRECISION = 6

/**
 * timestamp ↔ timestamptz: the stored value is the same while the session time zone is UTC (Postgres 12+
 * then skips the rewrite), unless the new type rounds seconds more than the old one (checked with relfilenode).
 */
export function changesZone(from: TypeInfo, to: TypeInfo): boolean {
  const a = typeName(from)
  const b = typeName(to)
  if (a === b || !ZONE_TYPES.has(a) || !ZONE_TYPES.has(b) || from.array || to.array) return false
  return (to.mods[0] ?? MAX_SECONDS_PRECISION) >= MAX_SECONDS_PRECISION
}

function changesOperatorClass(from: TypeInfo, to: TypeInfo): boolean {
  const a = typeName(from)
  const b = typeName(to)
  return (a === 'citext') !== (b === 'citext') || (ZONE_TYPES.has(a) && ZONE_TYPES.has(b) && a !== b)
}

/** The indexes (unique and primary key ones included) that cover the column itself. */
function indexesOn(ctx: StatementContext, table: string, column: string): string[] {
  return ctx.schema.indexesOf(table).filter(index => index.columns.includes(column)).map(index => index.name)
}

/**
 * Type changes Postgres makes without touching a row, that leave every value the old code reads and
 * writes valid. Arrays are kept out of the widenings: element coercions rewrite the table.
 */
export function changesInPlace(from: TypeInfo, to: TypeInfo): boolean {
  const a = typeName(from)
  const b = typeName(to)
  if (from.array !== to.array) return false
  if (a === b && sameMods(from.mods, to.mods)) return true
  if (from.array) return false
  // citext shares text's storage: a cast without a function, except to a length-limited varchar.
  if (a !== b && TEXT_TYPES.has(a) && TEXT_TYPES.has(b)) return b !== 'varchar' || to.mods.length === 0
  if (a === 'cidr' && b === 'inet') return true
  if (a !== b) return false
  if (a === 'varchar' || a === 'varbit') return from.mods.length > 0 && (to.mods.length === 0 || to.mods[0] >= from.mods[0])
  // Fractional seconds: more (or the default 6) keeps every value; fewer rounds every row.
  if (a === 'timestamp' || a === 'timestamptz' || a === 'time' || a === 'timetz') {
    return (to.mods[0] ?? MAX_SECONDS_PRECISION) >= (from.mods[0] ?? MAX_SECONDS_PRECISION)
  }
  // interval's modifiers are its fields, then its precision: no limit keeps every value, as more precision over the same fields does.
  if (a === 'interval') return to.mods.length === 0 || (to.mods.length === 2 && from.mods.length === 2 && to.mods[0] === from.mods[0] && to.mods[1] >= from.mods[1])
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
