import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { markerMemo } from '../../src/cache/marker-memo.js'
import { DiskCache, NO_CACHE, useCache } from '../../src/cache/store.js'
import { migrationsAtRef, type RefOptions, type TreeSource } from '../../src/discover/at-ref.js'
import { Git } from '../../src/git.js'
import { loadParser } from '../../src/parse/sql.js'
import { splitRelease } from '../../src/release/window.js'
import { TestRepo } from '../release/git-repo.js'

beforeAll(() => loadParser())
afterEach(() => useCache(NO_CACHE))

const source = { folders: ['migrations'] }

/** `tag` makes the shipped blobs new to this process: markers learned in one test do not serve the next. */
function shippedAndStaged(staged: string, tag = ''): TestRepo {
  const repo = new TestRepo().commit('v1', {
    'migrations/001_users.sql': `CREATE TABLE users (id bigint PRIMARY KEY);\n${tag}`,
    'migrations/002_email.sql': `ALTER TABLE users ADD COLUMN email text;\n${tag}`,
  })
  repo.tag('v1')
  repo.write({ 'migrations/003_next.sql': staged }).git('add', '--', 'migrations/003_next.sql')
  return repo
}

/** What each readBlobs call of a fresh Git asked for (a new Git has no blobs in memory). */
function watchedGit(dir: string): { git: Git; reads: string[][] } {
  const git = Git.open(dir)!
  const reads: string[][] = []
  const readBlobs = git.readBlobs.bind(git)
  vi.spyOn(git, 'readBlobs').mockImplementation((ref, files) => {
    reads.push([...files])
    return readBlobs(ref, files)
  })
  return { git, reads }
}

type AtRef = (git: Git, ref: string, source: TreeSource, options?: RefOptions) => ReturnType<typeof migrationsAtRef>

/** migrationsAtRef with the markers kept in the cache, as the lint calls it (run.ts). */
const withMarkers: AtRef = (git, ref, source, options) => migrationsAtRef(git, ref, source, { ...options, markers: markerMemo() })

/** The same as a new process has it: nothing in memory, the cache in `dir` on disk. */
async function inAnotherRun(dir: string): Promise<AtRef> {
  vi.resetModules()
  const store = await import('../../src/cache/store.js')
  store.useCache(new store.DiskCache(dir))
  const { migrationsAtRef: atRef } = await import('../../src/discover/at-ref.js')
  const { markerMemo: memo } = await import('../../src/cache/marker-memo.js')
  return (git, ref, source, options) => atRef(git, ref, source, { ...options, markers: memo() })
}

describe('migrations at a git ref', () => {
  it('reads the index only for blobs the base did not have; the others are read together, on first use', async () => {
    const repo = shippedAndStaged('ALTER TABLE users ADD COLUMN age int;\n')
    useCache(new DiskCache(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))))
    const base = await migrationsAtRef(Git.open(repo.dir)!, 'refs/tags/v1', source, { inRelease: false })
    expect(base.migrations.map(m => [m.id, m.inRelease])).toEqual([
      ['migrations/001_users.sql', false],
      ['migrations/002_email.sql', false],
    ])

    const { git, reads } = watchedGit(repo.dir)
    const index = await migrationsAtRef(git, '', source)
    expect(index.migrations.map(m => m.id)).toEqual(['migrations/001_users.sql', 'migrations/002_email.sql', 'migrations/003_next.sql'])
    expect(reads).toEqual([['migrations/003_next.sql']])

    // Shared blobs compare by id: no text is read to find that nothing shipped was edited.
    const split = splitRelease(base.migrations, index.migrations, base, index, { headCoversFolders: true })
    expect(split.edited).toEqual([])
    expect(split.added.map(m => m.id)).toEqual(['migrations/003_next.sql'])
    expect(reads).toHaveLength(1)

    expect(index.migrations[0].sources[0].text).toBe('CREATE TABLE users (id bigint PRIMARY KEY);\n')
    expect(index.migrations[1].up.map(s => s.sql)).toEqual(['ALTER TABLE users ADD COLUMN email text'])
    expect(reads).toEqual([['migrations/003_next.sql'], ['migrations/001_users.sql', 'migrations/002_email.sql']])
  })

  it('a staged file with a Drizzle breakpoint makes the folder Drizzle: the markers of a new blob come from its text', async () => {
    const repo = shippedAndStaged('ALTER TABLE users ADD COLUMN a int;\n--> statement-breakpoint\nALTER TABLE users ADD COLUMN b int;\n')
    await migrationsAtRef(Git.open(repo.dir)!, 'refs/tags/v1', source)
    const { git, reads } = watchedGit(repo.dir)
    const index = await migrationsAtRef(git, '', source)
    expect(index.migrations.map(m => m.layout)).toEqual(['drizzle', 'drizzle', 'drizzle'])
    // Detected from the staged text alone; cutting Drizzle's pieces then reads the others.
    expect(reads[0]).toEqual(['migrations/003_next.sql'])
  })

  it('a commit keeps the markers of its files in the cache; the same tree in another run reads no text', async () => {
    const repo = shippedAndStaged('SELECT 1;\n', '-- kept in the cache\n')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))
    useCache(new DiskCache(dir))
    await withMarkers(Git.open(repo.dir)!, 'refs/tags/v1', source)
    expect(fs.readdirSync(dir)).toEqual(['markers'])
    // Another process: nothing in memory, the pack on disk.
    const fresh = await inAnotherRun(dir)
    const { git, reads } = watchedGit(repo.dir)
    const base = await fresh(git, 'refs/tags/v1', source)
    expect(base.migrations.map(m => [m.id, m.layout])).toEqual([
      ['migrations/001_users.sql', 'sql'],
      ['migrations/002_email.sql', 'sql'],
    ])
    expect(reads).toEqual([])
  })

  it('the index keeps the markers of its files but the staged ones: the next commit attempt reads only what it stages', async () => {
    const repo = shippedAndStaged('SELECT 1;\n', '-- the index keeps its markers\n')
    repo.commit('after the tag', { 'migrations/003_next.sql': 'ALTER TABLE users ADD COLUMN age int; -- committed after the tag\n' })
    const stage = (text: string) => repo.write({ 'migrations/004_staged.sql': text }).git('add', '--', 'migrations/004_staged.sql')
    stage('SELECT 4;\n')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))
    const changing = new Set(['migrations/004_staged.sql'])
    useCache(new DiskCache(dir))
    const first = Git.open(repo.dir)!
    await withMarkers(first, 'refs/tags/v1', source)
    await withMarkers(first, '', source, { changing })

    stage('SELECT 4; -- edited\n')
    const fresh = await inAnotherRun(dir)
    const { git, reads } = watchedGit(repo.dir)
    await fresh(git, 'refs/tags/v1', source)
    const index = await fresh(git, '', source, { changing })
    expect(index.migrations.map(m => m.id)).toEqual([
      'migrations/001_users.sql',
      'migrations/002_email.sql',
      'migrations/003_next.sql',
      'migrations/004_staged.sql',
    ])
    expect(reads).toEqual([['migrations/004_staged.sql']])
  })
})

