// Issue 13, end to end: Kysely builders handed to helpers, and names chosen at run time, in real git
// repositories. The previous release reads users.deleted_at only inside a helper of another file,
// typed with the table its builder sees; its callers never spell the column.
import { describe, expect, it } from 'vitest'
import { TestRepo } from './git-repo.js'
import { lintSinceV1 as lint } from './release-lint.js'

const filters = `import type { SelectQueryBuilder } from 'kysely'
import type { DB } from './types'

export function activeOnly<O>(qb: SelectQueryBuilder<DB, 'users', O>) {
  return qb.where('deleted_at', 'is', null)
}
`

const users = `import { db } from './db/client'
import { activeOnly } from './db/filters'

export const listUsers = () => db.selectFrom('users').select(['id', 'email']).$call(activeOnly).execute()
`

function v1(files: Record<string, string> = {}): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, deleted_at timestamptz, phone text);\n',
      'src/db/filters.ts': filters,
      'src/users.ts': users,
      ...files,
    })
    .tag('v1.0')
}

describe('Kysely helpers and dynamic names, end to end', () => {
  it('a column read only inside an imported helper: dropping it is not revert-safe, at the helper line', () => {
    const repo = v1().commit('stop soft deletes', {
      'migrations/002_drop_deleted_at.sql': 'ALTER TABLE users DROP COLUMN deleted_at;\n',
      'src/users.ts': users.replace('.$call(activeOnly)', '').replace("import { activeOnly } from './db/filters'\n", ''),
    })
    repo.remove('src/db/filters.ts').commit('no filters')
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_deleted_at.sql:1:1')
    expect(doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message).toContain('src/db/filters.ts:5 filters on users.deleted_at')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false, unproven: [] })
    expect(code).toBe(1)
  })

  it('control: a column no query reads, helpers included: dropping it is revert-safe, exit 0', () => {
    const { code, doc, found } = lint(v1().commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' }))
    expect(found.filter(f => f.startsWith('drop-column-still-read') || f.startsWith('unproven-change'))).toEqual([])
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(code).toBe(0)
  })

  it('db.dynamic.ref(variable): the column is chosen at run time, so a drop on its table is unproven, at that line', () => {
    const search = `import { db } from './db/client'

export const sorted = (by: string) =>
  db.selectFrom('users').select('id').orderBy(db.dynamic.ref(by)).execute()
`
    const repo = v1({ 'src/search.ts': search }).commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('unproven-change migrations/002_drop_phone.sql:1:1')
    expect(found.filter(f => f.startsWith('drop-column-still-read'))).toEqual([])
    expect(doc.release).toMatchObject({ verdict: 'unproven', revertSafe: false })
    expect(doc.release.unproven).toEqual([
      {
        file: 'migrations/002_drop_phone.sql',
        line: 1,
        reason: expect.stringContaining('src/search.ts:4 a query there could not be resolved (db.dynamic.ref(by): the column is chosen at run time)'),
      },
    ])
    expect(code).toBe(1)
  })
})
