// Raised by `migrate-lint verify`; the round trip on a real Postgres is tested in test/verify/replay.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { roundTripMismatch, statementFailed } from '../../src/verify/findings.js'
import rule from '../../rules/verify-round-trip-mismatch.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

describe('verify-round-trip-mismatch', () => {
  const tier = migrationFromText('migrations/005_tier.sql', '-- migrate:up\nALTER TABLE users ADD COLUMN tier int;\n-- migrate:down\nALTER TABLE users DROP COLUMN tier;\n', 4)
  const index = migrationFromText('migrations/006_idx.sql', '-- migrate:up\nCREATE INDEX users_name_idx ON users (name);\n-- migrate:down\nSELECT 1;\n', 5)
  const definition = 'CREATE INDEX users_name_idx ON public.users USING btree (name)'

  it('names the object, at the down of the release migration that made it', () => {
    const f = roundTripMismatch({ object: { kind: 'index', name: 'users_name_idx', table: 'users', definition }, before: null, after: definition }, [tier, index])
    expect(f).toMatchObject({ ruleId: rule.id, messageId: 'mismatch', severity: 'error', category: 'hygiene', file: 'migrations/006_idx.sql', line: 4, migrationId: index.id })
    expect(f.message).toBe(`After the down migrations, index users_name_idx is still there (${definition}), though it was not there before the release.`)
    const column = roundTripMismatch({ object: { kind: 'column', name: 'users.tier', table: 'users', definition: 'integer' }, before: null, after: 'integer' }, [tier, index])
    expect(column).toMatchObject({ file: 'migrations/005_tier.sql', line: 4 })
  })

  it('an up that fails after the down migrations is part of the round trip', () => {
    const error = { code: '42P07', message: 'relation "users_name_idx" already exists', detail: null, hint: null }
    const f = statementFailed({ migration: index, statement: index.up[0], part: 'up-again', error, skipped: 0 }, 'PGlite')
    expect(f).toMatchObject({ ruleId: rule.id, messageId: 'upAgainFailed', line: 2 })
    expect(f.message).toBe(
      'Running migrations/006_idx.sql again after the down migrations fails here: relation "users_name_idx" already exists (42P07). The down does not undo what the up did.',
    )
  })

  it('has no check of its own in the lint engine', () => {
    expect(rule.statement).toBeUndefined()
    expect(rule.migration).toBeUndefined()
  })
})
