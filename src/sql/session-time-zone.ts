// Whether a migration has set its session's time zone to UTC before a statement. Postgres 12+ turns
// timestamp into timestamptz (and back) without rewriting the table when the session's zone has a fixed
// zero offset from UTC; checked on Postgres 18 with relfilenode: 'UTC', 'Etc/UTC', 'GMT', 'UTC0', 'Zulu',
// SET TIME ZONE 0 and INTERVAL '+00:00' do, 'Europe/London' and 'Africa/Abidjan' (offset 0 only some
// of the time, or not always) do not.
import type { Node } from '@pgsql/types'
import type { Statement } from '../model.js'
import { nodeAs } from './ast.js'

const UTC_NAMES = /^(etc\/)?(utc|uct|gmt|greenwich|universal|zulu)([+-]?0)?$/i
const ZERO_OFFSET = /^[+-]?0+(:0+)*$/

/** The zone the last SET TIME ZONE / SET timezone among `before` leaves; RESET and DEFAULT leave the server's, which is not known. */
export function sessionTimeZoneIsUtc(before: readonly Statement[]): boolean {
  let utc = false
  for (const statement of before) {
    const set = nodeAs(statement.ast, 'VariableSetStmt')
    if (!set) continue
    if (set.kind === 'VAR_RESET_ALL') utc = false
    else if (set.name?.toLowerCase() === 'timezone') utc = set.kind === 'VAR_SET_VALUE' && isUtc(set.args?.[0])
  }
  return utc
}

function isUtc(value: Node | undefined): boolean {
  const cast = nodeAs(value, 'TypeCast')
  const constant = nodeAs(cast ? cast.arg : value, 'A_Const')
  if (!constant || constant.isnull) return false
  if (constant.ival) return (constant.ival.ival ?? 0) === 0
  const text = constant.sval?.sval
  if (text === undefined) return false
  return cast ? ZERO_OFFSET.test(text.trim()) : UTC_NAMES.test(text.trim())
}
