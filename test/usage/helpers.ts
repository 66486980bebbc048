// Small helpers for the usage tests: scan one file, and where a snippet sits in it (computed with
// plain string arithmetic, independently of the scanner's own line index).
import { scanUsage, type Usage, type UsageKind, type UsageScan } from '../../src/usage/index.js'

export const FILE = 'src/repo.ts'

export function scanOne(text: string, path = FILE): UsageScan {
  return scanUsage([{ path, text }])
}

/** 1-based line and UTF-16 column of the `nth` occurrence of `needle`. */
export function at(text: string, needle: string, nth = 1): { line: number; column: number } {
  let index = -1
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(needle, index + 1)
    if (index < 0) throw new Error(`${needle} (#${nth}) is not in the text`)
  }
  const before = text.slice(0, index).split('\n')
  return { line: before.length, column: before[before.length - 1].length + 1 }
}

/** The expected usage of `table.column` as `kind`, at the `nth` occurrence of `needle`. */
export function usage(text: string, table: string, column: string, kind: UsageKind, needle: string, nth = 1, file = FILE): Usage {
  return { table, column, kind, loc: { file, ...at(text, needle, nth) } }
}

/** `table.column kind` strings, for assertions about what is there and what is not. */
export function brief(scan: UsageScan): string[] {
  return scan.usages.map(u => `${u.table}.${u.column === '' ? '(table)' : u.column} ${u.kind}`)
}
