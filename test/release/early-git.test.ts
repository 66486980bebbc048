import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import * as childProcess from 'node:child_process'
import { EarlyGit, Git } from '../../src/git.js'
import { TestRepo } from './git-repo.js'

vi.mock('node:child_process', async importOriginal => {
  const actual = await importOriginal<typeof import('node:child_process')>()
  return { ...actual, spawnSync: vi.fn(actual.spawnSync), execFileSync: vi.fn(actual.execFileSync) }
})

/** The git commands Git ran itself (not taken from an early start). */
function ranByGit(): string[] {
  const calls = [...vi.mocked(childProcess.spawnSync).mock.calls, ...vi.mocked(childProcess.execFileSync).mock.calls]
  return calls.map(call => (call[1] as string[]).slice(0, 2).join(' '))
}

function release(): TestRepo {
  const repo = new TestRepo().commit('one', { 'migrations/001_a.sql': 'CREATE TABLE a (id int);\n', 'src/app.ts': 'export {}\n' }).tag('v1.0')
  repo.write({ 'migrations/002_b.sql': 'ALTER TABLE a ADD COLUMN b int;\n' }).git('add', '--', 'migrations/002_b.sql')
  return repo
}

describe('git commands started early', () => {
  it('a --staged lint takes the root, the newest tag, the staged files and both listings from the early start', async () => {
    const repo = release()
    const early = EarlyGit.startLint(repo.dir, { staged: true, folders: ['migrations'] })
    await early.settled()
    vi.mocked(childProcess.spawnSync).mockClear()
    vi.mocked(childProcess.execFileSync).mockClear()
    const git = Git.open(repo.dir, early)!
    const tag = git.latestTag('v*')
    expect(tag).toBe('v1.0')
    expect([...git.stagedChanges()]).toEqual([['migrations/002_b.sql', 'added']])
    expect(git.listFiles('', ['migrations'])).toEqual(['migrations/001_a.sql', 'migrations/002_b.sql'])
    expect(git.listFiles(`refs/tags/${tag}`, ['migrations'])).toEqual(['migrations/001_a.sql'])
    expect(ranByGit()).toEqual([])
    // The application code was not listed; asked for, it is.
    expect(git.listFiles('')).toEqual(['migrations/001_a.sql', 'migrations/002_b.sql', 'src/app.ts'])
    expect(ranByGit()).toEqual(['ls-files -s'])
  })

  it('says the same as git run then, and runs what was not guessed (another tag pattern, a second ask)', async () => {
    const repo = release()
    repo.git('tag', 'release-1')
    const early = EarlyGit.startLint(repo.dir, { staged: true })
    await early.settled()
    vi.mocked(childProcess.spawnSync).mockClear()
    vi.mocked(childProcess.execFileSync).mockClear()
    const git = Git.open(repo.dir, early)!
    expect(git.latestTag('release-*')).toBe('release-1')
    expect(git.latestTag('v*')).toBe('v1.0')
    expect(git.latestTag('v*')).toBe('v1.0')
    expect(ranByGit()).toEqual(['describe --tags', 'describe --tags'])
  })

  it('does not guess a listing of everything when no migration folder is known (the config globs will say)', async () => {
    const repo = release()
    const early = EarlyGit.startLint(repo.dir, { staged: true, folders: [] })
    await early.settled()
    vi.mocked(childProcess.spawnSync).mockClear()
    vi.mocked(childProcess.execFileSync).mockClear()
    const git = Git.open(repo.dir, early)!
    expect(git.latestTag('v*')).toBe('v1.0')
    expect(git.listFiles('')).toEqual(['migrations/001_a.sql', 'migrations/002_b.sql', 'src/app.ts'])
    expect(ranByGit()).toEqual(['ls-files -s'])
  })

  it('--since: the ref is resolved early, and a ref that does not exist is still the usage error with the fix', async () => {
    const repo = release()
    const sha = repo.git('rev-parse', 'v1.0').trim()
    const known = EarlyGit.startLint(repo.dir, { staged: false, since: 'v1.0' })
    await known.settled()
    const git = Git.open(repo.dir, known)!
    expect(git.resolve('v1.0')).toBe(sha)
    expect(git.listFiles(sha)).toEqual(['migrations/001_a.sql', 'src/app.ts'])

    const unknown = EarlyGit.startLint(repo.dir, { staged: false, since: 'v9.9' })
    await unknown.settled()
    expect(() => Git.open(repo.dir, unknown)!.resolve('v9.9')).toThrow(/unknown git ref "v9\.9": check the name/)
  })

  it('a repository reached through a symbolic link: git names the real path, and the early output is still taken', async () => {
    const repo = release()
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-link-')), 'repo')
    fs.symlinkSync(repo.dir, link)
    const early = EarlyGit.startLint(link, { staged: true })
    await early.settled()
    vi.mocked(childProcess.spawnSync).mockClear()
    vi.mocked(childProcess.execFileSync).mockClear()
    const git = Git.open(link, early)!
    expect(git.root).toBe(fs.realpathSync(repo.dir))
    expect([...git.stagedChanges().keys()]).toEqual(['migrations/002_b.sql'])
    expect(ranByGit()).toEqual([])
  })
})

