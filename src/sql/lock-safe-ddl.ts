// What the locking rules share: reading DDL options the way Postgres reads them, and rendering the safe
// statement a finding suggests with the names Postgres would use.
import type { Node } from '@pgsql/types'
import { nodeAs } from './ast.js'

/** Whether an option list such as `VACUUM (FULL)` or `REINDEX (CONCURRENTLY true)` switches `name` on. */
export function optionEnabled(options: Node[] | undefined, name: string): boolean {
  for (const option of options ?? []) {
    const def = nodeAs(option, 'DefElem')
    if (def?.defname === name) return booleanOption(def.arg)
  }
  return false
}

/** Postgres's defGetBoolean: a bare option is on; 0, false and off (any case) are off. */
function booleanOption(arg: Node | undefined): boolean {
  if (!arg) return true
  const integer = nodeAs(arg, 'Integer')
  if (integer) return (integer.ival ?? 0) !== 0
  const boolean = nodeAs(arg, 'Boolean')
  if (boolean) return Boolean(boolean.boolval)
  const text = nodeAs(arg, 'String')?.sval?.toLowerCase()
  return text !== 'false' && text !== 'off'
}

/** Reserved and type/function-name keywords (kwlist.h): as a table or column name they need quotes. */
const NEEDS_QUOTES = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into ' +
    'is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on ' +
    'only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose ' +
    'when where window with'
  ).split(' '),
)

/** An identifier as it must be written in SQL: `users`, `"order"`, `"Users"`. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !NEEDS_QUOTES.has(name)) return name
  return `"${name.replace(/"/g, '""')}"`
}

/** A `schema.table` name from the schema model, quoted part by part. */
export function quoteQualified(name: string): string {
  const dot = name.indexOf('.')
  return dot < 0 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`
}

export function columnList(columns: string[]): string {
  return `(${columns.map(quoteIdent).join(', ')})`
}

/** The table's own name without its schema: Postgres builds generated names from it. */
export function bareName(table: string): string {
  return table.slice(table.indexOf('.') + 1)
}

const MAX_IDENTIFIER = 63

/**
 * The name Postgres gives an unnamed constraint or its index (makeObjectName, without the counter it adds on a
 * clash): `orders_user_id_fkey`, `users_email_key`, `users_check`. The longer part is cut first to fit 63 bytes.
 */
export function generatedName(table: string, columns: string[], label: string): string {
  const name1 = bareName(table)
  const name2 = columns.join('_')
  const available = MAX_IDENTIFIER - (label.length + 1) - (name2 ? 1 : 0)
  let chars1 = name1.length
  let chars2 = name2.length
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) chars1--
    else chars2--
  }
  return [name1.slice(0, chars1), name2.slice(0, chars2), label].filter(Boolean).join('_')
}

/** The statement's text with `clause` added at its end; after a trailing `--` comment it goes on a new line. */
export function appendClause(sql: string, clause: string): string {
  const lastLine = sql.slice(sql.lastIndexOf('\n') + 1)
  return `${sql}${lastLine.includes('--') ? '\n' : ' '}${clause}`
}
