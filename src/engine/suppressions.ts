// Inline suppressions (DESIGN §9): `-- migrate-lint-disable-next-line <id>[, <id>] -- <reason>` in SQL,
// `// migrate-lint-disable-next-line <id> -- <reason>` in TypeScript. The directive applies to the next
// line that holds code, so it may sit above other comments.
import type { Finding, SourceFile } from '../model.js'
import { closest } from '../util/closest.js'

const DIRECTIVE = /^\s*(?:--|\/\/)\s*migrate-lint-disable-next-line\b(.*)$/
const COMMENT_OR_BLANK = /^\s*(?:(?:--|\/\/).*)?$/

interface Directive {
  file: string
  line: number
  column: number
  target: number
  ruleIds: string[]
  reason: string | null
  used: Set<string>
}

export function parseDirectives(source: SourceFile): Directive[] {
  const lines = source.text.split(/\r?\n/)
  const found: Directive[] = []
  lines.forEach((text, i) => {
    const match = DIRECTIVE.exec(text)
    if (!match) return
    const [ids, ...reasonParts] = match[1].split(/\s--\s?|\s--$/)
    const reason = reasonParts.join(' -- ').trim()
    let target = i + 1
    while (target < lines.length && COMMENT_OR_BLANK.test(lines[target])) target++
    found.push({
      file: source.path,
      line: i + 1,
      column: text.search(/--|\/\//) + 1,
      target: target + 1,
      ruleIds: ids.split(',').map(s => s.trim()).filter(Boolean),
      reason: reason || null,
      used: new Set(),
    })
  })
  return found
}

/**
 * Marks suppressed findings and adds findings about the directives themselves: a directive without
 * a reason, naming an unknown rule, or suppressing nothing. `notRun`: known rules this run did not
 * check (verify's, during lint): a directive for one of them is not unused.
 */
export function applySuppressions(
  findings: Finding[],
  sources: readonly SourceFile[],
  knownRuleIds: ReadonlySet<string>,
  notRun: ReadonlySet<string> = new Set(),
): Finding[] {
  const directives = sources.flatMap(parseDirectives)
  if (!directives.length) return findings
  const byTarget = new Map<string, Directive[]>()
  for (const d of directives) {
    const key = `${d.file}:${d.target}`
    byTarget.set(key, [...(byTarget.get(key) ?? []), d])
  }
  const out = findings.map(finding => {
    const directive = byTarget.get(`${finding.file}:${finding.line}`)?.find(d => d.ruleIds.includes(finding.ruleId))
    if (!directive) return finding
    directive.used.add(finding.ruleId)
    return { ...finding, suppressed: { reason: directive.reason ?? '' } }
  })
  for (const d of directives) out.push(...directiveFindings(d, knownRuleIds, notRun))
  return out
}

function directiveFindings(d: Directive, known: ReadonlySet<string>, notRun: ReadonlySet<string>): Finding[] {
  const at = { file: d.file, line: d.line, column: d.column }
  const findings: Finding[] = []
  if (!d.reason) {
    findings.push({
      ...at,
      ruleId: 'suppression-without-reason',
      messageId: 'noReason',
      severity: 'error',
      category: 'hygiene',
      message: `The suppression of ${d.ruleIds.join(', ') || 'no rule'} gives no reason.`,
      help: `Say why it is safe after a double dash: -- migrate-lint-disable-next-line ${d.ruleIds[0] ?? '<rule-id>'} -- <reason>`,
    })
  }
  if (!d.ruleIds.length) {
    findings.push({ ...at, ruleId: 'unused-suppression', messageId: 'unused', severity: 'warning', category: 'hygiene',
      message: 'The suppression names no rule.', help: 'Name the rule ids to disable, separated by commas.' })
  }
  for (const id of d.ruleIds) {
    if (d.used.has(id) || notRun.has(id)) continue
    const unknown = !known.has(id)
    const suggestion = unknown ? closest(id, [...known]) : null
    findings.push({
      ...at,
      ruleId: 'unused-suppression',
      messageId: 'unused',
      severity: 'warning',
      category: 'hygiene',
      message: unknown
        ? `The suppression names an unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`
        : `The suppression of ${id} suppressed nothing on line ${d.target}.`,
      help: unknown ? 'List the rules with `migrate-lint rules`.' : 'Remove the comment, or move it above the statement it is meant for.',
    })
  }
  return findings
}
