// Issue 15: a column the release drops and adds back (or renames another column into) is there again
// when the release is done, so the previous release's queries still find it. drop-column-still-read
// judges the drop against the schema the release leaves, not the one right after the statement.
import { describe, expect, it } from 'vitest'
import { lintSinceV1 } from './release-lint.js'
import { TestRepo } from './git-repo.js'

const readsEmail = `import { db } from '../db'

export async function findUser(id: number) {
  return db.selectFrom('users').select(['id', 'email']).where('id', '=', id).executeTakeFirst()
}
`

function releaseThatDropsEmail(later: Record<string, string>): TestRepo {
  return new TestRepo()
    .commit('v1.0', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n', 'src/users/repo.ts': readsEmail })
    .tag('v1.0')
    .commit('rebuild email', { 'migrations/002_drop_email.sql': 'SET lock_timeout = 1000;\nALTER TABLE users DROP COLUMN email;\n', ...later })
}

describe('a dropped column the release adds back', () => {
  it('added back as text by a later migration: the old code still reads it, revert-safe (the data loss stays a note)', () => {
    const repo = releaseThatDropsEmail({ 'migrations/003_add_email.sql': 'ALTER TABLE users ADD COLUMN email text;\n' })
    const { code, doc, found } = lintSinceV1(repo)
    expect(found.filter(f => !f.startsWith('missing-'))).toEqual(['drop-column-data-loss migrations/002_drop_email.sql:2:1'])
    expect(doc.release.verdict).toBe('revert-safe')
    expect(code).toBe(0)
  })

  it('added back as another type: drop-column-still-read says what the old code meets, with its line', () => {
    const repo = releaseThatDropsEmail({ 'migrations/003_add_email.sql': 'ALTER TABLE users ADD COLUMN email bytea;\n' })
    const { code, doc, found } = lintSinceV1(repo)
    expect(found.filter(f => f.startsWith('drop-column-still-read'))).toEqual(['drop-column-still-read migrations/002_drop_email.sql:2:1'])
    const finding = doc.findings.find(f => f.ruleId === 'drop-column-still-read')!
    expect(finding.message).toContain('is added back as bytea (it was text)')
    expect(finding.message).toContain('src/users/repo.ts:4')
    expect(doc.release.verdict).toBe('not-revert-safe')
    expect(code).toBe(1)
  })

  it('not added back: the drop still breaks the old read', () => {
    const repo = releaseThatDropsEmail({})
    const { code, found } = lintSinceV1(repo)
    expect(found.filter(f => f.startsWith('drop-column-still-read'))).toEqual(['drop-column-still-read migrations/002_drop_email.sql:2:1'])
    expect(code).toBe(1)
  })
})
