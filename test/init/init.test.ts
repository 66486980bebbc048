import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { HOOK_COMMAND } from '../../src/init/plan.js'
import { BIN, runCli, tempTree } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from '../release/git-repo.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY);\n'
const notNullEmail = "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN email text NOT NULL;\n"
const nullableEmail = "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN email text;\n"

/**
 * A project as a user has it after `npm i -D migrate-lint`: package.json lists it and
 * node_modules/.bin/migrate-lint is the package's bin (here: this checkout's).
 */
function project(files: Record<string, string> = {}): TestRepo {
  const repo = new TestRepo().write({
    'package.json': `${JSON.stringify({ name: 'shop', private: true, devDependencies: { 'migrate-lint': '*' } }, null, 2)}\n`,
    '.gitignore': 'node_modules/\n',
    ...files,
  })
  fs.mkdirSync(path.join(repo.dir, 'node_modules/.bin'), { recursive: true })
  fs.symlinkSync(BIN, path.join(repo.dir, 'node_modules/.bin/migrate-lint'))
  return repo
}

const read = (repo: TestRepo, file: string) => fs.readFileSync(path.join(repo.dir, file), 'utf8')

/** `git commit` as a user runs it: hooks on, the result as a value. */
function commit(repo: TestRepo, message: string) {
  const result = spawnSync('git', ['commit', '-m', message], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('migrate-lint init', () => {
  it('does not follow links to folders while it looks for code and migrations (issue 14: x -> . twice listed 2^40 paths)', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers, 'src/users.ts': 'export {}\n' })
    fs.symlinkSync('.', path.join(repo.dir, 'src/a'))
    fs.symlinkSync('.', path.join(repo.dir, 'src/b'))
    repo.commit('one')
    const run = runCli(['init'], repo.dir)
    expect(run.code).toBe(0)
    expect(JSON.parse(read(repo, 'migrate-lint.config.json')).code).toEqual(['src/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,go,py,rb,java,kt,scala,cs,php,rs,ex,exs,sql,prisma}'])
  })

  it('names the code of every language it finds, and the Prisma schema, as code (issue 12: the text search reads them)', () => {
    const repo = project({
      'migrations/001_users.sql': createUsers,
      'cmd/mailer/main.go': 'package main\n',
      'prisma/schema.prisma': 'model User {\n  id Int @id\n  @@map("users")\n}\n',
    }).commit('one')
    expect(runCli(['init'], repo.dir).code).toBe(0)
    const ext = '{ts,tsx,mts,cts,js,jsx,mjs,cjs,go,py,rb,java,kt,scala,cs,php,rs,ex,exs,sql,prisma}'
    expect(JSON.parse(read(repo, 'migrate-lint.config.json')).code).toEqual([`cmd/**/*.${ext}`, '**/schema.prisma'])
  })

  it('writes the config, the pre-commit hook and the workflow; a second run changes nothing', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers, 'src/users.ts': 'export const users = 1\n' }).commit('v1.0').tag('v1.0')
    const first = runCli(['init'], repo.dir)
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('wrote migrate-lint.config.json: migrations: migrations (sql, 1 migration, found without config)')
    expect(first.stdout).toContain('wrote .git/hooks/pre-commit: runs `node_modules/.bin/migrate-lint --staged` before each commit')
    expect(first.stdout).toMatch(/\nCommit the config and the workflow; the hook runs on your next commit\.\n$/)
    expect(first.stdout).toContain('wrote .github/workflows/migrate-lint.yml')

    expect(JSON.parse(read(repo, 'migrate-lint.config.json'))).toEqual({
      code: ['src/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,go,py,rb,java,kt,scala,cs,php,rs,ex,exs,sql,prisma}'],
      tagPattern: 'v*',
      postgresVersion: 15,
    })
    const hook = path.join(repo.dir, '.git/hooks/pre-commit')
    expect(fs.statSync(hook).mode & 0o111).toBe(0o111)
    expect(read(repo, '.git/hooks/pre-commit')).toMatch(/^#!\/bin\/sh\n[\s\S]*\n {2}exec node_modules\/\.bin\/migrate-lint --staged\n[\s\S]*\necho 'migrate-lint: not installed — run npm install \(commit not checked\)' >&2\n$/)
    const workflow = parse(read(repo, '.github/workflows/migrate-lint.yml'))
    expect(Object.keys(workflow.on)).toEqual(['pull_request'])
    const steps = workflow.jobs['migrate-lint'].steps as Record<string, any>[]
    expect(steps[0]).toEqual({ uses: 'actions/checkout@v6', with: { 'fetch-depth': 0, 'persist-credentials': false } })
    expect(steps.map(s => s.run).filter(Boolean)).toEqual(['npm ci', 'npx migrate-lint --format github'])

    const before = ['migrate-lint.config.json', '.git/hooks/pre-commit', '.github/workflows/migrate-lint.yml'].map(f => {
      const stat = fs.statSync(path.join(repo.dir, f))
      return [f, read(repo, f), stat.mtimeMs]
    })
    const second = runCli(['init'], repo.dir)
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/Nothing changed/)
    expect(second.stdout).toContain('skipped migrate-lint.config.json: it is up to date')
    expect(second.stdout).toContain('skipped .git/hooks/pre-commit: it already runs migrate-lint')
    const after = before.map(([f]) => [f, read(repo, f as string), fs.statSync(path.join(repo.dir, f as string)).mtimeMs])
    expect(after).toEqual(before)
  })

  it('the written hook, run by `git commit`, blocks a not-null-without-default migration and lets a clean one through', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers }).commit('v1.0').tag('v1.0')
    expect(runCli(['init'], repo.dir).code).toBe(0)
    const head = repo.git('rev-parse', 'HEAD')

    repo.write({ 'migrations/002_email.sql': notNullEmail }).git('add', 'migrations/002_email.sql')
    const blocked = commit(repo, 'add email')
    expect(blocked.code).not.toBe(0)
    expect(blocked.output).toContain('not-null-without-default')
    expect(blocked.output).toContain('migrations/002_email.sql:2:1')
    expect(repo.git('rev-parse', 'HEAD')).toBe(head)

    repo.write({ 'migrations/002_email.sql': nullableEmail }).git('add', 'migrations/002_email.sql')
    const passed = commit(repo, 'add email, nullable')
    expect(passed.output).toContain('revert-safe')
    expect(passed.code).toBe(0)
    expect(repo.git('rev-parse', 'HEAD')).not.toBe(head)
  })

  it('--force replaces the files init owns; an existing hook of someone else is kept without it', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers }).commit('one')
    repo.write({ 'migrate-lint.config.json': '{ "postgresVersion": 16 }\n', '.git/hooks/pre-commit': '#!/bin/sh\nmake lint\n' })
    const kept = runCli(['init'], repo.dir)
    expect(kept.stdout).toContain('skipped migrate-lint.config.json: it exists; --force replaces it')
    expect(kept.stdout).toContain('skipped .git/hooks/pre-commit: it exists; --force replaces it')
    expect(kept.stdout).toContain('wrote .github/workflows/migrate-lint.yml')
    expect(read(repo, '.git/hooks/pre-commit')).toBe('#!/bin/sh\nmake lint\n')
    const forced = runCli(['init', '--force'], repo.dir)
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('replaced migrate-lint.config.json')
    expect(forced.stdout).toContain('replaced .git/hooks/pre-commit')
    expect(forced.stdout).toContain('skipped .github/workflows/migrate-lint.yml: it is up to date')
    expect(read(repo, '.git/hooks/pre-commit')).toContain('migrate-lint --staged')
  })

  it('names a migrations folder the lint would not find by itself, and the code folders it finds', () => {
    const repo = project({
      'packages/api/db/migrations/001_users.sql': createUsers,
      'packages/api/src/users.ts': 'export {}\n',
      'apps/web/src/page.tsx': 'export {}\n',
      'docker-compose.yml': 'services:\n  db:\n    image: postgres:16-alpine\n',
    }).commit('one')
    const run = runCli(['init'], repo.dir)
    expect(run.code).toBe(0)
    expect(JSON.parse(read(repo, 'migrate-lint.config.json'))).toEqual({
      migrations: ['packages/api/db/migrations/**/*'],
      code: ['apps/web/src/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,go,py,rb,java,kt,scala,cs,php,rs,ex,exs,sql,prisma}', 'packages/api/src/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,go,py,rb,java,kt,scala,cs,php,rs,ex,exs,sql,prisma}'],
      tagPattern: 'v*',
      postgresVersion: 16,
    })
    expect(run.stdout).toContain('Postgres 16 (from docker-compose.yml)')
    // The written config is valid: the lint runs with it.
    expect(runCli([], repo.dir).code).toBe(0)
  })

  it('a Kysely migrations folder: the config names only its own files', () => {
    const repo = project({
      'db/migrations/2026_01_01_users.ts': "import type { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) {\n  await db.schema.createTable('users').addColumn('id', 'bigint', c => c.primaryKey()).execute()\n}\n",
    }).commit('one')
    fs.symlinkSync(path.resolve(__dirname, '../../node_modules/kysely'), path.join(repo.dir, 'node_modules/kysely'))
    const run = runCli(['init'], repo.dir)
    expect(run.stdout).toContain('migrations: db/migrations (kysely, 1 migration, found without config)')
    expect(JSON.parse(read(repo, 'migrate-lint.config.json')).migrations).toBeUndefined()
  })

  it('tags without a v: tagPattern follows them', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers }).commit('one').tag('1.4.0')
    runCli(['init'], repo.dir)
    expect(JSON.parse(read(repo, 'migrate-lint.config.json')).tagPattern).toBe('[0-9]*')
  })

  it('outside a git repository: config and workflow, no hook, and it says why', () => {
    const dir = tempTree({ 'migrations/001_users.sql': createUsers })
    const run = runCli(['init'], dir)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('skipped pre-commit hook: not a git repository')
    // Not "the hook runs on your next commit": there is none.
    expect(run.stdout).toMatch(/\nCommit the config and the workflow\.\n$/)
    expect(run.stdout).not.toContain('hook runs')
    expect(fs.existsSync(path.join(dir, 'migrate-lint.config.json'))).toBe(true)
    expect(fs.existsSync(path.join(dir, '.github/workflows/migrate-lint.yml'))).toBe(true)
  })

  it('no migrations yet: says where to name them', () => {
    const repo = project().commit('empty')
    const run = runCli(['init'], repo.dir)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('no migrations found yet')
    expect(run.stdout).toContain('note: No migrations found')
  })
})

describe('init with a hook manager', () => {
  it('husky: adds the command to .husky/pre-commit, once', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers, '.husky/pre-commit': 'npm test\n' }).commit('one')
    const run = runCli(['init'], repo.dir)
    expect(run.stdout).toContain('added migrate-lint to .husky/pre-commit')
    expect(read(repo, '.husky/pre-commit')).toBe(`npm test\n${HOOK_COMMAND}\n`)
    expect(fs.existsSync(path.join(repo.dir, '.git/hooks/pre-commit'))).toBe(false)
    expect(runCli(['init'], repo.dir).stdout).toContain('skipped .husky/pre-commit: it already runs migrate-lint')
  })

  it('husky without a pre-commit file yet: writes one', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers, '.husky/commit-msg': 'npx commitlint --edit "$1"\n' }).commit('one')
    runCli(['init'], repo.dir)
    expect(read(repo, '.husky/pre-commit')).toBe(`${HOOK_COMMAND}\n`)
    expect(fs.statSync(path.join(repo.dir, '.husky/pre-commit')).mode & 0o111).toBe(0o111)
  })

  it('lefthook: adds a pre-commit command, keeping the file as it was above it', () => {
    const original = '# our hooks\npre-push:\n  commands:\n    test:\n      run: npm test\n'
    const repo = project({ 'migrations/001_users.sql': createUsers, 'lefthook.yml': original }).commit('one')
    const run = runCli(['init'], repo.dir)
    expect(run.stdout).toContain('added migrate-lint to lefthook.yml')
    const text = read(repo, 'lefthook.yml')
    expect(text.startsWith(original)).toBe(true)
    expect(parse(text)['pre-commit']).toEqual({ commands: { 'migrate-lint': { run: HOOK_COMMAND } } })
  })

  it('a hook manager file it cannot edit is left alone, with what to add by hand', () => {
    const repo = project({ 'migrations/001_users.sql': createUsers, 'lefthook.yml': 'pre-commit: [unclosed\n' }).commit('one')
    const run = runCli(['init'], repo.dir)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/skipped lefthook\.yml: could not edit it \(.+\); add `.+` by hand/)
    expect(run.stdout).toContain(`; add \`${HOOK_COMMAND}\` by hand`)
    expect(read(repo, 'lefthook.yml')).toBe('pre-commit: [unclosed\n')
  })

  it('pre-commit framework: adds a local hook to repos', () => {
    const original = 'repos:\n-   repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n    -   id: trailing-whitespace\n'
    const repo = project({ 'migrations/001_users.sql': createUsers, '.pre-commit-config.yaml': original }).commit('one')
    runCli(['init'], repo.dir)
    const text = read(repo, '.pre-commit-config.yaml')
    expect(text.startsWith(original)).toBe(true)
    expect(parse(text).repos[1]).toEqual({
      repo: 'local',
      hooks: [{ id: 'migrate-lint', name: 'migrate-lint', entry: `sh -c "${HOOK_COMMAND}"`, language: 'system', pass_filenames: false }],
    })
  })
})
