// ESLint-style table tests for rules (STYLE.md): valid cases yield nothing from the rule, invalid cases
// yield exactly the listed findings, by message id and location.
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSqlMigration } from '../src/discover/build.js'
import { dbmateSections } from '../src/discover/layouts.js'
import { lintMigrations } from '../src/engine/lint.js'
import type { Rule, RuleConfig } from '../src/engine/rule.js'
import { applySuppressions } from '../src/engine/suppressions.js'
import type { Finding, Migration } from '../src/model.js'
import { loadParser } from '../src/parse/sql.js'
import { allRules } from '../rules/index.js'

export interface Case {
  name?: string
  /** The migration under test. With `-- migrate:up` / `-- migrate:down` markers it gets a down. */
  sql: string
  /** Shipped before the release (its tables exist, with data). */
  setup?: string
  /** Runs before `sql` in the same release. */
  earlierInRelease?: string
  config?: Partial<RuleConfig>
  /** The runner wraps the migration in a transaction (dbmate, diesel, Kysely do). */
  inTransaction?: boolean
  /** Severity overrides, as in config `rules`. */
  severities?: Record<string, 'error' | 'warning' | 'info'>
}

export interface ExpectedFinding {
  messageId: string
  line: number
  column: number
  endLine?: number
  endColumn?: number
}

export interface InvalidCase extends Case {
  findings: ExpectedFinding[]
}

export const TEST_FILE = 'migrations/002_test.sql'

export function migrationFromText(id: string, text: string, order: number, inTransaction = false): Migration {
  if (/^--\s*migrate:up/m.test(text)) {
    const sections = dbmateSections(text)
    return buildSqlMigration({
      id,
      layout: 'dbmate',
      order,
      up: { path: id, text, inTransaction: inTransaction || sections.up.transaction, range: sections.up.range },
      down: sections.down ? { path: id, text, inTransaction, range: sections.down.range } : null,
    })
  }
  return buildSqlMigration({ id, layout: 'sql', order, up: { path: id, text, inTransaction }, down: null })
}

/** Lints the case with the given rules (all of them by default) and returns every finding. */
export function lintCase(c: Case, rules: readonly Rule[] = allRules): Finding[] {
  const migrations: Migration[] = []
  if (c.setup) migrations.push({ ...migrationFromText('migrations/000_setup.sql', c.setup, 0), inRelease: false })
  if (c.earlierInRelease) migrations.push(migrationFromText('migrations/001_earlier.sql', c.earlierInRelease, 1))
  const target = migrationFromText(TEST_FILE, c.sql, 2, c.inTransaction ?? false)
  migrations.push(target)
  const { findings } = lintMigrations(migrations, {
    rules,
    severities: c.severities,
    config: { postgresVersion: 15, tables: {}, ...c.config },
    mode: 'release',
  })
  return applySuppressions(findings, target.sources, new Set(allRules.map(r => r.id)))
}

export function runRule(rule: Rule, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  beforeAll(() => loadParser())
  describe(rule.id, () => {
    cases.valid.forEach((c, i) => {
      it(`valid ${i + 1}: ${c.name ?? c.sql.split('\n')[0]}`, () => {
        const found = lintCase(c, [rule]).filter(f => f.ruleId === rule.id && !f.suppressed)
        expect(found.map(f => `${f.line}:${f.column} ${f.message}`)).toEqual([])
      })
    })
    cases.invalid.forEach((c, i) => {
      if (!c.findings.length) throw new Error(`invalid case ${i + 1} of ${rule.id} lists no findings`)
      it(`invalid ${i + 1}: ${c.name ?? c.sql.split('\n')[0]}`, () => {
        const found = lintCase(c, [rule]).filter(f => f.ruleId === rule.id && !f.suppressed)
        const actual = found.map((f, j) => {
          const want = c.findings[j] ?? c.findings[0]
          return {
            messageId: f.messageId,
            line: f.line,
            column: f.column,
            ...(want.endLine !== undefined ? { endLine: f.endLine } : {}),
            ...(want.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
          }
        })
        expect(actual).toEqual(c.findings)
        for (const f of found) {
          expect(f.file).toBe(TEST_FILE)
          expect(f.message).not.toMatch(/\{\{/)
          expect(rule.messages).toHaveProperty(f.messageId!)
        }
      })
    })
  })
}
