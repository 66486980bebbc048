// Raised by `migrate-lint verify` (src/verify/); the replay itself is tested in test/verify/replay.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { statementFailed } from '../../src/verify/findings.js'
import rule from '../../rules/verify-statement-failed.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

describe('verify-statement-failed', () => {
  const migration = migrationFromText('migrations/002_idx.sql', '-- migrate:up\nALTER TABLE users ADD COLUMN a int;\nCREATE INDEX ON users (nope);\n-- migrate:down\nDROP TABLE nope;\n', 1)
  const error = { code: '42703', message: 'column "nope" does not exist', detail: null, hint: null }

  it('is an error at the statement Postgres refused, with its error and how much was left unrun', () => {
    const f = statementFailed({ migration, statement: migration.up[1], part: 'up', error, skipped: 0 }, 'PGlite (PostgreSQL 18.6)')
    expect(f).toMatchObject({ ruleId: rule.id, messageId: 'upFailed', severity: 'error', category: 'hygiene', file: 'migrations/002_idx.sql', line: 3, column: 1, migrationId: migration.id })
    expect(f.message).toBe('PGlite (PostgreSQL 18.6) refuses this statement: column "nope" does not exist (42703). The replay of migrations/002_idx.sql stopped here.')
    const first = statementFailed({ migration, statement: migration.up[0], part: 'up', error, skipped: 1 }, 'PGlite')
    expect(first.message).toMatch(/stopped here \(1 statement after it not run\)\.$/)
  })

  it('in a down migration, says the round trip stopped', () => {
    const f = statementFailed({ migration, statement: migration.down![0], part: 'down', error: { ...error, code: '42P01', message: 'table "nope" does not exist' }, skipped: 0 }, 'PGlite')
    expect(f).toMatchObject({ messageId: 'downFailed', line: 5 })
    expect(f.message).toBe('PGlite refuses this statement of the down migration: table "nope" does not exist (42P01). The round trip stopped here.')
  })

  it('has no check of its own in the lint engine', () => {
    expect(rule.statement).toBeUndefined()
    expect(rule.migration).toBeUndefined()
  })
})
