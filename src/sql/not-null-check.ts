// Which columns a CHECK constraint proves non-null. Postgres (12+) skips the full-table scan of
// SET NOT NULL when a valid CHECK implies the column is not null; checked on Postgres 18: `c IS NOT NULL`,
// `NOT (c IS NULL)` and an AND holding either prove it, while `c > 0` or an OR do not.
import type { Node } from '@pgsql/types'
import { nodeAs, strings } from './ast.js'

export function notNullColumnsOf(expr: Node | undefined): string[] {
  const and = nodeAs(expr, 'BoolExpr')
  if (and?.boolop === 'AND_EXPR') return (and.args ?? []).flatMap(notNullColumnsOf)
  if (and?.boolop === 'NOT_EXPR') {
    const test = nodeAs(and.args?.[0], 'NullTest')
    return test?.nulltesttype === 'IS_NULL' ? testedColumn(test.arg) : []
  }
  const test = nodeAs(expr, 'NullTest')
  return test?.nulltesttype === 'IS_NOT_NULL' ? testedColumn(test.arg) : []
}

function testedColumn(arg: Node | undefined): string[] {
  const name = strings(nodeAs(arg, 'ColumnRef')?.fields).pop()
  return name ? [name] : []
}
