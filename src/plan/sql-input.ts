// SQL the user types into `plan` (a type, a --fill value) goes into migration files: it is read with
// the real Postgres grammar first, and anything but one type or one expression is refused. The parser
// must be loaded (loadParser), as it is once the project's migrations were read.
import type { Node } from '@pgsql/types'
import { parseSync } from '../parse/pg-parser.js'
import { nodeAs, typeInfo, type TypeInfo } from '../sql/ast.js'
import { UsageError } from '../util/errors.js'

/** `numeric(12,2)` → its TypeInfo (`numeric(12,2)`), `integer` → `int4`; else a UsageError. */
export function typeFromInput(text: string): TypeInfo {
  const target = onlyTarget(`SELECT NULL::${text}`, text, 'a type such as bigint or numeric(12,2)')
  const cast = nodeAs(target, 'TypeCast')
  if (!cast?.typeName || !nodeAs(cast.arg, 'A_Const')) throw new UsageError(`"${text}" is not a type such as bigint or numeric(12,2).`)
  return typeInfo(cast.typeName)
}

/** One SQL expression (`'unknown'`, `now()`, `0`), checked for being exactly that. */
export function expressionFromInput(text: string): string {
  onlyTarget(`SELECT ${text}`, text, "one SQL expression such as 'unknown' or 0")
  return text
}

function onlyTarget(sql: string, text: string, what: string): Node | undefined {
  let stmts
  try {
    stmts = parseSync(sql).stmts ?? []
  } catch {
    throw new UsageError(`"${text}" is not ${what}.`)
  }
  const select = stmts.length === 1 ? nodeAs(stmts[0].stmt, 'SelectStmt') : undefined
  const targets = select?.targetList ?? []
  const plain = select && !select.fromClause && !select.whereClause && !select.groupClause && !select.sortClause && !select.limitCount
  if (!plain || targets.length !== 1 || nodeAs(targets[0], 'ResTarget')?.name) throw new UsageError(`"${text}" is not ${what}.`)
  return nodeAs(targets[0], 'ResTarget')?.val
}
