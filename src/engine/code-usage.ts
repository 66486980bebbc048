// How rules talk about the application code: which places still use a table or column, in words.
import { describeUsage, usagesOf } from '../usage/usage-query.js'
import type { CodeUsage } from './rule.js'
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

/**
 * What the code says of a table, or one of its columns, that a change takes away from the previous
 * release, in the order that decides a finding: no code was scanned; the previous release uses it
 * (where); this release's code does; neither names it. `absent`: the model knows the object is not
 * there (DROP … IF EXISTS of a missing one): unless code uses it, nothing is taken away.
 */
export type TakenUse =
  | { found: 'no-scan' }
  | { found: 'base'; base: string; where: string }
  | { found: 'head'; where: string }
  | { found: 'none'; base: string }

export function takenUse(code: CodeUsage | null, table: string, column?: string, absent = false): TakenUse {
  if (!code) return absent ? { found: 'none', base: 'the previous release' } : { found: 'no-scan' }
  const base = usagesOf(code.base, table, column)
  if (base.length) return { found: 'base', base: code.baseLabel, where: describeUses(base) }
  const head = usagesOf(code.head, table, column)
  if (head.length) return { found: 'head', where: describeUses(head) }
  return { found: 'none', base: code.baseLabel }
}

/** A rule's message for each case of TakenUse (null: nothing to report). */
export type TakenUseMessages = Record<TakenUse['found'], string | null>

/** The drop rules' messages: a drop neither release's code names is no finding of theirs. */
export const DROP_MESSAGES: TakenUseMessages = { 'no-scan': 'unverified', base: 'stillRead', head: 'headStillReads', none: null }
/** The rename rules' messages: a rename says what is known even when the code read never names the old name. */
export const RENAME_MESSAGES: TakenUseMessages = { 'no-scan': 'renamed', base: 'stillRead', head: 'headStillReads', none: 'notNamed' }

/** The message for what the code says, with `data` and the case's `base` and `where`; null when there is none. */
export function takenUseReport(
  use: TakenUse,
  messages: TakenUseMessages,
  data: Record<string, string>,
): { messageId: string; data: Record<string, string> } | null {
  const messageId = messages[use.found]
  if (messageId === null) return null
  const { found: _, ...known } = use
  return { messageId, data: { ...data, ...known } }
}
