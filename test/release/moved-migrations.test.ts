// DESIGN §5: base migrations are read where they were at the base. Between two releases a project moved
// its migrations (issue 12 case 3: db/postgresql/migrations → prisma/migrations); listed with the folders
// of now, the base schema came out empty, every migration counted as new, and a DROP of a column the
// old code reads passed as revert-safe.
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from './git-repo.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const createOrders = 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);\n'
const readsEmail = `import { db } from '../db'

export async function findUser(id: number) {
  return db.selectFrom('users').select(['id', 'email']).where('id', '=', id).executeTakeFirst()
}
`

interface Doc {
  release: { base: string | null; revertSafe: boolean; migrations: { id: string; phase: string }[] } | null
  findings: { ruleId: string; file: string; line: number; severity: string; category: string; message: string }[]
}

function lint(repo: TestRepo, ...args: string[]) {
  const run = runCli(['--format', 'json', ...args], repo.dir)
  expect(run.stderr).toBe('')
  return { code: run.code, doc: JSON.parse(run.stdout) as Doc }
}

/** v1.0: the migrations in db/postgresql/migrations, code that reads users.email. */
function shippedInOldFolder(): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'db/postgresql/migrations/001_users.sql': createUsers,
      'db/postgresql/migrations/002_orders.sql': createOrders,
      'src/users/repo.ts': readsEmail,
    })
    .tag('v1.0')
}

const ruleIds = (doc: Doc) => doc.findings.map(f => f.ruleId)

/** The release: v1.0's migrations moved (git mv) to `to`, and `files` written, in one commit. */
function movedTo(to: string, files: Record<string, string> = {}): TestRepo {
  const repo = shippedInOldFolder()
  repo.git('mv', 'db/postgresql/migrations', to)
  return repo.commit(`move the migrations to ${to}`, files)
}

describe('migrations moved to another folder since the base', () => {
  it('config globs that list the old folder and the new one (as umami had): a file moved unchanged is the same migration', () => {
    const config = '{ "migrations": ["db/postgresql/migrations/*.sql", "migrations/*.sql"] }'
    const repo = new TestRepo()
      .commit('v1.0', {
        'migrate-lint.config.json': config,
        'db/postgresql/migrations/001_users.sql': createUsers,
        'db/postgresql/migrations/002_orders.sql': createOrders,
        'src/users/repo.ts': readsEmail,
      })
      .tag('v1.0')
    repo.git('mv', 'db/postgresql/migrations', 'migrations')
    repo.commit('move, and drop email', { 'migrations/003_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    const { code, doc } = lint(repo)
    expect(doc.release!.migrations.map(m => m.id)).toEqual(['migrations/003_drop_email.sql'])
    expect(ruleIds(doc)).not.toContain('edited-released-migration')
    expect(doc.findings.filter(f => f.ruleId === 'drop-column-still-read').map(f => [f.file, f.line])).toEqual([['migrations/003_drop_email.sql', 1]])
    expect(code).toBe(1)
  })

  it('moved unchanged and a drop of a column the old code reads: drop-column-still-read, no edited-released-migration, exit 1', () => {
    const repo = movedTo('migrations', { 'migrations/003_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    const { code, doc } = lint(repo)
    expect(code).toBe(1)
    expect(doc.release).toMatchObject({ base: 'v1.0', revertSafe: false })
    // The moved ones shipped: not part of the release.
    expect(doc.release!.migrations.map(m => m.id)).toEqual(['migrations/003_drop_email.sql'])
    expect(doc.findings.filter(f => f.ruleId === 'drop-column-still-read')).toEqual([
      expect.objectContaining({ file: 'migrations/003_drop_email.sql', line: 1, severity: 'error' }),
    ])
    expect(ruleIds(doc)).not.toContain('edited-released-migration')
    expect(ruleIds(doc)).not.toContain('out-of-order-migration')
  })

  it('says where the shipped migrations were read from', () => {
    const repo = movedTo('migrations')
    const text = runCli(['--since', 'v1.0'], repo.dir)
    expect(text.stdout).toContain('The migrations moved since v1.0 (to migrations): the shipped ones were read where they were then, in db/postgresql/migrations')
    expect(text.stdout).toMatch(/^Release v1\.0\.\.HEAD: revert-safe/m)
    expect(text.code).toBe(0)
  })

  it('control: moved unchanged and a drop of a column nothing reads stays revert-safe, exit 0', () => {
    const repo = movedTo('migrations', { 'migrations/003_drop_name.sql': 'ALTER TABLE users DROP COLUMN name;\n' })
    const { code, doc } = lint(repo)
    expect(doc.release).toMatchObject({ revertSafe: true, migrations: [{ id: 'migrations/003_drop_name.sql', phase: 'contract' }] })
    expect(ruleIds(doc)).not.toContain('edited-released-migration')
    expect(code).toBe(0)
  })

  it('moved and reformatted (whitespace, keyword case, a comment): at most an info note, and the release stays revert-safe', () => {
    const repo = movedTo('migrations', {
      'migrations/001_users.sql': '-- users\ncreate table users (\n  id bigint primary key,\n  name text,\n  email text\n);\n',
      'migrations/003_drop_name.sql': 'ALTER TABLE users DROP COLUMN name;\n',
    })
    const { code, doc } = lint(repo)
    expect(doc.findings.filter(f => f.ruleId === 'edited-released-migration')).toEqual([
      expect.objectContaining({ file: 'migrations/001_users.sql', severity: 'info', category: 'hygiene', message: expect.stringContaining('reformatted') }),
    ])
    expect(doc.release).toMatchObject({ revertSafe: true })
    expect(doc.release!.migrations.map(m => m.id)).toEqual(['migrations/003_drop_name.sql'])
    expect(code).toBe(0)
  })

  it('a reformat stays a note even when the config sets the rule to error', () => {
    const repo = shippedInOldFolder()
    repo.commit('reformat in place', {
      'db/postgresql/migrations/001_users.sql': 'create table USERS (id bigint primary key, "name" text, email text);\n',
      'migrate-lint.config.json': JSON.stringify({ migrations: ['db/postgresql/migrations/*.sql'], rules: { 'edited-released-migration': 'error' } }),
    })
    const { code, doc } = lint(repo)
    expect(doc.findings.filter(f => f.ruleId === 'edited-released-migration').map(f => f.severity)).toEqual(['info'])
    expect(code).toBe(0)
  })

  it('moved and changed in what it does: edited-released-migration at its new path', () => {
    const repo = movedTo('migrations', { 'migrations/002_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' })
    const { code, doc } = lint(repo)
    expect(doc.findings.filter(f => f.ruleId === 'edited-released-migration')).toEqual([
      expect.objectContaining({ file: 'migrations/002_orders.sql', line: 1, severity: 'error', category: 'revert-safety' }),
    ])
    expect(doc.release!.migrations).toEqual([])
    expect(code).toBe(1)
  })

  it('a new migration that sorts before a moved shipped one is out of order', () => {
    const repo = new TestRepo()
      .commit('v1.0', { 'db/postgresql/migrations/001_users.sql': createUsers, 'db/postgresql/migrations/003_orders.sql': createOrders })
      .tag('v1.0')
    repo.git('mv', 'db/postgresql/migrations', 'migrations')
    repo.commit('move, and a late one', { 'migrations/002_late.sql': 'CREATE TABLE t (id int);\n' })
    const { doc } = lint(repo)
    expect(doc.findings.filter(f => f.ruleId === 'out-of-order-migration').map(f => f.file)).toEqual(['migrations/002_late.sql'])
  })

  it('moved into Prisma folders (new names): the same migrations, matched by content or, reformatted, by statements', () => {
    const repo = shippedInOldFolder()
    repo.git('rm', '-q', '-r', 'db')
    repo.commit('to prisma', {
      'prisma/migrations/20250101000000_users/migration.sql': createUsers,
      'prisma/migrations/20250101000001_orders/migration.sql': `-- CreateTable\n${createOrders.replace(' (', '(\n  ')}`,
      'prisma/migrations/20250301000000_drop_email/migration.sql': 'ALTER TABLE users DROP COLUMN email;\n',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    })
    const { code, doc } = lint(repo)
    expect(doc.release!.migrations.map(m => m.id)).toEqual(['prisma/migrations/20250301000000_drop_email'])
    expect(ruleIds(doc)).toContain('drop-column-still-read')
    expect(doc.findings.filter(f => f.ruleId === 'edited-released-migration')).toEqual([
      expect.objectContaining({ file: 'prisma/migrations/20250101000001_orders/migration.sql', severity: 'info', message: expect.stringContaining('reformatted') }),
    ])
    expect(code).toBe(1)
  })

  it('config globs that match nothing at the base: the base migrations are read where they were, and a note says so', () => {
    const repo = movedTo('sql', {
      'sql/003_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n',
      'migrate-lint.config.json': JSON.stringify({ migrations: ['sql/*.sql'] }),
    })
    const text = runCli(['--since', 'v1.0'], repo.dir)
    expect(text.stdout).toContain('The "migrations" globs ["sql/*.sql"] match nothing at v1.0: the shipped ones were read where they were then, in db/postgresql/migrations')
    expect(text.stdout).toContain('drop-column-still-read')
    expect(text.code).toBe(1)
  })

  it('a folder named migration that holds none of the migrations of now is not guessed at', () => {
    const repo = new TestRepo()
      .commit('v1.0', { 'src/migration/001_helper.sql': 'SELECT 1;\n', 'src/users/repo.ts': readsEmail })
      .tag('v1.0')
      .commit('first migrations', { 'migrations/001_users.sql': createUsers })
    const { doc } = lint(repo)
    expect(doc.release!.migrations.map(m => m.id)).toEqual(['migrations/001_users.sql'])
    expect(ruleIds(doc)).not.toContain('edited-released-migration')
  })
})
