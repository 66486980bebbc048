// Style rules (squawk's opinionated ones) are off until the config names them or their category; a
// squawk user's config keys map one to one.
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, ruleSetting, validate, type Config } from '../../src/config.js'
import { loadParser } from '../../src/parse/sql.js'
import { lintAll, settle } from '../../src/run.js'
import { allRules, rulesById } from '../../rules/index.js'
import { explainRule, listRules } from '../../src/report/rule-docs.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

const known = new Set(rulesById.keys())
const configOf = (rules: Record<string, unknown> | undefined): Config => (rules ? validate({ rules }, 'c.json', known) : { ...DEFAULT_CONFIG, file: null })

/** Rule ids (with severities) the config lets through, linting a migration that breaks every style rule. */
function styleFindings(rules?: Record<string, unknown>): string[] {
  const migration = migrationFromText(
    'migrations/001_t.sql',
    "CREATE TABLE posts (id serial PRIMARY KEY, title varchar(80), at timestamp, code char(2), seats smallint);\nALTER TYPE mood ADD VALUE 'meh';",
    1,
  )
  const config = configOf(rules)
  const findings = settle(lintAll([migration], config, 'per-migration', null), config, [migration])
  return [...new Set(findings.filter(f => f.category === 'style').map(f => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`))].sort()
}

describe('style rules', () => {
  it('are off by default', () => {
    expect(allRules.filter(r => r.category === 'style').length).toBe(9)
    expect(styleFindings()).toEqual([])
    expect(styleFindings({ 'missing-lock-timeout': 'off' })).toEqual([])
  })

  it('one is switched on by its id, with squawk\'s and ESLint\'s "warn" as well', () => {
    expect(styleFindings({ 'prefer-identity': 'warn' })).toEqual(['prefer-identity warning migrations/001_t.sql:1'])
    expect(styleFindings({ 'require-enum-value-ordering': 'error' })).toEqual(['require-enum-value-ordering error migrations/001_t.sql:2'])
  })

  it('all are switched on by the category, and one of them off again by its id', () => {
    expect(styleFindings({ style: 'warning', 'prefer-timestamptz': 'off' })).toEqual([
      'ban-char-field warning migrations/001_t.sql:1',
      'prefer-bigint-over-int warning migrations/001_t.sql:1',
      'prefer-bigint-over-smallint warning migrations/001_t.sql:1',
      'prefer-identity warning migrations/001_t.sql:1',
      'prefer-robust-stmts warning migrations/001_t.sql:1',
      'prefer-text-field warning migrations/001_t.sql:1',
      'require-enum-value-ordering warning migrations/001_t.sql:2',
      'require-table-schema warning migrations/001_t.sql:1',
    ])
  })

  it('a category setting reaches the default-on rules too, and a rule id wins over its category', () => {
    const hygiene = allRules.find(r => r.id === 'prefer-jsonb')!
    expect(ruleSetting(hygiene, { hygiene: 'off' })).toBe('off')
    expect(ruleSetting(hygiene, { hygiene: 'off', 'prefer-jsonb': 'error' })).toBe('error')
    expect(ruleSetting(hygiene, {})).toBeUndefined()
  })

  it('refuses an unknown category or setting, naming the nearest', () => {
    expect(() => configOf({ styl: 'warning' })).toThrow(/unknown rule "styl" \(did you mean "style"\?\)/)
    expect(() => configOf({ style: 'loud' })).toThrow(/"rules.style" must be one of error, warning, info, off \(got "loud"\)/)
  })

  it('rules and explain say they are off by default', () => {
    expect(listRules()).toMatch(/^prefer-identity\s+style\s+off \(warning\)\s+A serial column/m)
    expect(explainRule('prefer-identity').split('\n')[0]).toBe(
      'prefer-identity  (style, off by default: "rules": { "prefer-identity": "warning" } in the config switches it on)',
    )
  })
})
