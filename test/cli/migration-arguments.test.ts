// Where the migrations come from (issue 17, items 2 and 3): config "migrations" folders, a bare
// string, and files named on the command line that fit no layout of their folder.
import { describe, expect, it } from 'vitest'
import { TestRepo } from '../release/git-repo.js'
import { runCli, tempTree } from './helpers.js'

const TIMEOUTS = "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n"

/** A golang-migrate folder (pairs of up and down files) where the app keeps it, not a usual folder. */
const golang = {
  'src/db/migrations/1_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
  'src/db/migrations/1_users.down.sql': 'DROP TABLE users;\n',
  'src/db/migrations/2_email.up.sql': `${TIMEOUTS}ALTER TABLE users ADD COLUMN email text NOT NULL;\n`,
  'src/db/migrations/2_email.down.sql': `${TIMEOUTS}ALTER TABLE users DROP COLUMN email;\n`,
}

function lint(cwd: string, ...args: string[]) {
  const run = runCli(['--format', 'json', ...args], cwd, { MIGRATE_LINT_NO_CACHE: '1' })
  const doc = run.stdout ? (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number }[]; summary: { files: number } }) : null
  return { ...run, doc, found: doc?.findings.map(f => `${f.ruleId} ${f.file}:${f.line}`) }
}

describe('config "migrations" takes folders', () => {
  it('a folder is read as the same folder on the command line: its layout detected (golang-migrate pairs, downs found)', () => {
    const fromCli = lint(tempTree(golang), 'src/db/migrations')
    expect(fromCli.code).toBe(1)
    expect(fromCli.found).toEqual(['not-null-without-default src/db/migrations/2_email.up.sql:2'])
    expect(fromCli.doc?.summary.files).toBe(4)
    for (const migrations of ['["src/db/migrations"]', '"src/db/migrations"', '["src/db/migrations/"]']) {
      const run = lint(tempTree({ ...golang, 'migrate-lint.config.json': `{ "migrations": ${migrations} }` }))
      expect([run.code, run.stdout]).toEqual([fromCli.code, fromCli.stdout])
    }
  })

  it('every command reads them: plan finds its tables in a config folder', () => {
    const run = runCli(['plan', 'drop-column', 'users.email', '--dry-run'], tempTree({ ...golang, 'migrate-lint.config.json': '{ "migrations": ["src/db/migrations"] }' }))
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')[0]).toBe('Plan: drop-column users.email (golang-migrate migrations in src/db/migrations)')
  })

  it('folders and globs together: each file once, the folder with its layout', () => {
    const run = lint(
      tempTree({
        ...golang,
        'db/hotfixes/20240101_fix.sql': `${TIMEOUTS}ALTER TABLE users ALTER COLUMN id TYPE int;\n`,
        'migrate-lint.config.json': '{ "migrations": ["src/db/migrations", "db/hotfixes/*.sql", "src/db/migrations/*.up.sql"] }',
      }),
    )
    expect(run.found).toEqual(['not-null-without-default src/db/migrations/2_email.up.sql:2', 'change-column-type db/hotfixes/20240101_fix.sql:2'])
    expect(run.doc?.summary.files).toBe(5)
  })

  it('a !pattern entry leaves files out of the folders and the globs alike, on disk and at the base', () => {
    const config = (...entries: string[]) => JSON.stringify({ migrations: ['src/db/migrations', 'db/hotfixes/*.sql', ...entries], code: ['app/**'] })
    const hotfix = { 'db/hotfixes/20240101_fix.sql': 'CREATE TABLE notes (id int);\n' }
    const folder = lint(tempTree({ ...golang, ...hotfix, 'migrate-lint.config.json': config('!src/db/migrations/2_*') }))
    expect([folder.code, folder.found, folder.doc?.summary.files]).toEqual([0, [], 3])
    const release = (...entries: string[]) =>
      new TestRepo()
        .commit('v1', { ...golang, ...hotfix, 'migrate-lint.config.json': config(...entries) })
        .tag('v1.0')
        .commit('next', { 'db/hotfixes/20250101_fix.sql': `${TIMEOUTS}ALTER TABLE users ALTER COLUMN id TYPE int;\n` })
    expect(lint(release().dir, '--since', 'v1.0').found).toEqual(['change-column-type db/hotfixes/20250101_fix.sql:2'])
    const excluded = lint(release('!db/hotfixes/2025*').dir, '--since', 'v1.0')
    expect([excluded.code, excluded.found]).toEqual([0, []])
  })

  it('an empty list, an empty entry or another type is an error naming the key (exit 2, one line)', () => {
    const cases: [string, string][] = [
      ['[]', '"migrations" lists nothing to read: name a folder or a glob, or leave the key out to use the usual folders.'],
      ['["!src/db/migrations/1_*"]', '"migrations" lists nothing to read: name a folder or a glob, or leave the key out to use the usual folders.'],
      ['[""]', '"migrations" must be a folder, a glob or a list of them (got [""]).'],
      ['42', '"migrations" must be a folder, a glob or a list of them (got 42).'],
      ['{ "dir": "db" }', '"migrations" must be a folder, a glob or a list of them (got {"dir":"db"}).'],
    ]
    for (const [value, message] of cases) {
      const dir = tempTree({ ...golang, 'migrate-lint.config.json': `{ "migrations": ${value} }` })
      const run = runCli([], dir)
      expect(run.code).toBe(2)
      expect(run.stderr).toBe(`migrate-lint: ${dir}/migrate-lint.config.json: ${message}\n`)
    }
  })

  it('--since reads the config folder at the base too: the shipped migrations are not judged again', () => {
    const repo = new TestRepo()
      .commit('v1', { 'migrate-lint.config.json': '{ "migrations": ["src/db/migrations"], "code": ["app/**/*.ts"] }', ...golang })
      .tag('v1.0')
      .commit('3', { 'src/db/migrations/3_age.up.sql': `${TIMEOUTS}ALTER TABLE users ADD COLUMN age int NOT NULL;\n`, 'src/db/migrations/3_age.down.sql': 'ALTER TABLE users DROP COLUMN age;\n' })
    const run = lint(repo.dir)
    expect(run.code).toBe(1)
    expect(run.found).toEqual(['not-null-without-default src/db/migrations/3_age.up.sql:2'])
  })
})

describe('files named on the command line', () => {
  const folder = {
    ...golang,
    'src/db/migrations/hotfix.sql': 'CREATE INDEX users_email ON users (email);\n',
    'src/db/migrations/notes.txt': 'remember the backfill\n',
  }

  it('a folder argument keeps its layout: a file that fits none is reported, not linted', () => {
    const run = lint(tempTree(folder), 'src/db/migrations')
    expect(run.found).toEqual([
      'not-null-without-default src/db/migrations/2_email.up.sql:2',
      'unknown-migration-file src/db/migrations/hotfix.sql:1',
      'unknown-migration-file src/db/migrations/notes.txt:1',
    ])
  })

  it('a named .sql file that fits no layout is linted as a plain SQL migration; the migrations in name order, not the order given', () => {
    const run = lint(tempTree(folder), 'src/db/migrations/hotfix.sql', 'src/db/migrations/2_email.up.sql')
    expect(run.code).toBe(1)
    expect(run.found).toEqual([
      'not-null-without-default src/db/migrations/2_email.up.sql:2',
      'create-index-non-concurrently src/db/migrations/hotfix.sql:1',
      'missing-lock-timeout src/db/migrations/hotfix.sql:1',
      'missing-statement-timeout src/db/migrations/hotfix.sql:1',
    ])
    // 2_email brought its down: no irreversible-migration note; hotfix.sql is one file.
    expect(run.doc?.summary.files).toBe(3)
  })

  it('a named down brings its migration (the up it reverts), as the runner pairs them', () => {
    const run = lint(tempTree(folder), 'src/db/migrations/2_email.down.sql')
    expect(run.found).toEqual(['not-null-without-default src/db/migrations/2_email.up.sql:2'])
    expect(run.doc?.summary.files).toBe(2)
  })

  it('a named file that cannot be a migration is an error naming it (exit 2, one line)', () => {
    const run = runCli(['src/db/migrations/hotfix.sql', 'src/db/migrations/notes.txt'], tempTree(folder))
    expect(run.code).toBe(2)
    expect(run.stderr).toBe('migrate-lint: src/db/migrations/notes.txt: not a migration. Name .sql files, Kysely migrations (.ts, .js) or their folders.\n')
  })

  it("squawk's way, in a release: the changed files of `git diff --name-only v1.0 -- '*.sql'`", () => {
    const repo = new TestRepo().commit('v1', golang).tag('v1.0')
    repo.commit('hotfix', { 'src/db/migrations/hotfix.sql': `${TIMEOUTS}ALTER TABLE users ALTER COLUMN id TYPE int;\n` })
    const changed = repo.git('diff', '--name-only', 'v1.0', '--', '*.sql').trim().split('\n')
    expect(changed).toEqual(['src/db/migrations/hotfix.sql'])
    const run = lint(repo.dir, '--since', 'v1.0', ...changed)
    expect(run.code).toBe(1)
    expect(run.found).toEqual(['change-column-type src/db/migrations/hotfix.sql:2'])
  })
})
