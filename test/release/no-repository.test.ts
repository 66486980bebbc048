// A folder outside any repository is known without running git (its walk up finds no `.git`); whatever
// could make git find one (a `.git` file of a worktree, GIT_DIR) still goes to git.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as childProcess from 'node:child_process'
import { Git, mayFindRepository } from '../../src/git.js'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from './git-repo.js'

vi.mock('node:child_process', async importOriginal => {
  const actual = await importOriginal<typeof import('node:child_process')>()
  return { ...actual, spawnSync: vi.fn(actual.spawnSync) }
})

// Under the test run's folder (vitest.config.ts), which the run removes.
const testRunDir = process.env.MIGRATE_LINT_TEST_RUN_DIR ?? os.tmpdir()

const gitRuns = () => vi.mocked(childProcess.spawnSync).mock.calls.filter(call => call[0] === 'git').length

/** A folder with a migration, outside any repository (the temp folder has no `.git` above it: checked). */
function outsideGit(): string {
  const dir = fs.mkdtempSync(path.join(testRunDir, 'migrate-lint-nogit-'))
  fs.mkdirSync(path.join(dir, 'migrations'))
  fs.writeFileSync(path.join(dir, 'migrations', '001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY);\n')
  const inRepository = childProcess.spawnSync('git', ['rev-parse', '--git-dir'], { cwd: dir, encoding: 'utf8' }).status === 0
  if (inRepository) throw new Error(`${dir} is inside a git repository: this test needs a temp folder outside one`)
  vi.mocked(childProcess.spawnSync).mockClear()
  return dir
}

afterEach(() => {
  vi.unstubAllEnvs()
  vi.mocked(childProcess.spawnSync).mockClear()
})

describe('a folder outside git', () => {
  it('is no repository, and no git process is run to know it', () => {
    const dir = outsideGit()
    expect(mayFindRepository(path.join(dir, 'migrations'), {})).toBe(false)
    expect(Git.open(dir)).toBeNull()
    expect(gitRuns()).toBe(0)
  })

  it('the CLI there still says so in its note, and judges each migration on its own', () => {
    const dir = outsideGit()
    const run = runCli(['migrations'], dir)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Not a git repository: each migration is checked as if it shipped on its own')
  })

  it('GIT_DIR naming a repository is still honoured: git is asked, and answers', () => {
    const repo = new TestRepo().commit('one', { 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' })
    const dir = outsideGit()
    vi.stubEnv('GIT_DIR', path.join(repo.dir, '.git'))
    expect(mayFindRepository(dir, process.env)).toBe(true)
    const git = Git.open(dir)
    expect(git).not.toBeNull()
    expect(git!.hasCommits()).toBe(true)
    expect(gitRuns()).toBe(1)
  })

  it('a worktree (a `.git` file, not a folder) goes to git and is found', () => {
    const repo = new TestRepo().commit('one', { 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n' })
    const worktree = path.join(fs.mkdtempSync(path.join(testRunDir, 'migrate-lint-wt-')), 'tree')
    repo.git('worktree', 'add', '-q', '--detach', worktree)
    expect(fs.statSync(path.join(worktree, '.git')).isFile()).toBe(true)
    vi.mocked(childProcess.spawnSync).mockClear()
    const git = Git.open(path.join(worktree, 'migrations'))
    expect(git?.root).toBe(fs.realpathSync(worktree))
    expect(gitRuns()).toBe(1)
  })

  it('a bare repository is its own git folder: git decides (a HEAD is enough to ask)', () => {
    const dir = outsideGit()
    expect(mayFindRepository(dir, {})).toBe(false)
    fs.writeFileSync(path.join(dir, 'HEAD'), 'ref: refs/heads/main\n')
    expect(mayFindRepository(path.join(dir, 'migrations'), {})).toBe(true)
  })
})
