// Raised by `migrate-lint verify` from pg_locks; the lock trace itself is tested in test/verify/replay.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { dangerousLock } from '../../src/verify/findings.js'
import rule from '../../rules/verify-dangerous-lock.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

describe('verify-dangerous-lock', () => {
  it('is a locking warning at the statement, naming the table and the mode as the docs name it', () => {
    const migration = migrationFromText('migrations/005_tier.sql', '\nALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;\n', 4)
    const f = dangerousLock(migration, migration.up[0].loc, 'users', 'AccessExclusiveLock')
    expect(f).toMatchObject({ ruleId: rule.id, messageId: 'lock', severity: 'warning', category: 'locking', file: 'migrations/005_tier.sql', line: 2, column: 1, migrationId: migration.id })
    expect(f.message).toBe(
      'This statement took ACCESS EXCLUSIVE on users, which existed before this release, with no lock_timeout set: every query on users, reads included, queues behind it while it waits for its lock.',
    )
    expect(f.help).toBe(rule.docs.fix)
  })

  it('has no check of its own in the lint engine', () => {
    expect(rule.statement).toBeUndefined()
    expect(rule.migration).toBeUndefined()
  })
})
