// Sentences every report shares (text, github, markdown): the verdict and the counts, without colour.
import type { Finding, Release } from '../model.js'
import { isBlocking } from '../release/verdict.js'
import type { LintOutcome } from '../run.js'

export function releaseRange(release: Release): string {
  return `${release.base ?? '(no base)'}..${release.head}`
}

/** `Release v1.4..HEAD: NOT revert-safe (2 blocking)` */
export function verdictText(release: Release): string {
  return `Release ${releaseRange(release)}: ${verdictWords(release)}`
}

/** `revert-safe`, `NOT revert-safe (2 blocking)`, `unproven (1 change could not be checked)`. */
export function verdictWords(release: Release): string {
  switch (release.verdict) {
    case 'revert-safe':
      return 'revert-safe'
    case 'not-revert-safe':
      return `NOT revert-safe (${release.blocking.length} blocking)`
    case 'unproven':
      return `unproven (${count(release.unproven.length, 'change')} could not be checked against the previous release's code)`
  }
}

/** `1 error, 2 warnings, 1 note (12 statements in 3 files; 1 suppressed)` over the findings shown. */
export function countsText(outcome: LintOutcome, shown: readonly Finding[]): string {
  const { summary } = outcome
  const suppressed = outcome.findings.filter(f => f.suppressed).length
  const notes = shown.filter(f => f.severity === 'info').length
  const scope = `${count(summary.statements, 'statement')} in ${count(summary.files, 'file')}`
  const extra = [summary.unparsed ? `${summary.unparsed} unparsed` : '', suppressed ? `${suppressed} suppressed` : ''].filter(Boolean)
  const counts = [count(summary.errors, 'error'), count(summary.warnings, 'warning'), ...(notes ? [count(notes, 'note')] : [])]
  return `${counts.join(', ')} (${scope}${extra.length ? `; ${extra.join(', ')}` : ''})`
}

/** What the help line is called: a blocking finding needs a plan over releases, others an alternative. */
export function helpLabel(f: Finding): string {
  return isBlocking(f) ? 'Safe plan' : 'Safe alternative'
}

/** The findings a report lists: never the suppressed ones; with --quiet, errors only. */
export function shownFindings(outcome: LintOutcome, quiet: boolean): Finding[] {
  return outcome.findings.filter(f => !f.suppressed && (!quiet || f.severity === 'error'))
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`
