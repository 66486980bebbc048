// Every reporter starts here: the outcome with each string a migration's author or the user controls
// passed through displayText (src/util/display-text.ts), so no reporter has to remember a field.
import type { Finding, Release } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayText } from '../util/display-text.js'

export interface DisplayOptions {
  /**
   * Keep file paths exact: JSON and SARIF carry them as data (JSON-escaped, or percent-encoded in a
   * URI) for tools that open the file; their human-readable texts are escaped all the same.
   */
  exactPaths?: boolean
}

export function displayed<T extends LintOutcome>(outcome: T, options: DisplayOptions = {}): T {
  const finding = displayedFinding(options)
  const path = options.exactPaths ? (s: string) => s : displayText
  const release = (r: Release): Release => ({
    ...r,
    base: r.base === null ? null : displayText(r.base),
    head: displayText(r.head),
    migrations: r.migrations.map(m => ({ ...m, id: path(m.id), file: path(m.file) })),
    blocking: r.blocking.map(finding),
    unproven: r.unproven.map(u => ({ ...u, reason: displayText(u.reason), file: path(u.file) })),
  })
  return {
    ...outcome,
    findings: outcome.findings.map(finding),
    release: outcome.release ? release(outcome.release) : null,
    notes: outcome.notes.map(displayText),
  }
}

/** One finding as every report shows it: a reporter that writes findings one by one (JSON) needs no copy of them all. */
export function displayedFinding(options: DisplayOptions = {}): (f: Finding) => Finding {
  const path = options.exactPaths ? (s: string) => s : displayText
  return f => ({
    ...f,
    file: path(f.file),
    message: displayText(f.message),
    // A safe alternative may be several lines of SQL or code: its line breaks stay (each line escaped),
    // so a reporter can lay them out; text indents them under the label.
    help: f.help.split('\n').map(displayText).join('\n'),
    ...(f.migrationId !== undefined ? { migrationId: path(f.migrationId) } : {}),
    ...(f.suppressed ? { suppressed: { reason: displayText(f.suppressed.reason) } } : {}),
  })
}
