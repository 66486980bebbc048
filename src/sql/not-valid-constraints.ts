// Constraints added NOT VALID and validated later: the name Postgres gives an unnamed one, and whether a
// VALIDATE CONSTRAINT meets its ADD in the same transaction (whose lock is then still held).
import type { Constraint } from '@pgsql/types'
import type { Statement } from '../model.js'
import { strings } from './ast.js'
import { referencedColumns } from './expression-columns.js'
import { generatedName } from './lock-safe-ddl.js'
import { addedConstraints } from './statements.js'
import { transactionAround } from './transactions.js'

/** The name Postgres gives an unnamed FOREIGN KEY or CHECK constraint; `columnOf`: the column it is declared on, if any. */
export function defaultConstraintName(table: string, c: Constraint, columnOf: string[]): string {
  if (c.contype === 'CONSTR_FOREIGN') {
    const columns = strings(c.fk_attrs)
    return generatedName(table, columns.length ? columns : columnOf, 'fkey')
  }
  const referenced = referencedColumns(c.raw_expr)
  // Postgres names a check after its column only when it reads exactly one.
  return generatedName(table, referenced.length === 1 ? referenced : [], 'check')
}

export interface AddedNotValid {
  line: number
  constraint: Constraint
}

/** The ADD CONSTRAINT … NOT VALID of `name` on `table` earlier in the transaction of statement `index`. */
export function addedNotValidInTransaction(up: readonly Statement[], index: number, table: string, name: string): AddedNotValid | null {
  const { start } = transactionAround(up, index)
  for (let j = index - 1; j >= start; j--) {
    for (const added of addedConstraints(up[j].ast)) {
      const c = added.constraint
      if (added.table !== table || !c.skip_validation) continue
      if ((c.conname ?? defaultConstraintName(table, c, added.column ? [added.column] : [])) === name) return { line: up[j].loc.line, constraint: c }
    }
  }
  return null
}
