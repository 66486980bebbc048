// The pre-commit hook as a user meets it (issue 17, item 5): `git commit` in a real repository runs the
// hook `init` wrote, which calls the project's own binary. Silent when no migration is staged, the
// finding when one is unsafe, one line when node_modules is missing.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FRAMEWORK_LOCAL_HOOK, HOOK_COMMAND, NOT_INSTALLED } from '../../src/init/plan.js'
import { BIN, runCli } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from '../release/git-repo.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY);\n'
const timeouts = "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n"
const addName = `${timeouts}ALTER TABLE users ADD COLUMN name text;\n`
const notNullEmail = `${timeouts}ALTER TABLE users ADD COLUMN email text NOT NULL;\n`

/** A project after `npm i -D migrate-lint`: node_modules/.bin/migrate-lint is this checkout's bin. */
function installed(repo: TestRepo): TestRepo {
  fs.mkdirSync(path.join(repo.dir, 'node_modules/.bin'), { recursive: true })
  fs.symlinkSync(BIN, path.join(repo.dir, 'node_modules/.bin/migrate-lint'))
  return repo
}

/** Released v1.0 (one migration), then one more migration committed for the next release; init run. */
function releaseInProgress(): TestRepo {
  const repo = new TestRepo()
    .write({ '.gitignore': 'node_modules/\n', 'package.json': '{ "name": "shop", "private": true, "devDependencies": { "migrate-lint": "*" } }\n' })
    .commit('v1.0', { 'migrations/001_users.sql': createUsers })
    .tag('v1.0')
    .commit('name', { 'migrations/002_name.sql': addName })
  installed(repo)
  expect(runCli(['init'], repo.dir).code).toBe(0)
  repo.commit('migrate-lint init')
  return repo
}

/**
 * `git commit -q` as a user runs it (hooks on): git itself prints nothing, so the output is the hook's
 * (git sends a hook's stdout to its stderr).
 */
function commit(repo: TestRepo, message: string) {
  const result = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const head = (repo: TestRepo) => repo.git('rev-parse', 'HEAD').trim()

describe('the pre-commit hook init writes, run by git commit', () => {
  it('calls the project\'s own binary, not npx', () => {
    const repo = releaseInProgress()
    const hook = fs.readFileSync(path.join(repo.dir, '.git/hooks/pre-commit'), 'utf8')
    expect(hook).toContain('exec node_modules/.bin/migrate-lint --staged\n')
    expect(hook).not.toContain('npx')
  })

  it('a commit that stages no migration: prints nothing, exit 0, the commit is made', () => {
    const repo = releaseInProgress()
    const before = head(repo)
    repo.write({ 'README.md': '# shop\n' }).git('add', 'README.md')
    expect(commit(repo, 'readme')).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(head(repo)).not.toBe(before)
  })

  it('a staged unsafe migration blocks the commit with the rule id and file:line; the header counts the committed migration, never "no migrations"', () => {
    const repo = releaseInProgress()
    const before = head(repo)
    repo.write({ 'migrations/003_email.sql': notNullEmail }).git('add', 'migrations/003_email.sql')
    const blocked = commit(repo, 'email')
    expect(blocked.code).toBe(1)
    expect(blocked.stderr).toContain('migrations/003_email.sql:2:1  error  not-null-without-default')
    expect(blocked.stderr.split('\n').slice(0, 3)).toEqual([
      'Release v1.0..staged: NOT revert-safe (1 blocking)',
      '  migrations/003_email.sql  breaking',
      '  (and 1 committed migration of this release, replayed, not judged again)',
    ])
    expect(blocked.stderr).not.toContain('no migrations in this release')
    expect(head(repo)).toBe(before)
  })

  it('a clone without node_modules: the one line on stderr, and the commit goes through', () => {
    const repo = releaseInProgress()
    fs.rmSync(path.join(repo.dir, 'node_modules'), { recursive: true })
    const before = head(repo)
    repo.write({ 'migrations/003_email.sql': notNullEmail }).git('add', 'migrations/003_email.sql')
    expect(commit(repo, 'email')).toEqual({ code: 0, stdout: '', stderr: `${NOT_INSTALLED}\n` })
    expect(NOT_INSTALLED).toBe('migrate-lint: not installed — run npm install (commit not checked)')
    expect(head(repo)).not.toBe(before)
  })
})

describe('the hook line of husky, lefthook and the pre-commit framework\'s local hook', () => {
  /** How each runs it: husky and lefthook through sh; the framework runs its entry `sh -c "…"` as a program. */
  const runners = {
    shell: (cwd: string) => spawnSync('sh', ['-c', HOOK_COMMAND], { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } }),
    framework: (cwd: string) => {
      const [program, flag, script] = FRAMEWORK_LOCAL_HOOK.entry.match(/^(\S+) (\S+) "(.*)"$/)!.slice(1)
      return spawnSync(program, [flag, script], { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' } })
    },
  }
  for (const [name, run] of Object.entries(runners)) {
    it(`${name}: silent with no staged migration, blocks an unsafe one, one line without node_modules`, () => {
      const repo = installed(new TestRepo().commit('v1.0', { 'migrations/001_users.sql': createUsers }).tag('v1.0'))
      repo.write({ 'README.md': '# shop\n' }).git('add', 'README.md')
      expect(run(repo.dir)).toMatchObject({ status: 0, stdout: '', stderr: '' })

      repo.write({ 'migrations/002_email.sql': notNullEmail }).git('add', 'migrations/002_email.sql')
      const blocked = run(repo.dir)
      expect(blocked.status).toBe(1)
      expect(blocked.stdout).toContain('migrations/002_email.sql:2:1  error  not-null-without-default')

      fs.rmSync(path.join(repo.dir, 'node_modules'), { recursive: true })
      expect(run(repo.dir)).toMatchObject({ status: 0, stdout: '', stderr: `${NOT_INSTALLED}\n` })
    })
  }
})

describe('migrate-lint --staged, as the hook calls it', () => {
  it('nothing staged: no output with the text format; a machine format still writes its document', () => {
    const repo = new TestRepo().commit('v1.0', { 'migrations/001_users.sql': createUsers }).tag('v1.0')
    repo.write({ 'README.md': '# shop\n' }).git('add', 'README.md')
    expect(runCli(['--staged'], repo.dir)).toEqual({ code: 0, stdout: '', stderr: '' })
    const json = runCli(['--staged', '--format', 'json'], repo.dir)
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).release).toMatchObject({ head: 'staged', verdict: 'revert-safe', migrations: [] })
  })

  it('a staged edit of a released migration: the finding, under a header that says no staged migration was judged', () => {
    const repo = new TestRepo().commit('v1.0', { 'migrations/001_users.sql': createUsers }).tag('v1.0').commit('name', { 'migrations/002_name.sql': addName })
    repo.write({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' }).git('add', 'migrations/001_users.sql')
    const run = runCli(['--staged'], repo.dir)
    expect(run.stdout.split('\n').slice(1, 3)).toEqual([
      '  (no staged migration to judge)',
      '  (and 1 committed migration of this release, replayed, not judged again)',
    ])
    expect(run.stdout).toContain('migrations/001_users.sql:1:1')
    expect(run.stdout).toContain('edited-released-migration')
    expect(run.stdout).not.toContain('no migrations in this release')
  })
})

describe('init where an earlier init wrote the npx hook', () => {
  const oldLine = 'npx --no-install migrate-lint --staged'

  it('.git/hooks/pre-commit: says why and that --force rewrites it; --force writes the hook that calls the binary', () => {
    const repo = installed(new TestRepo().commit('v1.0', { 'migrations/001_users.sql': createUsers }))
    repo.write({ '.git/hooks/pre-commit': `#!/bin/sh\nexec ${oldLine}\n` })
    const kept = runCli(['init'], repo.dir)
    expect(kept.stdout).toContain(`skipped .git/hooks/pre-commit: it runs \`${oldLine}\` (≈ 0.5 s a commit); --force rewrites it to call node_modules/.bin/migrate-lint\n`)
    expect(runCli(['init', '--force'], repo.dir).stdout).toContain('replaced .git/hooks/pre-commit: runs `node_modules/.bin/migrate-lint --staged` before each commit')
    expect(fs.readFileSync(path.join(repo.dir, '.git/hooks/pre-commit'), 'utf8')).not.toContain('npx')
  })

  it('a hook manager\'s file is left as it is, with the line to put in its place', () => {
    const repo = installed(new TestRepo().commit('v1.0', { 'migrations/001_users.sql': createUsers, '.husky/pre-commit': `npm test\n${oldLine}\n` }))
    const run = runCli(['init'], repo.dir)
    expect(run.stdout).toContain(`skipped .husky/pre-commit: it runs \`${oldLine}\` (≈ 0.5 s a commit, and npm's 404 without node_modules); replace it with \`${HOOK_COMMAND}\`\n`)
    expect(fs.readFileSync(path.join(repo.dir, '.husky/pre-commit'), 'utf8')).toBe(`npm test\n${oldLine}\n`)
  })
})
