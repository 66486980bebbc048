// Which statements of a migration share a transaction: the rules about locks held until commit ask it.
import type { Statement } from '../model.js'
import { endsTransaction } from './table-locks.js'

/** The statements that share statement `i`'s transaction: an empty range around it when it has none. */
export function transactionAround(statements: readonly Statement[], i: number): { start: number; end: number } {
  if (!statements[i].inTransaction) return { start: i, end: i }
  let start = i
  while (start > 0 && statements[start - 1].inTransaction && !endsTransaction(statements[start - 1].ast)) start--
  let end = i
  while (end < statements.length - 1 && !endsTransaction(statements[end].ast) && statements[end + 1].inTransaction) end++
  return { start, end }
}
