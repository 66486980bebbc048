// drop-column-data-loss is a note on the drops the revert-safety rules let through (DESIGN §6: "a note
// on every allowed drop"). A drop they block (no code scan proves the old code stopped using the
// column, the code still uses it, or it may in code no reader understands) already has its finding,
// which stands for the drop; the note would be a second finding on it. Judged after suppressions: a
// drop whose blocking finding the team suppressed, having checked the code by hand, is allowed and
// keeps its note.
// Findings are also settled here against the schema their release leaves (findingsUndoneByRelease): a
// drop undone by a later migration of the release, a foreign key indexed by one.
import type { Finding } from '../model.js'
import type { Schema } from '../schema/schema.js'
import { renderMessage, type DroppedColumnState, type Report, type Rule } from './rule.js'

const NOTE = 'drop-column-data-loss'
const BLOCKING: ReadonlySet<string> = new Set(['drop-column-still-read', 'unproven-change'])

/** `subjects`: Report.subject of the findings that gave one (LintResult.subjects). */
export function withoutNotesOnBlockedDrops(findings: Finding[], subjects: ReadonlyMap<Finding, string>): Finding[] {
  const key = (f: Finding) => `${f.file}\0${f.line}\0${f.column}\0${subjects.get(f)}`
  const blocked = new Set(findings.filter(f => !f.suppressed && BLOCKING.has(f.ruleId) && subjects.has(f)).map(key))
  if (!blocked.size) return findings
  return findings.filter(f => f.ruleId !== NOTE || !subjects.has(f) || !blocked.has(key(f)))
}

/**
 * A finding to judge again against the schema the release leaves (Report.dropped, Report.holdsAtReleaseEnd).
 * A column dropped and added back in the same release (or with another column renamed into its name) is
 * there again when the release is done: the previous release's queries still find it. Same type: nothing of
 * theirs breaks (the data is gone: drop-column-data-loss says so), the finding goes. Another type: they
 * read and write values of the new one, and the finding says so instead (its `retyped` message).
 */
export interface FindingToSettle {
  finding: Finding
  rule: Rule
  report: Report
}

/** Whether the engine must keep the report's finding until the release is done. */
export function settledByRelease(report: Report): boolean {
  return report.dropped !== undefined || report.holdsAtReleaseEnd !== undefined
}

/** Settles `pending` against `schema` (the release's end): returns the findings that no longer hold; rewrites the retyped ones in place. */
export function findingsUndoneByRelease(pending: readonly FindingToSettle[], schema: Schema): Set<Finding> {
  const undone = new Set<Finding>()
  for (const { finding, rule, report } of pending) {
    if (report.holdsAtReleaseEnd && !report.holdsAtReleaseEnd(schema)) undone.add(finding)
    if (!report.dropped) continue
    const { table, column, type, retyped } = report.dropped
    const now = schema.column(table, column)
    if (!now || type === null) continue
    if (now.type.text === type || retyped === null) {
      undone.add(finding)
    } else {
      finding.messageId = retyped
      finding.message = renderMessage(rule.messages[retyped], { ...report.data, oldType: type, newType: now.type.text })
    }
  }
  return undone
}
