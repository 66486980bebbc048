// Hand-made lint outcomes for the report formats: the formats are pure functions of them.
import type { Finding, Release } from '../../src/model.js'
import type { LintOutcome } from '../../src/run.js'

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'not-null-without-default',
    severity: 'error',
    category: 'revert-safety',
    file: 'migrations/002_email.sql',
    line: 2,
    column: 1,
    endLine: 2,
    endColumn: 49,
    message: 'ADD COLUMN users.email is NOT NULL without a DEFAULT.',
    help: 'Add the column nullable first.',
    migrationId: 'migrations/002_email.sql',
    ...overrides,
  }
}

export function outcome(findings: Finding[], release: Release | null = null, notes: string[] = []): LintOutcome {
  const active = findings.filter(f => !f.suppressed)
  return {
    findings,
    release,
    summary: {
      files: 2,
      statements: 4,
      errors: active.filter(f => f.severity === 'error').length,
      warnings: active.filter(f => f.severity === 'warning').length,
      unparsed: 0,
    },
    migrations: [],
    notes,
  }
}

export function release(findings: Finding[], overrides: Partial<Release> = {}): Release {
  const blocking = findings.filter(f => f.category === 'revert-safety' && !f.suppressed)
  return {
    base: 'v1.4',
    head: 'HEAD',
    migrations: [{ id: 'migrations/002_email.sql', file: 'migrations/002_email.sql', phase: blocking.length ? 'breaking' : 'expand', findings: findings.length }],
    verdict: blocking.length === 0 ? 'revert-safe' : 'not-revert-safe',
    revertSafe: blocking.length === 0,
    blocking,
    unproven: [],
    ...overrides,
  }
}
