import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DiskCache, NO_CACHE, useCache } from '../../src/cache/store.js'
import { usageMemo } from '../../src/cache/usage-memo.js'
import { DEFAULT_CONFIG } from '../../src/config.js'
import { Git } from '../../src/git.js'
import { loadParser } from '../../src/parse/sql.js'
import { scanCodeUsage } from '../../src/release/code-scan.js'
import { scanUsage } from '../../src/usage/scan.js'
import { TestRepo } from './git-repo.js'

beforeAll(() => loadParser())
afterEach(() => {
  useCache(NO_CACHE)
  vi.restoreAllMocks()
})

const config = { ...DEFAULT_CONFIG, file: null }
const migrations = { folders: ['migrations'] }
const query = (column: string) => `export const q = (db) => db.selectFrom('users').select('${column}').execute()\n`

function repoWithCode(): TestRepo {
  const repo = new TestRepo().commit('v1', {
    'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n',
    'src/unchanged.ts': query('email'),
    'src/changed.ts': query('email'),
  })
  repo.tag('v1')
  // Edited, not staged; and a file git does not track yet.
  return repo.write({ 'src/changed.ts': query('name'), 'src/new.ts': query('id') })
}

describe("the working tree's code scan", () => {
  it('reads the files git finds changed or does not track; an unchanged tracked file is named by its index blob', async () => {
    const repo = repoWithCode()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))
    useCache(new DiskCache(dir))
    const base = { ref: 'v1', rev: 'refs/tags/v1' }
    const first = scanCodeUsage(Git.open(repo.dir)!, repo.dir, config, base, migrations, [], { usage: usageMemo() }).head
    const truth = scanUsage(['src/changed.ts', 'src/new.ts', 'src/unchanged.ts'].map(f => ({ path: f, text: fs.readFileSync(path.join(repo.dir, f), 'utf8') })))
    expect(first.usages).toEqual(truth.usages)
    expect(first.usages.map(u => `${u.loc.file} ${u.column}`).filter(u => !u.endsWith(' '))).toEqual([
      'src/changed.ts name',
      'src/new.ts id',
      'src/unchanged.ts email',
    ])

    // Another run: the scan comes from the cache, and only what git cannot name is read.
    vi.resetModules()
    const fresh = await import('../../src/release/code-scan.js')
    const store = await import('../../src/cache/store.js')
    const memo = await import('../../src/cache/usage-memo.js')
    store.useCache(new store.DiskCache(dir))
    const read = vi.spyOn(fs, 'readFileSync')
    const again = fresh.scanCodeUsage(Git.open(repo.dir)!, repo.dir, config, base, migrations, [], { usage: memo.usageMemo() }).head
    expect(again.usages).toEqual(truth.usages)
    const codeReads = read.mock.calls.map(call => String(call[0])).filter(f => f.includes(`${path.sep}src${path.sep}`))
    expect(codeReads.map(f => path.relative(repo.dir, f)).sort()).toEqual(['src/changed.ts', 'src/new.ts'])
  })
})
