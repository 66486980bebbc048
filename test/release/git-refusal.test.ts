// Issue 14: what git cannot do for a run is said, with exit code 2, never taken for "no history".
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli, tempTree } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from './git-repo.js'

const env = { ...GIT_ENV, MIGRATE_LINT_NO_CACHE: '1' }

function releasedRepo(): TestRepo {
  return new TestRepo().commit('v1', { 'migrations/001_users.sql': 'CREATE TABLE users (id int, email text);\n' }).tag('v1.0.0')
}

describe('git refusing the repository (dubious ownership)', () => {
  // git 2.39+ treats the repository as another user's with this test knob, as a CI container's checkout is.
  const otherOwner = { ...env, GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' }

  it('is exit 2 with git\'s reason and the fix, with or without --since, and for --staged', () => {
    const repo = releasedRepo()
    const root = fs.realpathSync(repo.dir)
    const expected =
      `migrate-lint: git refuses to read the repository: detected dubious ownership in repository at '${root}' ` +
      '(it belongs to another user than the one running migrate-lint). ' +
      `If you trust it: git config --global --add safe.directory ${root}\n`
    for (const args of [[], ['--since', 'v1.0.0'], ['--staged']]) {
      const run = runCli(args, repo.dir, otherOwner)
      expect({ args, code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ args, code: 2, stderr: expected, stdout: '' })
    }
  })
})

describe('--since and --staged outside a git repository', () => {
  it('are exit 2, never ignored; without them the plain lint runs', () => {
    const dir = fs.realpathSync(tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id int);\n' }))
    for (const [args, option] of [[['--since', 'v1.0.0'], '--since'], [['--staged'], '--staged']] as const) {
      const run = runCli([...args], dir, env)
      expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({
        code: 2,
        stderr: `migrate-lint: ${option} needs a git repository, and ${dir} is not in one: run migrate-lint inside the repository, or leave the option out.\n`,
        stdout: '',
      })
    }
    expect(runCli([], dir, env).code).toBe(0)
  })
})

describe('--staged during a merge conflict', () => {
  it('is exit 2: the index holds the sides of the conflict, not a commit', () => {
    const repo = releasedRepo()
    repo.git('checkout', '-q', '-b', 'other')
    repo.commit('theirs', { 'migrations/002_drop.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    repo.git('checkout', '-q', 'main')
    repo.commit('ours', { 'migrations/002_drop.sql': 'CREATE INDEX users_email ON users (email);\n' })
    expect(() => repo.git('merge', '-q', 'other')).toThrow()
    const run = runCli(['--staged'], repo.dir, env)
    expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({
      code: 2,
      stderr:
        'migrate-lint: --staged: the index has unmerged files (a conflict in progress): migrations/002_drop.sql. ' +
        'Resolve the conflicts and `git add` the files (or abort the merge), then run it again.\n',
      stdout: '',
    })
    // Resolved and added, the commit is judged.
    repo.write({ 'migrations/002_drop.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    repo.git('add', 'migrations/002_drop.sql')
    const resolved = runCli(['--staged'], repo.dir, env)
    expect(resolved.stderr).toBe('')
    expect(resolved.stdout).toContain('migrations/002_drop.sql:1:1  error  unproven-change')
  })
})
