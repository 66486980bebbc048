// Raised by `migrate-lint verify`; the probes on a real Postgres are tested in test/verify/replay.test.ts
// and test/verify/release.test.ts.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { isBlocking } from '../../src/release/verdict.js'
import { oldQueryFails } from '../../src/verify/findings.js'
import rule from '../../rules/verify-old-query-fails.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

describe('verify-old-query-fails', () => {
  const migration = migrationFromText('migrations/007_drop_email.sql', 'ALTER TABLE users DROP COLUMN email;\n', 6)
  const loc = { file: 'src/users.ts', line: 12, column: 5 }

  it('points at the base code line and blocks the release (revert-safety)', () => {
    const f = oldQueryFails({ messageId: 'query', loc, data: { where: 'src/users.ts:12', error: 'column "email" does not exist (42703)' }, migration }, 'v1.4')
    expect(f).toMatchObject({ ruleId: rule.id, severity: 'error', category: 'revert-safety', file: 'src/users.ts', line: 12, column: 5, migrationId: migration.id })
    expect(isBlocking(f)).toBe(true)
    expect(f.message).toBe(
      'This query of v1.4 fails once migrations/007_drop_email.sql has run: column "email" does not exist (42703). The old code breaks during the deploy and after a revert.',
    )
  })

  it('says which use of which column broke, and which NOT NULL columns an old INSERT leaves out', () => {
    const column = oldQueryFails({ messageId: 'column', loc, data: { usage: 'src/users.ts:12 selects users.email', error: 'column "email" does not exist (42703)' }, migration }, 'v1.4')
    expect(column.message).toBe('src/users.ts:12 selects users.email in v1.4; once migrations/007_drop_email.sql has run, Postgres refuses it: column "email" does not exist (42703).')
    const insert = oldQueryFails({ messageId: 'insertMissing', loc, data: { where: 'src/users.ts:12', table: 'users', columns: '(id, name)', missing: 'users.tenant is' }, migration }, 'v1.4')
    expect(insert.message).toBe('This INSERT of v1.4 sets (id, name); once migrations/007_drop_email.sql has run, users.tenant is NOT NULL without a default, so it fails.')
  })

  it('has no check of its own in the lint engine', () => {
    expect(rule.statement).toBeUndefined()
    expect(rule.migration).toBeUndefined()
  })
})
