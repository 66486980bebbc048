// Which columns a CHECK constraint proves non-null. Postgres (12+) skips the full-table scan of
// SET NOT NULL when a valid CHECK implies the column is not null; checked on Postgres 18: `c IS NOT NULL`,
// `NOT (c IS NULL)` and an AND holding either prove it, while `c > 0` or an OR do not.
import type { Node } from '@pgsql/types'
import { nodeAs, strings } from './ast.js'
import { alterTableCommands } from './statements.js'

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

/** A command that makes a column NOT NULL, as messages name it. */
export interface NotNullCommand {
  table: string
  column: string
  /** `SET NOT NULL`, `ADD CONSTRAINT users_email_nn NOT NULL`, `ADD NOT NULL … NOT VALID` */
  what: string
  /**
   * Postgres 18's NOT VALID: no scan of the rows already there, but the column is NOT NULL for every
   * write from then on (checked on PGlite 18: attnotnull is set, INSERT of NULL fails).
   */
  notValid: boolean
}

/**
 * ALTER COLUMN c SET NOT NULL, and Postgres 18's table constraint ADD [CONSTRAINT name] NOT NULL c
 * [NOT VALID] (a Constraint CONSTR_NOTNULL with keys), which sets the same requirement.
 */
export function notNullCommands(ast: Node | null): NotNullCommand[] {
  return alterTableCommands(ast).flatMap(({ table, cmd }): NotNullCommand[] => {
    if (cmd.subtype === 'AT_SetNotNull') return cmd.name ? [{ table, column: cmd.name, what: 'SET NOT NULL', notValid: false }] : []
    const c = cmd.subtype === 'AT_AddConstraint' ? nodeAs(cmd.def, 'Constraint') : undefined
    if (c?.contype !== 'CONSTR_NOTNULL') return []
    const what = `ADD ${c.conname ? `CONSTRAINT ${c.conname} ` : ''}NOT NULL${c.skip_validation ? ' … NOT VALID' : ''}`
    return strings(c.keys).map(column => ({ table, column, what, notValid: Boolean(c.skip_validation) }))
  })
}
