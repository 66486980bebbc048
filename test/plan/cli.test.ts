// `migrate-lint plan` as a process: bad input is one line on stderr and exit 2; --dry-run writes
// nothing; a second run never overwrites without --force; dbmate and diesel projects get their own way
// of running a migration outside a transaction, lint clean, and apply on PGlite as those runners send
// them; a reserved word as a table name is quoted.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { APP_V1, at, lint, newFiles, pgliteForThisFile, project } from './helpers.js'

const db = pgliteForThisFile()

const read = (repo: TestRepo, file: string) => fs.readFileSync(path.join(repo.dir, file), 'utf8')
const DBMATE_INIT =
  "-- migrate:up\nSET lock_timeout = '5s';\nSET statement_timeout = '60s';\n" +
  'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text, legacy_email text NOT NULL);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, amount integer NOT NULL);\n' +
  "-- migrate:down\nSET lock_timeout = '5s';\nSET statement_timeout = '60s';\nDROP TABLE orders;\nDROP TABLE users;\n"

describe('migrate-lint plan: input it cannot plan is exit 2 and one line', () => {
  const repo = project('sql')
  it.each([
    [['plan', 'merge-tables', 'a', 'b'], 'migrate-lint: plan: unknown change "merge-tables"; one of: drop-column, rename-column, rename-table, change-type, set-not-null, add-foreign-key, add-unique.\n'],
    [['plan', 'rename-column', 'users.name'], 'migrate-lint: plan rename-column: expected `migrate-lint plan rename-column <table.column> <new_name>`, got users.name.\n'],
    [['plan', 'drop-column', 'users'], 'migrate-lint: "users" is not <table.column>: expected `migrate-lint plan drop-column <table.column>`.\n'],
    [['plan', 'drop-column', 'users.nope'], 'migrate-lint: users has no column nope in the schema the migrations build (its columns: id, name, email, legacy_email).\n'],
    [['plan', 'drop-column', 'people.email'], 'migrate-lint: No table people in the schema the migrations build: check the name, or the folder the plan reads (--dir).\n'],
    [['plan', 'change-type', 'orders.amount', 'int; DROP TABLE users'], 'migrate-lint: "int; DROP TABLE users" is not a type such as bigint or numeric(12,2).\n'],
    [['plan', 'change-type', 'users.email', 'TEXT'], 'migrate-lint: users.email is text already.\n'],
    [['plan', 'set-not-null', 'users.email', '--fill', "'x'; DELETE FROM users"], `migrate-lint: "'x'; DELETE FROM users" is not one SQL expression such as 'unknown' or 0.\n`],
    [['plan', 'set-not-null', 'users.name'], 'migrate-lint: users.name is NOT NULL already.\n'],
    [['plan', 'add-foreign-key', 'orders.amount', 'users.email'], 'migrate-lint: users.email is neither a primary key nor unique: a foreign key must reference one (plan add-unique users.email first).\n'],
    [['plan', 'rename-column', 'users.name', 'full_name', '--contract'], 'migrate-lint: users.full_name does not exist: release N has not run here. Write it first: migrate-lint plan rename-column users.name full_name\n'],
  ])('%j', (args, stderr) => {
    const run = runCli(args, repo.dir)
    expect(run).toMatchObject({ code: 2, stdout: '', stderr })
    expect(newFiles(repo, new Set(['001_init.sql']))).toEqual([])
  })
})

describe('migrate-lint plan writes files', () => {
  it('--dry-run prints every file of both releases and writes none', () => {
    const repo = project('sql')
    const run = runCli(['plan', 'set-not-null', 'users.email', '--dry-run'], repo.dir)
    expect(run.code).toBe(0)
    expect(newFiles(repo, new Set(['001_init.sql']))).toEqual([])
    expect(run.stdout.split('\n').filter(l => l.startsWith('==> '))).toEqual([
      '==> migrations/002_not_null_users_email_check.sql (would write now)',
      '==> migrations/003_not_null_users_email_validate.sql (written by --contract after release N)',
      '==> migrations/004_not_null_users_email.sql (written by --contract after release N)',
    ])
    expect(run.stdout).toContain('ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n')
    // The checklist is printed, and the first file of each release carries its release's part as comments.
    expect(run.stdout).toContain('  Code checklist for release N:\n  - Before release N: every INSERT and UPDATE of the code writes users.email')
    expect(run.stdout).toContain('-- Release N (expand), migration 1 of 1 of this release: a CHECK (email IS NOT NULL) NOT VALID on users')
    expect(run.stdout).toContain('-- Checklist for release N:\n-- - Before release N: every INSERT and UPDATE of the code writes users.email')
    expect(run.stdout).toContain('-- Release N+1 (contract), migration 1 of 2 of this release: validate users_email_not_null')
  })

  it('a second run finds its files and leaves them; --force replaces an edited one', () => {
    const repo = project('sql')
    expect(runCli(['plan', 'rename-column', 'users.name', 'full_name'], repo.dir).code).toBe(0)
    const files = newFiles(repo, new Set(['001_init.sql']))
    expect(files).toEqual(['002_rename_users_name_expand.sql', '003_rename_users_name_backfill.sql'])
    const expand = 'migrations/002_rename_users_name_expand.sql'
    const original = read(repo, expand)
    fs.writeFileSync(path.join(repo.dir, expand), `${original}-- edited by hand\n`)
    const again = runCli(['plan', 'rename-column', 'users.name', 'full_name'], repo.dir)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`    skipped (it exists; --force replaces it): ${expand}\n`)
    expect(again.stdout).toContain('    skipped (it is up to date): migrations/003_rename_users_name_backfill.sql\n')
    expect(read(repo, expand)).toBe(`${original}-- edited by hand\n`)
    const forced = runCli(['plan', 'rename-column', 'users.name', 'full_name', '--force'], repo.dir)
    expect(forced.stdout).toContain(`    replaced ${expand}\n`)
    expect(read(repo, expand)).toBe(original)
    expect(newFiles(repo, new Set(['001_init.sql', ...files]))).toEqual([])
  })

  it('quotes a reserved word: rename-table user accounts lints clean and runs', async () => {
    const repo = new TestRepo()
      .write({ 'migrations/001_init.sql': "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\nCREATE TABLE \"user\" (id bigint PRIMARY KEY, name text);\n", 'src/q.ts': "export const q = 'SELECT id, name FROM \"user\"'\n" })
      .commit('v1')
      .tag('v1')
    expect(runCli(['plan', 'rename-table', 'user', 'accounts'], repo.dir).code).toBe(0)
    const text = read(repo, 'migrations/002_rename_user_to_accounts.sql')
    expect(text).toContain('ALTER TABLE "user" RENAME TO accounts;\nCREATE VIEW "user" AS SELECT * FROM accounts;\n')
    repo.commit('release 2', { 'src/q.ts': "export const q = 'SELECT id, name FROM accounts'\n" })
    const n = lint(repo, 'v1')
    expect({ verdict: n.verdict, findings: n.findings.map(f => f.ruleId) }).toEqual({ verdict: 'revert-safe', findings: [] })
    await db.pg.exec(`CREATE SCHEMA reserved; SET search_path TO reserved; ${read(repo, 'migrations/001_init.sql')} ${text}`)
    await db.pg.exec('INSERT INTO "user" (id, name) VALUES (1, \'through the view\')')
    expect((await db.pg.query('SELECT name FROM reserved.accounts')).rows).toEqual([{ name: 'through the view' }])
    await db.pg.exec('SET search_path TO public')
  })
})

describe('migrate-lint plan rename-column of a column with a default', () => {
  it('the trigger keeps both columns equal whichever one an INSERT writes; the default moves with the contract', async () => {
    const repo = new TestRepo()
      .write({ 'migrations/001_init.sql': "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\nCREATE TABLE users (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'active');\n" })
      .commit('v1')
      .tag('v1')
    const seen = new Set<string>()
    const run = async (files: string[]) => {
      for (const file of files) await db.pg.exec(read(repo, `migrations/${file}`))
    }
    await db.pg.exec('CREATE SCHEMA defaults; SET search_path TO defaults')
    await run(newFiles(repo, seen))
    await db.pg.exec("INSERT INTO users (id, status) VALUES (1, 'before')")
    expect(runCli(['plan', 'rename-column', 'users.status', 'state'], repo.dir).code).toBe(0)
    await run(newFiles(repo, seen))
    // The previous release leaves state out; the new code writes state, or leaves both to the default.
    await db.pg.exec("INSERT INTO users (id, status) VALUES (2, 'old code'); INSERT INTO users (id, state) VALUES (3, 'new code'); INSERT INTO users (id) VALUES (4)")
    await db.pg.exec("UPDATE users SET status = 'old update' WHERE id = 1; UPDATE users SET state = 'new update' WHERE id = 2")
    const both = 'SELECT id, status, state FROM users ORDER BY id'
    expect((await db.pg.query(both)).rows).toEqual([
      { id: 1, status: 'old update', state: 'old update' },
      { id: 2, status: 'new update', state: 'new update' },
      { id: 3, status: 'new code', state: 'new code' },
      { id: 4, status: 'active', state: 'active' },
    ])
    repo.commit('release 2').tag('v2')
    expect(runCli(['plan', 'rename-column', 'users.status', 'state', '--contract'], repo.dir).code).toBe(0)
    await run(newFiles(repo, seen))
    await db.pg.exec('INSERT INTO users (id) VALUES (5)')
    expect((await db.pg.query('SELECT state FROM users WHERE id = 5')).rows).toEqual([{ state: 'active' }])
    expect((await db.pg.query("SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'defaults' AND table_name = 'users' ORDER BY 1")).rows).toEqual([
      { column_name: 'id', is_nullable: 'NO' },
      { column_name: 'state', is_nullable: 'NO' },
    ])
    await db.pg.exec('SET search_path TO public')
  })
})

describe.each(['dbmate', 'diesel'] as const)('migrate-lint plan in a %s project', layout => {
  const init = (): TestRepo =>
    new TestRepo()
      .write(
        layout === 'dbmate'
          ? { 'db/migrations/20240101120000_init.sql': DBMATE_INIT }
          : {
              'migrations/2024-01-01-120000_init/up.sql': DBMATE_INIT.split('-- migrate:down\n')[0].replace('-- migrate:up\n', ''),
              'migrations/2024-01-01-120000_init/down.sql': DBMATE_INIT.split('-- migrate:down\n')[1],
            },
      )
      .write({ 'src/queries.ts': APP_V1 })
      .commit('release 1')
      .tag('v1')

  it('add-unique: the CONCURRENTLY index runs outside a transaction, as the runner is told to; lints clean; runs', async () => {
    const repo = init()
    const run = runCli(['plan', 'add-unique', 'users.email'], repo.dir)
    expect(run.code).toBe(0)
    const folder = layout === 'dbmate' ? 'db/migrations' : 'migrations'
    const names = fs.readdirSync(path.join(repo.dir, folder)).sort()
    expect(names[0]).toMatch(layout === 'dbmate' ? /^20240101120000_init\.sql$/ : /^2024-01-01-120000_init$/)
    const stamp = layout === 'dbmate' ? /^\d{14}_unique_users_email_index\.sql$/ : /^\d{4}-\d{2}-\d{2}-\d{6}_unique_users_email_index$/
    expect(names[1]).toMatch(stamp)
    expect(names.length).toBe(3)
    const index = path.join(repo.dir, folder, names[1])
    const attach = path.join(repo.dir, folder, names[2])
    if (layout === 'dbmate') {
      expect(fs.readFileSync(index, 'utf8')).toContain('-- migrate:up transaction:false\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (email);\n')
      expect(fs.readFileSync(attach, 'utf8')).toContain('-- migrate:up\n')
    } else {
      expect(fs.readdirSync(index).sort()).toEqual(['down.sql', 'metadata.toml', 'up.sql'])
      expect(fs.readFileSync(path.join(index, 'metadata.toml'), 'utf8')).toBe('run_in_transaction = false\n')
      expect(fs.readdirSync(attach).sort()).toEqual(['down.sql', 'up.sql'])
    }
    repo.commit('release 2')
    const n = lint(repo, 'v1')
    expect({ verdict: n.verdict, errors: at(n.findings, 'error'), warnings: at(n.findings, 'warning'), infos: at(n.findings, 'info') }).toEqual({
      verdict: 'revert-safe',
      errors: [],
      warnings: [],
      infos: [],
    })
    // As the runner sends them: dbmate's section (in BEGIN … COMMIT unless transaction:false), diesel's up.sql likewise.
    const schema = `plan_${layout}`
    await db.pg.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`)
    for (const name of names) {
      const file = path.join(repo.dir, folder, name)
      const text = layout === 'dbmate' ? fs.readFileSync(file, 'utf8').split('-- migrate:down')[0] : fs.readFileSync(path.join(file, 'up.sql'), 'utf8')
      const outside = layout === 'dbmate' ? /migrate:up transaction:false/.test(text) : fs.existsSync(path.join(file, 'metadata.toml'))
      await db.pg.exec(outside ? text : `BEGIN;\n${text}\nCOMMIT;`)
    }
    expect((await db.pg.query(`SELECT conname FROM pg_constraint WHERE conrelid = '${schema}.users'::regclass AND contype = 'u'`)).rows).toEqual([{ conname: 'users_email_key' }])
    await db.pg.exec('SET search_path TO public')
  })
})
