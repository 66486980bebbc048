// One line per finding, as gcc, clang and squawk print them: `file:line:column: severity: message [rule-id]`.
// Editors (Vim's quickfix, Emacs' compilation mode) and CI problem matchers read it as compiler output.
import type { Severity } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayed } from './displayed.js'
import { shownFindings } from './plain-text.js'

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' }

export function formatGcc(raw: LintOutcome, { quiet }: { quiet: boolean }): string {
  // displayed() escapes line breaks in paths and messages: a finding stays one line.
  const outcome = displayed(raw)
  return shownFindings(outcome, quiet)
    .map(f => `${f.file}:${f.line}:${f.column}: ${LEVEL[f.severity]}: ${f.message} [${f.ruleId}]\n`)
    .join('')
}
