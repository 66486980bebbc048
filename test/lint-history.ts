// Lints a history of migrations whose ids matter to a rule (ory/kratos's <timestamp><part>_<name> files),
// which the rule tester's fixed file names cannot express: each is judged alone, as with no git history.
import type { Rule } from '../src/engine/rule.js'
import { lintMigrations } from '../src/engine/lint.js'
import { migrationFromText } from './rule-tester.js'

/** `<rule id> <message id> <file>:<line>` for each finding of `rule`, in order. */
export function lintHistory(rule: Rule, files: [id: string, text: string][]): string[] {
  const migrations = files.map(([id, text], order) => migrationFromText(id, text, order))
  const { findings } = lintMigrations(migrations, { rules: [rule], config: { postgresVersion: 15, tables: {} }, mode: 'per-migration' })
  return findings.map(f => `${f.ruleId} ${f.messageId} ${f.file}:${f.line}`)
}
