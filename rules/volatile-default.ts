import type { Node } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import type { Report } from '../src/engine/rule.js'
import { calledFunctions, exprText, nodeAs, typeInfo } from '../src/sql/ast.js'
import { addedColumns, columnConstraints } from '../src/sql/statements.js'
import type { AddedColumn } from '../src/sql/statements.js'
import { isSerialType, isVolatileExpr } from '../src/schema/volatility.js'
import { generatedName, quoteIdent, quoteQualified } from '../src/sql/lock-safe-ddl.js'

/** From this major version on, ADD COLUMN stores a non-volatile default in the catalogue instead of rewriting. */
const FAST_DEFAULT_VERSION = 11

export default defineRule({
  id: 'volatile-default',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD COLUMN with a volatile default (or any default before Postgres 11) rewrites the whole table.',
  docs: {
    why:
      'ADD COLUMN with a default that must be computed per row (gen_random_uuid(), random(), clock_timestamp(), ' +
      'nextval(), a serial or identity column, a function the migrations did not create IMMUTABLE or STABLE) rewrites every ' +
      'row of the table while holding an ACCESS EXCLUSIVE lock: nothing can read or write the table until the ' +
      'copy is done. Constant defaults, now() and functions declared IMMUTABLE or STABLE are free from Postgres 11 ' +
      'on (Postgres trusts the declaration); before 11, every default rewrites.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    good:
      'ALTER TABLE users ADD COLUMN token uuid;\n' +
      'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n' +
      '-- then backfill the existing rows in batches: UPDATE users SET token = gen_random_uuid() WHERE token IS NULL AND id < 10000;',
    fix:
      'Add the column without a default (or with a constant one), set the default with ALTER COLUMN … SET DEFAULT ' +
      'for new rows, and backfill the existing rows in batches.',
  },
  messages: {
    volatile:
      'ADD COLUMN {{table}}.{{column}} with the volatile default {{default}} rewrites every row of {{table}} under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite.',
    anyDefault:
      'ADD COLUMN {{table}}.{{column}} with DEFAULT {{default}} rewrites every row of {{table}} under an ACCESS EXCLUSIVE lock on Postgres {{version}} (before 11, every default does).',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    for (const column of addedColumns(ctx.statement.ast)) {
      if (!ctx.existedBeforeRelease(column.table)) continue
      const name = column.def.colname ?? '?'
      const data = { table: column.table, column: name }
      const sequence = sequenceKind(column)
      if (sequence) {
        const help = sequenceHelp(column.table, name, sequence.type)
        reports.push({ messageId: 'volatile', data: { ...data, default: sequence.shown }, table: column.table, help })
        continue
      }
      const expr = column.defaultExpr
      if (!expr || isNullConstant(expr)) continue
      const help = defaultLaterHelp(column, expr)
      if (isVolatileExpr(expr, name => ctx.schema.functionVolatility(name))) {
        reports.push({ messageId: 'volatile', data: { ...data, default: shownDefault(expr) }, table: column.table, help })
      } else if (ctx.config.postgresVersion < FAST_DEFAULT_VERSION) {
        const version = ctx.config.postgresVersion
        reports.push({ messageId: 'anyDefault', data: { ...data, default: shownDefault(expr), version }, table: column.table, help })
      }
    }
    return reports
  },
})

const SERIAL_TYPES: Record<string, string> = { smallserial: 'smallint', serial2: 'smallint', bigserial: 'bigint', serial8: 'bigint' }

/** serial and identity columns fill every existing row from a sequence: nextval() per row. */
function sequenceKind(column: AddedColumn): { shown: string; type: string } | null {
  const type = typeInfo(column.def.typeName)
  if (isSerialType(type.name)) return { shown: `${type.name} (nextval() per row)`, type: SERIAL_TYPES[type.name] ?? 'integer' }
  const identity = Boolean(column.def.identity) || columnConstraints(column.def).some(c => c.contype === 'CONSTR_IDENTITY')
  return identity ? { shown: 'GENERATED AS IDENTITY (nextval() per row)', type: type.text } : null
}

// Postgres stores no default at all for DEFAULT NULL, so nothing is rewritten on any version.
function isNullConstant(expr: Node): boolean {
  const cast = nodeAs(expr, 'TypeCast')
  return Boolean(nodeAs(cast ? cast.arg : expr, 'A_Const')?.isnull)
}

/** exprText renders simple defaults only; a larger expression is named by the functions it calls. */
function shownDefault(expr: Node): string {
  const text = exprText(expr)
  if (!text.includes('(expression)')) return text
  const calls = [...new Set(calledFunctions(expr))]
  return calls.length ? `(an expression calling ${calls.map(f => `${f}()`).join(', ')})` : '(an expression)'
}

function defaultLaterHelp(column: AddedColumn, expr: Node): string {
  const table = quoteQualified(column.table)
  const name = quoteIdent(column.def.colname ?? '?')
  const text = exprText(expr)
  const value = text.includes('(expression)') ? '<the same default expression>' : text
  const lines = [
    `ALTER TABLE ${table} ADD COLUMN ${name} ${typeInfo(column.def.typeName).text};`,
    `ALTER TABLE ${table} ALTER COLUMN ${name} SET DEFAULT ${value};`,
    `-- then backfill the existing rows in batches: UPDATE ${table} SET ${name} = ${value} WHERE ${name} IS NULL AND <next batch of keys>;`,
  ]
  if (column.notNull) lines.push('-- and add NOT NULL once every row is filled (through a NOT VALID check constraint).')
  return lines.join('\n')
}

function sequenceHelp(tableName: string, columnName: string, type: string): string {
  const table = quoteQualified(tableName)
  const name = quoteIdent(columnName)
  // The sequence goes in the table's schema, as the one a serial column makes would.
  const schema = tableName.includes('.') ? `${tableName.slice(0, tableName.indexOf('.'))}.` : ''
  const sequence = `${schema}${generatedName(tableName, [columnName], 'seq')}`
  return [
    `ALTER TABLE ${table} ADD COLUMN ${name} ${type};`,
    `CREATE SEQUENCE ${quoteQualified(sequence)} OWNED BY ${table}.${name};`,
    `ALTER TABLE ${table} ALTER COLUMN ${name} SET DEFAULT nextval('${quoteQualified(sequence)}');`,
    `-- then backfill the existing rows in batches: UPDATE ${table} SET ${name} = nextval('${quoteQualified(sequence)}') WHERE ${name} IS NULL AND <next batch of keys>;`,
  ].join('\n')
}
