// Issue 16, cheaper keys for warm runs: a migration file whose stat has not changed since a run read it
// is known by its blob id and layout markers from the cache, unread; a changed one is read again.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fileFacts } from '../../src/cache/file-facts.js'
import { DiskCache, NO_CACHE, useCache } from '../../src/cache/store.js'
import { discoverMigrations } from '../../src/discover/discover.js'

afterEach(() => {
  useCache(NO_CACHE)
  vi.useRealTimers()
  vi.restoreAllMocks()
})

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-facts-'))
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), text)
  }
  return root
}

/** A discovery as the lint makes it, with the migration files it read from disk. */
async function discover(root: string) {
  const read = vi.spyOn(fs, 'readFileSync')
  const found = await discoverMigrations({ root, cwd: root, paths: [], facts: fileFacts() })
  const migrations = found.migrations.map(m => ({ id: m.id, layout: m.layout, fingerprint: m.fingerprint }))
  const reads = read.mock.calls.map(c => String(c[0])).filter(f => f.startsWith(path.join(root, 'migrations')))
  read.mockRestore()
  return { migrations, reads: reads.map(f => path.relative(root, f)).sort(), found }
}

describe('file facts: a warm run names unchanged migration files by their stat', () => {
  it('reads no migration file the second time, and the migrations are the same; a changed file is read again', async () => {
    const root = project({
      'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
      'migrations/002_email.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
    })
    useCache(new DiskCache(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))))
    // Files written this instant are not trusted by their stat (racy): the runs below happen later.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 1000)
    const first = await discover(root)
    expect(first.reads).toEqual(['migrations/001_users.sql', 'migrations/002_email.sql'])
    expect(first.migrations.map(m => [m.id, m.layout])).toEqual([['migrations/001_users.sql', 'sql'], ['migrations/002_email.sql', 'sql']])

    const second = await discover(root)
    expect(second.reads).toEqual([])
    expect(second.migrations).toEqual(first.migrations)
    // Asked for, a text is still there: read then.
    expect(second.found.migrations[0].sources[0].text).toBe('CREATE TABLE users (id bigint PRIMARY KEY);\n')

    fs.writeFileSync(path.join(root, 'migrations/001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, name text);\n')
    vi.setSystemTime(Date.now() + 1000)
    const third = await discover(root)
    expect(third.reads).toEqual(['migrations/001_users.sql'])
    expect(third.migrations[0].fingerprint).not.toBe(first.migrations[0].fingerprint)
    expect(third.migrations[1]).toEqual(first.migrations[1])
  })

  it('does not trust the stat of a file read in the same tick it was written: it is read again next time', async () => {
    const root = project({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    useCache(new DiskCache(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))))
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(fs.statSync(path.join(root, 'migrations/001_users.sql')).ctimeMs + 10)
    expect((await discover(root)).reads).toEqual(['migrations/001_users.sql'])
    expect((await discover(root)).reads).toEqual(['migrations/001_users.sql'])
  })
})
