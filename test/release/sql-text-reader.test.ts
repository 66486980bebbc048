// Issue 13, end to end: SQL text handed to a project's own helper, read as SQL in a real git
// repository: a column it reads is still read; a column it does not name is not.
import { describe, expect, it } from 'vitest'
import { TestRepo } from './git-repo.js'
import { lintSinceV1 as lint } from './release-lint.js'

const helper = `import { Pool } from 'pg'
const pool = new Pool()
export const rawQuery = (text: string, params: unknown[] = []) => pool.query(text, params)
`

const users = `import { rawQuery } from './db'

const FIND_USER = \`
  SELECT id, email
  FROM users
  WHERE id = $1\`

export const findUser = (id: string) => rawQuery(FIND_USER, [id])
`

function v1(): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'migrations/001_users.sql': 'CREATE TABLE users (id text PRIMARY KEY, email text, phone text);\n',
      'src/db.ts': helper,
      'src/users.ts': users,
    })
    .tag('v1.0')
}

describe('SQL text anywhere, end to end', () => {
  it('a column the old SQL string reads: dropping it is not revert-safe, at the line of the column', () => {
    const repo = v1().commit('drop email', { 'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_email.sql:1:1')
    expect(doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message).toContain('src/users.ts:4 selects users.email')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(code).toBe(1)
  })

  it('control: a column no SQL string names: dropping it is revert-safe, exit 0', () => {
    const repo = v1().commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code, doc } = lint(repo)
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(code).toBe(0)
  })
})
