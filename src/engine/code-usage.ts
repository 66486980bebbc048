// How rules talk about the application code: which places still use a table or column, in words.
import { describeUsage } from '../usage/usage-query.js'
import type { InsertStatement, Usage } from '../usage/usage.js'

/** `src/users/repo.ts:42 selects users.email` (and how many more places). */
export function describeUses(uses: readonly Usage[]): string {
  const [first] = uses
  if (!first) return ''
  const more = uses.length > 1 ? ` and ${uses.length - 1} more place${uses.length > 2 ? 's' : ''}` : ''
  return `${describeUsage(first)}${more}`
}

/** `src/signup.ts:12 inserts into users without status` (and how many more). */
export function describeInserts(inserts: readonly InsertStatement[]): string {
  const [first] = inserts
  if (!first) return ''
  const more = inserts.length > 1 ? ` and ${inserts.length - 1} more` : ''
  return `${first.loc.file}:${first.loc.line} inserts into ${first.table} (${first.columns.join(', ')})${more}`
}
