// `migrate-lint rules` and `migrate-lint explain <id>`: the rule docs, which are also tested examples.
import { allRules, rulesById } from '../../rules/index.js'
import type { Rule } from '../engine/rule.js'
import { OPT_IN_CATEGORIES } from '../config.js'
import { closest } from '../util/closest.js'
import { UsageError } from '../util/errors.js'

export function listRules(): string {
  const rows = allRules.map(r => [r.id, r.category, byDefault(r), r.summary])
  const widths = [0, 1, 2].map(i => Math.max(...rows.map(r => r[i].length), ['id', 'category', 'severity'][i].length))
  const line = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`
  return `${[line(['id', 'category', 'severity', 'flags']), ...rows.map(line)].join('\n')}\n\nmigrate-lint explain <id> shows why, a bad and a good example.\n`
}

export function explainRule(id: string): string {
  const rule = rulesById.get(id)
  if (!rule) {
    const guess = closest(id, [...rulesById.keys()])
    throw new UsageError(`unknown rule "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}. List them with \`migrate-lint rules\`.`)
  }
  const indent = (s: string) => s.split('\n').map(l => `    ${l}`).join('\n')
  return [
    OPT_IN_CATEGORIES.has(rule.category)
      ? `${rule.id}  (${rule.category}, off by default: "rules": { "${rule.id}": "${rule.severity}" } in the config switches it on)`
      : `${rule.id}  (${rule.category}, ${rule.severity} by default)`,
    '',
    rule.summary,
    '',
    'Why:',
    indent(rule.docs.why),
    '',
    ...(rule.docs.setup ? ['Given (an earlier release):', indent(rule.docs.setup), ''] : []),
    'Bad:',
    indent(rule.docs.bad),
    '',
    'Good:',
    indent(rule.docs.good),
    '',
    'Safe alternative:',
    indent(rule.docs.fix),
    '',
    `Disable on one statement: -- migrate-lint-disable-next-line ${rule.id} -- <reason>`,
    '',
  ].join('\n')
}

/** The README's rule table (kept in sync by `npm run docs`, checked by a test). */
export function rulesMarkdownTable(): string {
  const rows = allRules.map(r => `| \`${r.id}\` | ${r.category} | ${byDefault(r)} | ${r.summary.replace(/\|/g, '\\|')} |`)
  return ['| id | category | default | flags |', '|---|---|---|---|', ...rows].join('\n')
}

/** `warning`, or `off (warning)` for a rule of a category the config must switch on. */
function byDefault(rule: Rule): string {
  return OPT_IN_CATEGORIES.has(rule.category) ? `off (${rule.severity})` : rule.severity
}
