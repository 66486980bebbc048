// A run's findings as cache JSON. The findings of an unchanged folder are read back at every warm run
// (22,000 at 10,000 migrations: 12 MB as objects, most of it the same rule ids, files and advice over
// and over): the record holds each such string once and a finding is a row, and a warm run parses a
// third of the text into a tenth of the objects.
import type { Category, Finding, Severity } from '../model.js'

/**
 * Strings by number: rule id, message id, severity, category, file, help, migration id. -1 where the
 * finding has none (endLine, endColumn, messageId, migrationId are optional).
 */
export type FindingRow = [
  rule: number,
  messageId: number,
  severity: number,
  category: number,
  file: number,
  line: number,
  column: number,
  endLine: number,
  endColumn: number,
  message: string,
  help: number,
  migrationId: number,
  suppressed?: string,
]

export interface FindingsRecord {
  strings: string[]
  rows: FindingRow[]
}

export function findingsToRecord(findings: readonly Finding[]): FindingsRecord {
  const strings: string[] = []
  const numbers = new Map<string, number>()
  const number = (s: string | undefined) => {
    if (s === undefined) return -1
    let n = numbers.get(s)
    if (n === undefined) numbers.set(s, (n = strings.push(s) - 1))
    return n
  }
  const rows = findings.map((f): FindingRow => {
    const row: FindingRow = [
      number(f.ruleId),
      number(f.messageId),
      number(f.severity),
      number(f.category),
      number(f.file),
      f.line,
      f.column,
      f.endLine ?? -1,
      f.endColumn ?? -1,
      f.message,
      number(f.help),
      number(f.migrationId),
    ]
    if (f.suppressed) row.push(f.suppressed.reason)
    return row
  })
  return { strings, rows }
}

/** The findings as the lint gave them: the same fields, in the same order, none that were absent. */
export function findingsFromRecord(record: FindingsRecord): Finding[] {
  const { strings } = record
  return record.rows.map(([rule, messageId, severity, category, file, line, column, endLine, endColumn, message, help, migrationId, suppressed]) => {
    // In the order the rule engine writes them (engine/lint.ts toFinding).
    const finding: Finding = { ruleId: strings[rule] } as Finding
    if (messageId >= 0) finding.messageId = strings[messageId]
    finding.severity = strings[severity] as Severity
    finding.category = strings[category] as Category
    finding.file = strings[file]
    finding.line = line
    finding.column = column
    if (endLine >= 0) finding.endLine = endLine
    if (endColumn >= 0) finding.endColumn = endColumn
    finding.message = message
    finding.help = strings[help]
    if (migrationId >= 0) finding.migrationId = strings[migrationId]
    if (suppressed !== undefined) finding.suppressed = { reason: suppressed }
    return finding
  })
}
