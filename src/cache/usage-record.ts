// One app file's usage scan as cache JSON. A release scan is read back at every run of --since, and
// most of it is locations naming the file they are in: the record names the file once and each usage
// is a row (a quarter of the size, and of the time to parse it back).
import type { FileUsage } from '../usage/scan-file.js'
import type { InsertStatement, Unresolved, Usage, UsageKind } from '../usage/usage.js'

type UsageRow = [table: string, column: string, kind: UsageKind, line: number, column: number, nonNullLiteral?: 1]
type InsertRow = [table: string, columns: string[], columnsKnown: boolean, line: number, column: number]
type UnresolvedRow = [line: number, column: number, reason: string, anyTable?: 0 | 1, table?: string]

/** Compact when every location is in the file itself (as scanFile gives them), else as it is. */
export type FileUsageRecord = { u: UsageRow[]; i: InsertRow[]; x: UnresolvedRow[] } | { whole: FileUsage }

export function fileUsageToRecord(file: string, found: FileUsage): FileUsageRecord {
  const here = [...found.usages.map(u => u.loc.file), ...found.inserts.map(i => i.loc.file), ...found.unresolved.map(x => x.file)]
  if (here.some(f => f !== file)) return { whole: found }
  return {
    u: found.usages.map((u): UsageRow => (u.nonNullLiteral ? [u.table, u.column, u.kind, u.loc.line, u.loc.column, 1] : [u.table, u.column, u.kind, u.loc.line, u.loc.column])),
    i: found.inserts.map(i => [i.table, i.columns, i.columnsKnown, i.loc.line, i.loc.column]),
    x: found.unresolved.map((x): UnresolvedRow => {
      if (x.table !== undefined) return [x.line, x.column, x.reason, x.anyTable ? 1 : 0, x.table]
      return x.anyTable ? [x.line, x.column, x.reason, 1] : [x.line, x.column, x.reason]
    }),
  }
}

export function fileUsageFromRecord(file: string, record: FileUsageRecord): FileUsage {
  if ('whole' in record) return record.whole
  return {
    usages: record.u.map(([table, column, kind, line, col, literal]): Usage => ({ table, column, kind, loc: { file, line, column: col }, ...(literal ? { nonNullLiteral: true as const } : {}) })),
    inserts: record.i.map(([table, columns, columnsKnown, line, col]): InsertStatement => ({ table, columns, columnsKnown, loc: { file, line, column: col } })),
    unresolved: record.x.map(([line, column, reason, anyTable, table]): Unresolved => ({
      file,
      line,
      column,
      reason,
      ...(anyTable ? { anyTable: true } : {}),
      ...(table !== undefined ? { table } : {}),
    })),
  }
}
