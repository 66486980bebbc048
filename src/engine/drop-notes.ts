// drop-column-data-loss is a note on the drops the revert-safety rules let through (DESIGN §6: "a note
// on every allowed drop"). A drop they block (no code scan proves the old code stopped using the
// column, the code still uses it, or it may in code no reader understands) already has its finding,
// which stands for the drop; the note would be a second finding on it. Judged after suppressions: a
// drop whose blocking finding the team suppressed, having checked the code by hand, is allowed and
// keeps its note.
import type { Finding } from '../model.js'

const NOTE = 'drop-column-data-loss'
const BLOCKING: ReadonlySet<string> = new Set(['drop-column-still-read', 'unproven-change'])

/** `subjects`: Report.subject of the findings that gave one (LintResult.subjects). */
export function withoutNotesOnBlockedDrops(findings: Finding[], subjects: ReadonlyMap<Finding, string>): Finding[] {
  const key = (f: Finding) => `${f.file}\0${f.line}\0${f.column}\0${subjects.get(f)}`
  const blocked = new Set(findings.filter(f => !f.suppressed && BLOCKING.has(f.ruleId) && subjects.has(f)).map(key))
  if (!blocked.size) return findings
  return findings.filter(f => f.ruleId !== NOTE || !subjects.has(f) || !blocked.has(key(f)))
}
