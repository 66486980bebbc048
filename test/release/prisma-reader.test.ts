// Issue 13, end to end: the previous release's Prisma code, read with the previous release's
// schema.prisma, in a real git repository. A column its model maps is read by every query that does
// not narrow the row; a column the model does not map is not.
import { describe, expect, it } from 'vitest'
import { TestRepo } from './git-repo.js'
import { lintSinceV1 as lint } from './release-lint.js'

const schema = `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id        String   @id @default(uuid())
  email     String   @unique
  createdAt DateTime @default(now()) @map("created_at")

  @@map("users")
}
`

const code = `import { PrismaClient } from '@prisma/client'

const prisma = new PrismaClient()

export async function newest() {
  return prisma.user.findMany({ orderBy: { createdAt: 'desc' }, take: 10 })
}

export async function signUp(email: string) {
  return prisma.user.create({ data: { email }, select: { id: true } })
}
`

function v1(): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'migrations/001_users.sql':
        'CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL, phone text, created_at timestamptz NOT NULL DEFAULT now());\n',
      'prisma/schema.prisma': schema,
      'src/users.ts': code,
    })
    .tag('v1.0')
}

describe('the Prisma reader, end to end', () => {
  it('a column the old model maps is read by a findMany without select: dropping it is not revert-safe, at the reading line', () => {
    const repo = v1().commit('drop email', {
      'migrations/002_drop_email.sql': '-- email moves to accounts\nALTER TABLE users DROP COLUMN email;\n',
      // The release's own schema no longer maps it: the old code is read with the old schema.
      'prisma/schema.prisma': schema.replace('  email     String   @unique\n', ''),
      'src/users.ts': code.replace('{ data: { email }, select', '{ data: {}, select'),
    })
    const { code: exit, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_email.sql:2:1')
    expect(doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message).toContain('src/users.ts:6 selects users.email')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(exit).toBe(1)
  })

  it('a new NOT NULL column the old model does not know breaks its create: set-not-null', () => {
    const repo = v1().commit('require a name', {
      'migrations/002_name.sql': "ALTER TABLE users ADD COLUMN name text;\nUPDATE users SET name = '';\nALTER TABLE users ALTER COLUMN name SET NOT NULL;\n",
    })
    const { code: exit, doc, found } = lint(repo)
    expect(found).toContain('set-not-null migrations/002_name.sql:3:1')
    expect(doc.findings.find(f => f.ruleId === 'set-not-null')!.message).toContain('src/users.ts:10 inserts into users')
    expect(exit).toBe(1)
  })

  it('control: a column the model does not map is read by no query: dropping it is revert-safe, exit 0', () => {
    const repo = v1().commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code: exit, doc, found } = lint(repo)
    expect(found.filter(f => f.startsWith('drop-column-still-read') || f.startsWith('unproven-change'))).toEqual([])
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(exit).toBe(0)
  })
})
