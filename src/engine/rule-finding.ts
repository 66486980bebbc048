// Findings raised outside the rule engine (by discovery, the release window, verify): the same shape
// the engine gives, from the registered rule's metadata and message templates.
import type { Finding, Location } from '../model.js'
import { findingLevel, renderMessage } from './rule.js'
import { rulesById } from '../../rules/index.js'

export type FindingAt = Pick<Location, 'file' | 'line' | 'column'> & Partial<Pick<Location, 'endLine' | 'endColumn'>>

export function ruleFinding(
  ruleId: string,
  messageId: string,
  data: Record<string, string | number>,
  at: FindingAt,
  migrationId?: string,
  /** Overrides docs.fix where this case needs other advice. */
  help?: string,
): Finding {
  const rule = rulesById.get(ruleId)
  if (!rule) throw new Error(`rule ${ruleId} is not registered in rules/index.ts`)
  const template = rule.messages[messageId]
  if (template === undefined) throw new Error(`rule ${ruleId} has no message ${messageId}`)
  return {
    ruleId,
    messageId,
    ...findingLevel(rule, messageId),
    file: at.file,
    line: at.line,
    column: at.column,
    ...(at.endLine !== undefined ? { endLine: at.endLine, endColumn: at.endColumn } : {}),
    message: renderMessage(template, data),
    help: help ?? rule.docs.fix,
    ...(migrationId !== undefined ? { migrationId } : {}),
  }
}
