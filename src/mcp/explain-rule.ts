// The explain_rule tool: `migrate-lint explain <id>` (src/report/rule-docs.ts) as text, and its parts
// as fields. An unknown id is a tool error that names the nearest ids, for the agent to call again.
import * as z from 'zod'
import { rulesById } from '../../rules/index.js'
import { OPT_IN_CATEGORIES } from '../config.js'
import { explainRule as explainText, ruleDoc } from '../report/rule-docs.js'
import { nearest } from '../util/closest.js'
import { UsageError } from '../util/errors.js'
import { toolResult } from './tool-result.js'

export const explainRuleInput = {
  ruleId: z.string().min(1).describe('a rule id as findings give it, e.g. drop-column-still-read'),
}

export const explainRuleOutput = {
  ruleId: z.string(),
  category: z.string(),
  severity: z.enum(['error', 'warning', 'info']).describe('the severity its findings have when the rule is on'),
  onByDefault: z.boolean().describe('false for a style rule the config must switch on'),
  summary: z.string(),
  why: z.string().describe('what goes wrong in production'),
  given: z.string().optional().describe('an earlier release the examples build on'),
  bad: z.string().describe('a migration that yields the rule'),
  good: z.string().describe('the same intent written safely'),
  safeAlternative: z.string(),
  disable: z.string().describe('the comment that suppresses it on one statement, with a reason'),
}

export function explainRule(args: { ruleId: string }) {
  const rule = rulesById.get(args.ruleId)
  if (!rule) {
    const ids = nearest(args.ruleId, [...rulesById.keys()], 3)
    throw new UsageError(`unknown rule "${args.ruleId}"; the closest ids: ${ids.join(', ')}.`)
  }
  const { docs } = rule
  return toolResult(explainText(rule.id), {
    ruleId: rule.id,
    category: rule.category,
    severity: rule.severity,
    onByDefault: !OPT_IN_CATEGORIES.has(rule.category),
    summary: rule.summary,
    why: docs.why,
    ...(docs.setup ? { given: docs.setup } : {}),
    bad: docs.bad,
    good: docs.good,
    safeAlternative: docs.fix,
    disable: ruleDoc(rule).disable,
  })
}
