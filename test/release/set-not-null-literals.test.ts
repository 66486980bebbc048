// Issue 15: SET NOT NULL is no finding when every write of the column by the previous release's code is
// a literal other than NULL, as the Kysely reader sees it; a write of a variable keeps the finding.
import { describe, expect, it } from 'vitest'
import { lintSinceV1 } from './release-lint.js'
import { TestRepo } from './git-repo.js'

const createUsers = "CREATE TABLE users (id bigserial PRIMARY KEY, email text, status text);\n"

function releaseSettingStatusNotNull(code: string): TestRepo {
  return new TestRepo()
    .commit('v1.0', { 'migrations/001_users.sql': createUsers, 'src/users.ts': code })
    .tag('v1.0')
    .commit('status is required', { 'migrations/002_status_not_null.sql': 'SET lock_timeout = 1000;\nALTER TABLE users ALTER COLUMN status SET NOT NULL;\n' })
}

describe('set-not-null and the old INSERTs that write a literal', () => {
  it("every old INSERT writes status: 'active': revert-safe", () => {
    const code = "export const add = (db, email) => db.insertInto('users').values({ email, status: 'active' }).execute()\n"
    const { code: exit, doc, found } = lintSinceV1(releaseSettingStatusNotNull(code))
    expect(found.filter(f => f.startsWith('set-not-null'))).toEqual([])
    expect(doc.release.verdict).toBe('revert-safe')
    expect(exit).toBe(0)
  })

  it('an old INSERT writes status from a variable: set-not-null at 002:2 names it', () => {
    const code = "export const add = (db, email, status) => db.insertInto('users').values({ email, status }).execute()\n"
    const { code: exit, doc, found } = lintSinceV1(releaseSettingStatusNotNull(code))
    expect(found.filter(f => f.startsWith('set-not-null'))).toEqual(['set-not-null migrations/002_status_not_null.sql:2:1'])
    expect(doc.findings.find(f => f.ruleId === 'set-not-null')!.message).toContain('src/users.ts:1')
    expect(exit).toBe(1)
  })
})
