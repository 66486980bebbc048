// Whether a column default forces a table rewrite when added to an existing table. From Postgres 11 on,
// ADD COLUMN with a non-volatile default only stores the value in the catalogue; a volatile one
// (evaluated per row) still rewrites every row under an ACCESS EXCLUSIVE lock.
import type { Node } from '@pgsql/types'
import { calledFunctions, nodeAs, visit } from '../sql/ast.js'
import type { Volatility } from './schema.js'

/** Functions Postgres marks STABLE or IMMUTABLE that show up in column defaults. */
const NON_VOLATILE = new Set([
  'now', 'current_timestamp', 'current_date', 'current_time', 'localtimestamp', 'localtime',
  'transaction_timestamp', 'statement_timestamp', 'current_user', 'session_user', 'current_schema',
  'lower', 'upper', 'coalesce', 'nullif', 'greatest', 'least', 'concat', 'length', 'trim',
  'to_jsonb', 'to_json', 'jsonb_build_object', 'json_build_object', 'jsonb_build_array', 'json_build_array',
  'array', 'make_interval', 'make_date', 'make_timestamp', 'make_timestamptz', 'to_timestamp', 'to_date',
  'timezone', 'date_trunc', 'abs', 'round', 'floor', 'ceil', 'int4', 'int8', 'text', 'numeric',
])

/**
 * A default is volatile when it calls a function not known to be stable or immutable. Postgres
 * creates functions VOLATILE unless told otherwise, so an unknown function counts as volatile.
 * `declared` tells how the migrations declared a function they created (Schema.functionVolatility).
 */
export function isVolatileExpr(expr: Node | undefined, declared?: (name: string) => Volatility | undefined): boolean {
  if (!expr) return false
  for (const name of calledFunctions(expr)) {
    if (NON_VOLATILE.has(name)) continue
    const volatility = declared?.(name)
    if (!volatility || volatility === 'volatile') return true
  }
  let subquery = false
  visit(expr, n => {
    if (nodeAs(n, 'SubLink')) subquery = true
  })
  return subquery
}

/** serial types are a volatile default in disguise: nextval() per row. */
export function isSerialType(typeName: string): boolean {
  return /^(small|big)?serial[248]?$/.test(typeName)
}
