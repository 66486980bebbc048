// Issue 13, end to end: the previous release's Drizzle queries, read against the previous release's
// pgTable objects, in a real git repository. A column the table object maps is read by every
// `select()` of the table; a column it does not map is not.
import { describe, expect, it } from 'vitest'
import { TestRepo } from './git-repo.js'
import { lintSinceV1 as lint } from './release-lint.js'

const schema = `import { pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull(),
  createdAt: timestamp('created_at').notNull().defaultNow(),
})
`

const queries = `import { desc } from 'drizzle-orm'
import { db } from './client'
import { users } from './schema'

export async function newest() {
  return db.select().from(users).orderBy(desc(users.createdAt)).limit(10)
}
`

function v1(): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'migrations/001_users.sql':
        'CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL, phone text, created_at timestamptz NOT NULL DEFAULT now());\n',
      'src/db/schema.ts': schema,
      'src/db/client.ts': "import { drizzle } from 'drizzle-orm/node-postgres'\nexport const db = drizzle(process.env.DATABASE_URL!)\n",
      'src/db/users.ts': queries,
    })
    .tag('v1.0')
}

describe('the Drizzle reader, end to end', () => {
  it('a column the old table object maps is read by select(): dropping it is not revert-safe, at the reading line', () => {
    const repo = v1().commit('drop email', {
      'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n',
      'src/db/schema.ts': schema.replace("  email: text('email').notNull(),\n", ''),
    })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_email.sql:1:1')
    expect(doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message).toContain('src/db/users.ts:6 selects users.email')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(code).toBe(1)
  })

  it('control: a column the table object does not map is read by no query: dropping it is revert-safe, exit 0', () => {
    const repo = v1().commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code, doc, found } = lint(repo)
    expect(found.filter(f => f.startsWith('drop-column-still-read') || f.startsWith('unproven-change'))).toEqual([])
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(code).toBe(0)
  })
})
