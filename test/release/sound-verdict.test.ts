// Issue 12: the previous release's code judged against the schema this release leaves, by state, and
// what could not be established is "unproven", never "revert-safe". Each case is its own repository.
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from './git-repo.js'

interface Doc {
  release: {
    verdict: string
    revertSafe: boolean
    unproven: { reason: string; file: string; line: number }[]
    migrations: { file: string; phase: string }[]
  }
  findings: { ruleId: string; severity: string; file: string; line: number; column: number; message: string }[]
}

function lint(repo: TestRepo, ...args: string[]) {
  const run = runCli(['--format', 'json', '--since', 'v1.0', ...args], repo.dir)
  const doc = JSON.parse(run.stdout) as Doc
  const found = doc.findings.map(f => `${f.ruleId} ${f.file}:${f.line}:${f.column}`)
  return { code: run.code, doc, found }
}

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const dropEmail = 'ALTER TABLE users DROP COLUMN email;\n'

describe('same-release NOT NULL, reached in several statements', () => {
  const comments = 'CREATE TABLE comments (id bigserial PRIMARY KEY, body text NOT NULL);\n'
  const insertsComments = `import { db } from './db'

export async function addComment(body: string) {
  await db.insertInto('comments').values({ body }).execute()
}
`
  it('add nullable, backfill, SET NOT NULL: old INSERTs leave it out, not revert-safe', () => {
    const repo = new TestRepo()
      .commit('v1.0', { 'migrations/001_comments.sql': comments, 'src/comments.ts': insertsComments })
      .tag('v1.0')
      .commit('space_id', {
        'migrations/002_space_id.sql': 'ALTER TABLE comments ADD COLUMN space_id uuid;\n',
        'migrations/003_backfill.sql': "UPDATE comments SET space_id = '00000000-0000-0000-0000-000000000000';\n",
        'migrations/004_required.sql': '-- every comment belongs to a space\nALTER TABLE comments ALTER COLUMN space_id SET NOT NULL;\n',
      })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('set-not-null migrations/004_required.sql:2:1')
    expect(doc.findings.find(f => f.ruleId === 'set-not-null')!.message).toContain('src/comments.ts:4 inserts into comments')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(code).toBe(1)
  })

  it('a default added and dropped in one release: not revert-safe', () => {
    const repo = new TestRepo()
      .commit('v1.0', { 'migrations/001_comments.sql': comments, 'src/comments.ts': insertsComments })
      .tag('v1.0')
      .commit('kind', {
        'migrations/002_kind.sql': "ALTER TABLE comments ADD COLUMN kind text NOT NULL DEFAULT 'note';\n",
        'migrations/003_no_default.sql': 'ALTER TABLE comments ALTER COLUMN kind DROP DEFAULT;\n',
      })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-default-still-used migrations/003_no_default.sql:1:1')
    expect(doc.release.verdict).toBe('not-revert-safe')
    expect(code).toBe(1)
  })
})

describe('code no reader understands is never "reads nothing"', () => {
  const base = (files: Record<string, string>) =>
    new TestRepo()
      .commit('v1.0', { 'migrations/001_users.sql': createUsers, ...files })
      .tag('v1.0')
      .commit('drop email', { 'migrations/002_drop_email.sql': dropEmail })

  const cases: { name: string; files: Record<string, string>; evidence: string }[] = [
    {
      name: 'Prisma: schema.prisma maps the column, the client reads the model',
      files: {
        'prisma/schema.prisma': 'model User {\n  id    BigInt @id\n  name  String?\n  email String?\n\n  @@map("users")\n}\n',
        'src/users.ts': "import { PrismaClient } from '@prisma/client'\nconst prisma = new PrismaClient()\nexport const find = (id: bigint) => prisma.user.findUnique({ where: { id } })\n",
      },
      evidence: 'prisma/schema.prisma:4 names users.email',
    },
    {
      name: 'Go code with SQL in a string',
      files: { 'cmd/mailer/main.go': 'package main\n\n// Reads the addresses to mail.\nfunc addresses(db *sql.DB) {\n\tdb.Query("SELECT email FROM users")\n}\n' },
      evidence: 'cmd/mailer/main.go:5 names users.email',
    },
    {
      name: 'SQL text assembled from pieces, held in a const and passed to pool.query',
      files: { 'src/users.ts': "import { pool } from './db'\n\nconst FIND = 'SELECT id, email FROM users WHERE ' + byId\nexport const find = (id: number) => pool.query(FIND, [id])\n" },
      evidence: 'src/users.ts:',
    },
    {
      name: "a template in the project's own placeholder syntax passed to its rawQuery()",
      files: { 'src/users.ts': "import { rawQuery } from './db'\n\nexport const find = (id: number) =>\n  rawQuery(`SELECT id, email FROM users WHERE id = {{id::uuid}}`, { id })\n" },
      evidence: 'src/users.ts:4 names users.email',
    },
    {
      name: 'a Kysely builder handed to a helper of another file whose type does not name its tables',
      files: {
        'src/helpers.ts':
          "import type { SelectQueryBuilder } from 'kysely'\n\nexport const withContact = <DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>) => qb.select('email')\n",
        'src/users.ts':
          "import { db } from './db'\nimport { withContact } from './helpers'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select('id').$call(withContact).where('id', '=', id).execute()\n",
      },
      evidence: "src/helpers.ts:3 a query there could not be resolved (column 'email' of withContact()'s parameter qb",
    },
    {
      name: 'a generic helper whose table is a parameter (its callers never spell the column)',
      files: {
        'src/repo.ts': "import { db } from './db'\n\nexport const byId = (table: string, id: number) =>\n  db.selectFrom(table as any).selectAll().where('id', '=', id).executeTakeFirst()\n",
        'src/users.ts': "import { byId } from './repo'\n\nexport const findUser = (id: number) => byId('users', id)\n",
      },
      evidence: 'src/repo.ts:4 a query there could not be resolved (table name is not a string literal',
    },
  ]
  for (const c of cases) {
    it(`${c.name}: unproven, with the evidence, exit 1`, () => {
      const { code, doc, found } = lint(base(c.files))
      expect(found).toContain('unproven-change migrations/002_drop_email.sql:1:1')
      expect(found.filter(f => f.startsWith('drop-column-still-read'))).toEqual([])
      expect(doc.release).toMatchObject({ verdict: 'unproven', revertSafe: false, migrations: [{ file: 'migrations/002_drop_email.sql', phase: 'unproven' }] })
      expect(doc.release.unproven).toEqual([{ file: 'migrations/002_drop_email.sql', line: 1, reason: expect.stringContaining(c.evidence) }])
      expect(code).toBe(1)
    })
  }

  it('the config can lower unproven to a warning: the verdict stays unproven, the run passes', () => {
    const repo = base({
      'migrate-lint.config.json': '{ "rules": { "unproven-change": "warning" } }',
      'cmd/mailer/main.go': 'package main\n\nfunc addresses(db *sql.DB) {\n\tdb.Query("SELECT email FROM users")\n}\n',
    })
    const { code, doc } = lint(repo)
    expect(doc.release.verdict).toBe('unproven')
    expect(doc.findings.find(f => f.ruleId === 'unproven-change')).toMatchObject({ severity: 'warning', file: 'migrations/002_drop_email.sql', line: 1 })
    expect(code).toBe(0)
  })

  it('the text report leads with the verdict', () => {
    const repo = base({ 'cmd/mailer/main.go': 'package main\n\nfunc addresses(db *sql.DB) {\n\tdb.Query("SELECT email FROM users")\n}\n' })
    const run = runCli(['--since', 'v1.0', '--no-color'], repo.dir)
    expect(run.stdout.split('\n')[0]).toBe("Release v1.0..HEAD: unproven (1 change could not be checked against the previous release's code)")
    expect(run.stdout).toContain('migrations/002_drop_email.sql:1:1  error  unproven-change')
    expect(run.code).toBe(1)
  })

  it('control: a drop of a column no file of the previous release names stays revert-safe, exit 0', () => {
    const repo = base({
      'src/users.ts': "import { db } from './db'\n\nexport const find = (id: number) => db.selectFrom('users').select(['id', 'name']).where('id', '=', id).execute()\n",
      'cmd/mailer/main.go': 'package main\n\n// users.email used to be read here\nfunc names(db *sql.DB) {\n\tdb.Query("SELECT name FROM users")\n}\n',
      'prisma/schema.prisma': 'model User {\n  id   BigInt  @id\n  name String?\n\n  @@map("users")\n}\n',
      // Tests and type declarations do not run against the database in production.
      'test/users.ts': "export const emails = (db: any) => db.selectFrom('users').select(['email']).execute()\n",
      'src/users.test.ts': "it('reads users.email', () => expect(row.email).toBe('a@b.c'))\n",
      'cmd/mailer/main_test.go': 'package main\n\nconst q = "SELECT email FROM users"\n',
      'src/db.d.ts': 'export interface Users { id: number; email: string | null }\n',
    })
    const { code, doc, found } = lint(repo)
    expect(found).toEqual([
      'drop-column-data-loss migrations/002_drop_email.sql:1:1',
      'missing-lock-timeout migrations/002_drop_email.sql:1:1',
      'missing-statement-timeout migrations/002_drop_email.sql:1:1',
    ])
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(code).toBe(0)
  })
})

describe('an enum label renamed while the previous release writes it', () => {
  it('unproven, pointing at the literal; no literal of it anywhere stays revert-safe', () => {
    const people = `import { db } from './db'\n\nexport const sadPeople = () =>\n  db.selectFrom('people').select('id').where('mood', '=', 'sad').execute()\n`
    const repo = new TestRepo()
      .commit('v1.0', { 'migrations/001_people.sql': "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE people (id bigint PRIMARY KEY, mood mood);\n", 'src/people.ts': people })
      .tag('v1.0')
      .commit('rename', { 'migrations/002_unhappy.sql': "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';\n" })
    const { code, doc } = lint(repo)
    expect(doc.release.verdict).toBe('unproven')
    expect(doc.release.unproven).toEqual([
      { file: 'migrations/002_unhappy.sql', line: 1, reason: expect.stringContaining("src/people.ts:4 spells 'sad' no reader follows values") },
    ])
    expect(code).toBe(1)

    repo.commit('no sad people', { 'migrations/002_unhappy.sql': "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';\n" })
    const renamedOther = lint(repo)
    expect(renamedOther.doc.release.verdict).toBe('revert-safe')
    expect(renamedOther.code).toBe(0)
  })
})

describe('a DO block', () => {
  const repo = () =>
    new TestRepo()
      .commit('v1.0', { 'migrations/001_users.sql': createUsers, 'src/users.ts': "import { db } from './db'\n\nexport const names = () => db.selectFrom('users').select(['id', 'name']).execute()\n" })
      .tag('v1.0')

  it('running dynamic SQL is unproven, at the DO', () => {
    const { code, doc, found } = lint(
      repo().commit('drop', { 'migrations/002_drop.sql': "DO $$\nBEGIN\n  EXECUTE format('ALTER TABLE %I DROP COLUMN email', 'users');\nEND $$;\n" }),
    )
    expect(found).toContain('unproven-change migrations/002_drop.sql:1:1')
    expect(doc.release).toMatchObject({ verdict: 'unproven', migrations: [{ phase: 'unproven' }] })
    expect(code).toBe(1)
  })

  it('dropping a column nothing reads is a contract, revert-safe', () => {
    const { code, doc } = lint(repo().commit('drop', { 'migrations/002_drop.sql': 'DO $$\nBEGIN\n  ALTER TABLE users DROP COLUMN email;\nEND $$;\n' }))
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', migrations: [{ phase: 'contract' }] })
    expect(code).toBe(0)
  })
})
