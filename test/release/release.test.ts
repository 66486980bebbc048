import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from './git-repo.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const readsEmail = `import { db } from '../db'

export async function findUser(id: number) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('id', '=', id)
    .executeTakeFirst()
}
`
const readsNameOnly = `import { db } from '../db'

export async function findUser(id: number) {
  // we used to select users.email here
  return db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}
`
const dropEmail = 'ALTER TABLE users DROP COLUMN email;\n'

interface Doc {
  release: { base: string | null; head: string; verdict: string; revertSafe: boolean; migrations: { id: string; phase: string; findings: number }[] } | null
  findings: { ruleId: string; file: string; line: number; column: number; message: string; severity: string }[]
}

const lint = (repo: TestRepo, ...args: string[]) => {
  const run = runCli(['--format', 'json', ...args], repo.dir)
  return { ...run, doc: run.stdout ? (JSON.parse(run.stdout) as Doc) : null }
}

describe('release mode (--since)', () => {
  it('a column dropped in the same release it stopped being read: not revert-safe, exit 1', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail })
      .tag('v1.4')
      .commit('stop reading email and drop it', { 'src/users/repo.ts': readsNameOnly, 'migrations/002_drop_email.sql': dropEmail })
    const { code, doc } = lint(repo, '--since', 'v1.4')
    expect(code).toBe(1)
    expect(doc!.release).toMatchObject({ base: 'v1.4', head: 'HEAD', revertSafe: false })
    expect(doc!.release!.migrations).toEqual([{ id: 'migrations/002_drop_email.sql', file: 'migrations/002_drop_email.sql', phase: 'breaking', findings: 3 }])
    const still = doc!.findings.filter(f => f.ruleId === 'drop-column-still-read')
    expect(still).toEqual([expect.objectContaining({ file: 'migrations/002_drop_email.sql', line: 1, column: 1, severity: 'error' })])
    expect(still[0].message).toContain('v1.4')
    expect(still[0].message).toContain('src/users/repo.ts:6')
  })

  it('the read stopped in v1.3 and the drop lands after v1.4: revert-safe, exit 0', () => {
    const repo = new TestRepo()
      .commit('v1.3', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail })
      .tag('v1.3')
      .commit('stop reading email', { 'src/users/repo.ts': readsNameOnly })
      .tag('v1.4')
      .commit('drop email', { 'migrations/002_drop_email.sql': dropEmail })
    const { code, doc } = lint(repo, '--since', 'v1.4')
    expect(doc!.findings.filter(f => f.ruleId === 'drop-column-still-read')).toEqual([])
    expect(doc!.findings.map(f => f.ruleId)).toEqual(['drop-column-data-loss', 'missing-lock-timeout', 'missing-statement-timeout'])
    expect(doc!.release).toMatchObject({ base: 'v1.4', revertSafe: true })
    expect(doc!.release!.migrations.map(m => m.phase)).toEqual(['contract'])
    expect(code).toBe(0)
  })

  it('uses the newest tag matching tagPattern when --since is not given', () => {
    const repo = new TestRepo()
      .commit('v1.3', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail })
      .tag('v1.3')
      .commit('stop reading email', { 'src/users/repo.ts': readsNameOnly })
      .tag('v1.4')
      .tag('nightly-7')
      .commit('drop email', { 'migrations/002_drop_email.sql': dropEmail })
    expect(lint(repo).doc!.release).toMatchObject({ base: 'v1.4', revertSafe: true })
  })

  it('counts selectAll() at the base as a read of every column', () => {
    const selectAll = `export const all = (db: any) => db.selectFrom('users').selectAll().execute()\n`
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users/all.ts': selectAll })
      .tag('v1.4')
      .commit('drop', { 'src/users/all.ts': 'export {}\n', 'migrations/002_drop_email.sql': dropEmail })
    const { doc } = lint(repo, '--since', 'v1.4')
    expect(doc!.findings.filter(f => f.ruleId === 'drop-column-still-read')).toHaveLength(1)
    expect(doc!.release!.revertSafe).toBe(false)
  })

  it('flags a drop that the head code still reads', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers })
      .tag('v1.4')
      .commit('drop but still read', { 'src/users/repo.ts': readsEmail, 'migrations/002_drop_email.sql': dropEmail })
    const finding = lint(repo, '--since', 'v1.4').doc!.findings.find(f => f.ruleId === 'drop-column-still-read')
    expect(finding?.message).toMatch(/this release's code still reads it/)
  })

  it('a NOT NULL column added in the same release as its table is fine; on a shipped table it is not', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers })
      .tag('v1.4')
      .commit('more', {
        'migrations/002_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
        'migrations/003_orders_total.sql': 'ALTER TABLE orders ADD COLUMN total int NOT NULL;\nALTER TABLE users ADD COLUMN age int NOT NULL;\n',
      })
    const { doc } = lint(repo, '--since', 'v1.4')
    expect(doc!.findings.filter(f => f.ruleId === 'not-null-without-default').map(f => `${f.file}:${f.line}`)).toEqual([
      'migrations/003_orders_total.sql:2',
    ])
  })

  it('flags a shipped migration edited after the tag, not a whitespace-only edit, and counts uncommitted work', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'migrations/002_index.sql': 'CREATE INDEX users_name ON users (name);\n' })
      .tag('v1.4')
      .write({
        'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text, age int);\n',
        'migrations/002_index.sql': '\nCREATE INDEX users_name\n  ON users (name);\n',
      })
    const { code, doc } = lint(repo, '--since', 'v1.4')
    expect(doc!.findings.filter(f => f.ruleId === 'edited-released-migration')).toEqual([
      expect.objectContaining({ file: 'migrations/001_users.sql', line: 1, severity: 'error' }),
    ])
    expect(doc!.release!.revertSafe).toBe(false)
    expect(code).toBe(1)
  })

  it('flags a new migration that sorts before a shipped one', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'migrations/003_more.sql': 'SELECT 1;\n' })
      .tag('v1.4')
      .commit('late branch', { 'migrations/002_late.sql': 'CREATE TABLE t (id int);\n' })
    const finding = lint(repo, '--since', 'v1.4').doc!.findings.find(f => f.ruleId === 'out-of-order-migration')
    expect(finding).toMatchObject({ file: 'migrations/002_late.sql', line: 1, severity: 'error' })
  })

  it('without any tag, every migration is in the release and the output says so', () => {
    const repo = new TestRepo().commit('init', { 'migrations/001_users.sql': createUsers, 'migrations/002_age.sql': 'ALTER TABLE users ADD COLUMN age int NOT NULL;\n' })
    const text = runCli([], repo.dir)
    expect(text.stdout).toMatch(/No tag matching v\* is reachable from HEAD/)
    expect(text.stdout).toMatch(/^Release \(no base\)\.\.HEAD: revert-safe/m)
    expect(text.code).toBe(0)
  })

  it('starts the text report with the verdict line and prints the safe plan', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail })
      .tag('v1.4')
      .commit('drop', { 'src/users/repo.ts': readsNameOnly, 'migrations/002_drop_email.sql': dropEmail })
    const run = runCli(['--since', 'v1.4'], repo.dir)
    expect(run.stdout.split('\n')[0]).toBe('Release v1.4..HEAD: NOT revert-safe (1 blocking)')
    expect(run.stdout).toMatch(/migrations\/002_drop_email\.sql\s+breaking/)
    expect(run.stdout).toMatch(/Safe plan: /)
  })

  it('does not count migrations named by config globs as application code', () => {
    const backfill = `import type { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) {\n  await db.updateTable('users').set({ name: 'x' }).where('email', 'is', null).execute()\n}\n`
    const repo = new TestRepo()
      .commit('v1.4', {
        'migrate-lint.config.json': '{ "migrations": ["src/migrations/*.ts"] }',
        'src/migrations/001_users.ts': `import { sql, type Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) {\n  await sql\`${createUsers.trim()}\`.execute(db)\n}\n`,
        'src/migrations/002_backfill.ts': backfill,
      })
      .tag('v1.4')
      .commit('drop', { 'src/migrations/003_drop.ts': `import type { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) {\n  await db.schema.alterTable('users').dropColumn('email').execute()\n}\n` })
    const { doc } = lint(repo, '--since', 'v1.4')
    expect(doc!.findings.filter(f => f.ruleId === 'drop-column-still-read')).toEqual([])
    // With the migrations set apart, no application code is left: nothing can prove the drop unused (issue 12).
    expect(doc!.release).toMatchObject({ verdict: 'unproven', revertSafe: false })
    expect(doc!.findings.filter(f => f.ruleId === 'unproven-change').map(f => [f.file, f.line, f.message])).toEqual([
      ['src/migrations/003_drop.ts', 3, expect.stringMatching(/^DROP COLUMN users\.email: release v1\.4 may still use users\.email \(no application code matched .* at v1\.4\)/)],
    ])
  })

  it('--staged judges what is staged, not what is only in the working tree', () => {
    const repo = new TestRepo().commit('v1.4', { 'migrations/001_users.sql': createUsers }).tag('v1.4')
    repo.write({ 'migrations/002_age.sql': "SET lock_timeout = '1s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN age int NOT NULL;\n" })
    expect(lint(repo, '--staged').code).toBe(0)
    repo.git('add', 'migrations/002_age.sql')
    const staged = lint(repo, '--staged')
    expect(staged.code).toBe(1)
    expect(staged.doc!.release).toMatchObject({ base: 'v1.4', head: 'staged', revertSafe: false })
    expect(staged.doc!.findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['not-null-without-default migrations/002_age.sql:2'])
    repo.write({ 'migrations/002_age.sql': "SET lock_timeout = '1s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN age int;\n" })
    expect(lint(repo, '--staged').code, 'the fix is not staged yet').toBe(1)
    repo.git('add', 'migrations/002_age.sql')
    expect(lint(repo, '--staged').code).toBe(0)
  })

  it('--staged with no migration staged has nothing to judge, even when the release holds a bad one', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail })
      .tag('v1.4')
      .commit('bad, committed', { 'migrations/002_age.sql': 'ALTER TABLE users ADD COLUMN age int NOT NULL;\n' })
    repo.write({ 'src/users/repo.ts': readsNameOnly, 'migrations/003_wip.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    repo.git('add', 'src/users/repo.ts')
    const run = runCli(['--staged', '--format', 'json'], repo.dir)
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.stdout) as Doc & { summary: { files: number } }
    expect(doc.release).toMatchObject({ base: 'v1.4', head: 'staged', revertSafe: true, migrations: [] })
    expect(doc.findings).toEqual([])
    // The pre-commit hook prints nothing when no migration is staged (issue 17 item 5).
    expect(runCli(['--staged'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' })
    repo.git('add', 'migrations/003_wip.sql')
    expect(lint(repo, '--staged').doc!.findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)).toContain('drop-column-still-read migrations/003_wip.sql:1')
  })

  it('exits 2 with one line and the fix for an unknown ref', () => {
    const repo = new TestRepo().commit('init', { 'migrations/001_users.sql': createUsers })
    const run = runCli(['--since', 'v9.9'], repo.dir)
    expect(run.code).toBe(2)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/unknown git ref "v9.9".*git fetch --tags/)
  })

  it('exits 2 with the fix in a shallow clone whose history lacks the tag', () => {
    const origin = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers })
      .tag('v1.4')
      .commit('two', { 'migrations/002_a.sql': 'SELECT 1;\n' })
      .commit('three', { 'migrations/003_b.sql': 'SELECT 2;\n' })
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-shallow-'))
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-tags', `file://${origin.dir}`, clone], { env: { ...process.env, ...GIT_ENV } })
    for (const args of [['--since', 'v1.4'], []]) {
      const run = runCli(args, clone)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
      expect(run.stderr).toMatch(/shallow.*git fetch --tags --unshallow.*fetch-depth: 0/)
    }
  })
})
