// ESLint-style table tests for rules (STYLE.md): valid cases yield nothing from the rule, invalid cases
// yield exactly the listed findings, by message id and location.
import { beforeAll, describe, expect, it } from 'vitest'
import { buildSqlMigration } from '../src/discover/build.js'
import { dbmateSections } from '../src/discover/layouts.js'
import { lintMigrations } from '../src/engine/lint.js'
import type { CodeUsage, Rule, RuleConfig, UseQuery } from '../src/engine/rule.js'
import type { InsertStatement, Usage, UsageKind, UsageScan } from '../src/usage/usage.js'
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
  /** Runs after `sql` in the same release (the schema the release leaves). */
  laterInRelease?: string
  config?: Partial<RuleConfig>
  /** The runner wraps the migration in a transaction (dbmate, diesel, Kysely do). */
  inTransaction?: boolean
  /** Severity overrides, as in config `rules`. */
  severities?: Record<string, 'error' | 'warning' | 'info'>
  /** What the previous release's code uses; with neither this nor headUsage, no code scan is known. */
  baseUsage?: UsageFixture[]
  headUsage?: UsageFixture[]
  /** INSERTs of the previous release's code, with the columns they set (null: unknown). */
  baseInserts?: { table: string; columns: string[] | null; at: string }[]
  /** Places the previous release may use a table, column or enum label that no reader established (`users.email`, `users`, `'sad'`). */
  unestablished?: { name: string; at: string; why: string }[]
}

export interface UsageFixture {
  table: string
  column: string
  kind: UsageKind
  /** `src/users.ts:42` */
  at: string
  /** The write's value is a literal other than NULL in every row (Usage.nonNullLiteral). */
  nonNullLiteral?: true
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
  if (c.laterInRelease) migrations.push(migrationFromText('migrations/003_later.sql', c.laterInRelease, 3))
  const { findings } = lintMigrations(migrations, {
    rules,
    severities: c.severities,
    config: { postgresVersion: 15, tables: {}, ...c.config },
    mode: 'release',
    code: codeOf(c),
  })
  return applySuppressions(findings, target.sources, new Set(allRules.map(r => r.id)))
}

function codeOf(c: Case): CodeUsage | null {
  if (!c.baseUsage && !c.headUsage && !c.baseInserts && !c.unestablished) return null
  const loc = (at: string) => ({ file: at.split(':')[0], line: Number(at.split(':')[1] ?? 1), column: 1 })
  const usages = (list: UsageFixture[] = []): Usage[] =>
    list.map(u => ({ table: u.table, column: u.column, kind: u.kind, loc: loc(u.at), ...(u.nonNullLiteral ? { nonNullLiteral: u.nonNullLiteral } : {}) }))
  const inserts: InsertStatement[] = (c.baseInserts ?? []).map(i => ({ table: i.table, columns: i.columns ?? [], columnsKnown: i.columns !== null, loc: loc(i.at) }))
  const scan = (list: Usage[], ins: InsertStatement[]): UsageScan => ({ usages: list, inserts: ins, unresolved: [], filesScanned: 1, filesParsed: 1 })
  const unestablished = (query: UseQuery) =>
    (c.unestablished ?? [])
      .filter(u => u.name === ('label' in query ? `'${query.label}'` : query.column === undefined ? query.table : `${query.table}.${query.column}`))
      .map(u => ({ ...loc(u.at), why: u.why }))
  return { baseLabel: 'v1.4', base: scan(usages(c.baseUsage), inserts), head: scan(usages(c.headUsage), []), unestablished }
}

export function runRule(rule: Rule, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  beforeAll(() => loadParser())
  describe(rule.id, () => {
    cases.valid.forEach((c, i) => {
      it(`valid ${i + 1}: ${c.name ?? c.sql.split('\n')[0]}`, () => {
        const found = lintCase(c, [rule]).filter(f => f.ruleId === rule.id && !f.suppressed && f.file === TEST_FILE)
        expect(found.map(f => `${f.line}:${f.column} ${f.message}`)).toEqual([])
      })
    })
    cases.invalid.forEach((c, i) => {
      if (!c.findings.length) throw new Error(`invalid case ${i + 1} of ${rule.id} lists no findings`)
      it(`invalid ${i + 1}: ${c.name ?? c.sql.split('\n')[0]}`, () => {
        const found = lintCase(c, [rule]).filter(f => f.ruleId === rule.id && !f.suppressed && f.file === TEST_FILE)
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
