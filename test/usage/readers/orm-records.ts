// The records the mapping readers (TypeORM, Sequelize) give, written as text lines that a test can list
// exactly: what a table's mapping reads and writes, where.
import { scanUsage, type UsageKind, type UsageScan } from '../../../src/usage/index.js'
import { at } from '../helpers.js'

/** A code tree: path → text. */
export type Tree = Record<string, string>
/** `[file, needle, column, kinds?]`: the records of `column` (`''` for the table) at `needle` in `file`. */
export type Row = [file: string, needle: string, column: string, kinds?: UsageKind[]]

export function scanTree(tree: Tree): UsageScan {
  return scanUsage(Object.entries(tree).map(([path, text]) => ({ path, text })))
}

/** The usages of `table` as `column kind file:line:column` (`(table)` for the table itself), sorted. */
export function recordsOf(found: UsageScan, table: string): string[] {
  return found.usages.filter(u => u.table === table).map(u => `${u.column || '(table)'} ${u.kind} ${u.loc.file}:${u.loc.line}:${u.loc.column}`).sort()
}

/** Rows as recordsOf writes them: a column read and written, the table read, unless the row says. */
export function expectedRecords(tree: Tree, rows: readonly Row[]): string[] {
  return rows
    .flatMap(([file, needle, column, kinds]) => {
      const { line, column: col } = at(tree[file], needle)
      return (kinds ?? (column ? ['select', 'insert'] : ['select'])).map(kind => `${column || '(table)'} ${kind} ${file}:${line}:${col}`)
    })
    .sort()
}

/** `file:line:column table-or-(any table) reason` for each unresolved query. */
export function unresolvedOf(found: UsageScan): string[] {
  return found.unresolved.map(u => `${u.file}:${u.line}:${u.column} ${u.table ?? (u.anyTable ? '(any table)' : '?')} ${u.reason}`)
}
