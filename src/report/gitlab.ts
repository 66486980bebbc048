// GitLab code quality (`artifacts: reports: codequality`): the subset of the Code Climate issue format
// GitLab reads — description, check_name, fingerprint, severity, location.path, location.lines.begin.
// GitLab shows each issue in the merge request's widget and on its line of the diff, and compares
// fingerprints with the target branch's report to say which issues are new and which were fixed.
import { createHash } from 'node:crypto'
import type { Finding, Severity } from '../model.js'
import { isBlocking } from '../release/verdict.js'
import type { LintOutcome } from '../run.js'
import { displayed } from './displayed.js'
import { findingSources } from './finding-source.js'
import { helpLabel, shownFindings } from './plain-text.js'

type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker'

/** A finding that makes the release not revert-safe is critical; `blocker` is kept for a run that could not judge at all. */
const SEVERITY: Record<Severity, GitlabSeverity> = { error: 'major', warning: 'minor', info: 'info' }

export interface GitlabIssue {
  type: 'issue'
  check_name: string
  description: string
  content?: { body: string }
  fingerprint: string
  severity: GitlabSeverity
  location: { path: string; lines: { begin: number } }
}

export function formatGitlab(raw: LintOutcome): string {
  return `${JSON.stringify(toGitlabIssues(raw), null, 2)}\n`
}

export function toGitlabIssues(raw: LintOutcome): GitlabIssue[] {
  // Paths exact: GitLab matches them against the repository's files.
  const outcome = displayed(raw, { exactPaths: true })
  const source = findingSources(raw)
  const seen = new Map<string, number>()
  // Suppressed findings are left out: GitLab has no notion of a dismissed issue in the report.
  return shownFindings(outcome, false).map(f => {
    const key = contentKey(f, source(f)?.text)
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    return {
      type: 'issue',
      check_name: f.ruleId,
      description: f.message,
      ...(f.help ? { content: { body: `${helpLabel(f)}: ${f.help}` } } : {}),
      fingerprint: createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32),
      severity: isBlocking(f) ? 'critical' : SEVERITY[f.severity],
      location: { path: f.file, lines: { begin: f.line } },
    }
  })
}

/**
 * Stable across runs and across edits above the statement: the rule, the file and the statement's text
 * with its white space folded, never a line number. A finding outside any statement the lint read
 * falls back to its message. Equal keys in one report are told apart by their order.
 */
function contentKey(f: Finding, statement: string | undefined): string {
  const content = statement !== undefined ? statement.replace(/\s+/g, ' ').trim() : f.message
  return `${f.ruleId}\0${f.file}\0${createHash('sha256').update(content).digest('hex')}`
}

/** A run that stopped with an error: one blocker issue that says why, rather than a report GitLab reads as "no issues". */
export function formatGitlabError(message: string): string {
  const issue: GitlabIssue = {
    type: 'issue',
    check_name: 'migrate-lint',
    description: `migrate-lint could not run: ${message}`,
    fingerprint: createHash('sha256').update(`migrate-lint\0${message}`).digest('hex').slice(0, 32),
    severity: 'blocker',
    // No file is at fault; GitLab needs a path and a line all the same.
    location: { path: '.', lines: { begin: 1 } },
  }
  return `${JSON.stringify([issue], null, 2)}\n`
}
