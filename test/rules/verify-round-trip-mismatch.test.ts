// Raised by `migrate-lint verify`; the round trip on a real Postgres is tested in test/verify/replay.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { roundTripMismatches, statementFailed } from '../../src/verify/findings.js'
import rule from '../../rules/verify-round-trip-mismatch.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

describe('verify-round-trip-mismatch', () => {
  const tier = migrationFromText('migrations/005_tier.sql', '-- migrate:up\nALTER TABLE users ADD COLUMN tier int;\n-- migrate:down\nALTER TABLE users DROP COLUMN tier;\n', 4)
  const index = migrationFromText('migrations/006_idx.sql', '-- migrate:up\nCREATE INDEX users_name_idx ON users (name);\n-- migrate:down\nSELECT 1;\n', 5)
  const definition = 'CREATE INDEX users_name_idx ON public.users USING btree (name)'

  it('names the object, at the down of the release migration that made it: one finding per migration', () => {
    const indexDiff = { object: { kind: 'index' as const, name: 'users_name_idx', table: 'users', definition }, before: null, after: definition }
    const columnDiff = { object: { kind: 'column' as const, name: 'users.tier', table: 'users', definition: 'integer' }, before: null, after: 'integer' }
    const [onTier, onIndex] = roundTripMismatches([columnDiff, indexDiff], [tier, index], null)
    expect(onIndex).toMatchObject({ ruleId: rule.id, messageId: 'mismatch', severity: 'error', category: 'hygiene', file: 'migrations/006_idx.sql', line: 4, migrationId: index.id })
    expect(onIndex.message).toBe(`After the down migrations, index users_name_idx is still there (${definition}), though it was not there before the release.`)
    expect(onTier).toMatchObject({ file: 'migrations/005_tier.sql', line: 4 })
    const both = roundTripMismatches([columnDiff, { ...columnDiff, object: { ...columnDiff.object, name: 'users.name' } }], [tier], null)
    expect(both.map(f => [f.messageId, f.line])).toEqual([['mismatches', 4]])
    expect(both[0].message).toBe(
      'After the down migrations, 2 objects differ from the schema before the release: (1) column users.tier is still there (integer), though it was not there before the release; ' +
        '(2) column users.name is still there (integer), though it was not there before the release.',
    )
  })

  it('a long list names ten and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ object: { kind: 'column' as const, name: `users.tier${i}`, table: 'users', definition: 'integer' }, before: null, after: 'integer' }))
    const [f] = roundTripMismatches(many, [tier], null)
    expect(f.message).toMatch(/^After the down migrations, 12 objects differ .*\(10\) column users\.tier9 is still there \(integer\), though it was not there before the release; and 2 more\.$/)
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
