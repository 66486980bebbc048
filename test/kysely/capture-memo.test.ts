// Issue 16: the capture stage keeps nothing between runs itself; run.ts hands it the cache layer's memo
// (src/cache/kysely-memo.ts), which keeps a migration's complete capture by its path and text.
import fs from 'node:fs'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { captureMemo } from '../../src/cache/kysely-memo.js'
import { DiskCache, NO_CACHE, useCache } from '../../src/cache/store.js'
import { captureMigrations, type CaptureOptions, type KyselySource } from '../../src/parse/kysely/capture.js'
import { loadParser } from '../../src/parse/sql.js'
import { tempTree } from '../cli/helpers.js'

beforeAll(() => loadParser())
afterEach(() => {
  useCache(NO_CACHE)
  vi.restoreAllMocks()
})

const HEADER = "import { Kysely, sql } from 'kysely'\n"
const up = (body: string) => `${HEADER}export async function up(db: Kysely<any>) {\n${body}\n}\n`
const files = {
  'lib/helpers.ts': "export const tableName = 'helped'\n",
  'migrations/1_plain.ts': up('  await sql`CREATE TABLE plain (id int)`.execute(db)'),
  'migrations/2_helped.ts': `import { tableName } from '../lib/helpers.js'\n${up('  await sql`CREATE TABLE ${sql.table(tableName)} (id int)`.execute(db)')}`,
  'migrations/3_throws.ts': up("  await sql`CREATE TABLE three (id int)`.execute(db)\n  throw new Error('no tenant')"),
}
const sources: KyselySource[] = Object.entries(files)
  .filter(([file]) => file.startsWith('migrations/'))
  .map(([file, text]) => ({ path: file, text }))

/** The capture stage as the next CLI run has it: nothing in memory, the disk cache in `dir`, the memo of run.ts. */
async function captureInAnotherRun(dir: string, wanted: readonly KyselySource[], options: CaptureOptions) {
  vi.resetModules()
  const store = await import('../../src/cache/store.js')
  store.useCache(new store.DiskCache(dir))
  const { captureMigrations: capture } = await import('../../src/parse/kysely/capture.js')
  const { captureMemo: memo } = await import('../../src/cache/kysely-memo.js')
  return capture(wanted, { ...options, memo: memo() })
}

/** The capture process's folders this process made: one per captureMigrations call that ran a migration. */
const captureFolders = (made: { mock: { calls: unknown[][] } }) => made.mock.calls.filter(call => String(call[0]).includes('migrate-lint-kysely-')).length

describe('Kysely captures kept between runs', () => {
  it('keeps only complete captures of files whose text alone decides them; a warm run captures none of those again', async () => {
    const root = tempTree(files)
    const dir = tempTree({})
    useCache(new DiskCache(dir))
    const memo = captureMemo()
    const options = { root, timeoutMs: 5000 }
    const first = await captureMigrations(sources, { ...options, memo })
    expect(first.map(c => [c.path, c.up.map(q => q.sql), c.problems.map(p => p.problem.reason)])).toEqual([
      ['migrations/1_plain.ts', ['CREATE TABLE plain (id int)'], []],
      ['migrations/2_helped.ts', ['CREATE TABLE "helped" (id int)'], []],
      ['migrations/3_throws.ts', ['CREATE TABLE three (id int)'], ['it threw Error: no tenant']],
    ])
    // The one that imports a file of the repository depends on that file too; the failed one may not fail next time.
    expect(sources.map(s => memo.recall(s) ?? null)).toEqual([first[0], null, null])

    const made = vi.spyOn(fs, 'mkdtempSync')
    expect(await captureInAnotherRun(dir, sources.slice(0, 1), options)).toEqual(first.slice(0, 1))
    expect(captureFolders(made), 'no capture process for a kept capture').toBe(0)
    expect(await captureInAnotherRun(dir, sources, options)).toEqual(first)
    expect(captureFolders(made), 'the other two are captured again').toBe(1)
  })

  it('without a memo the stage keeps nothing on disk', async () => {
    const root = tempTree(files)
    const dir = tempTree({})
    useCache(new DiskCache(dir))
    await captureMigrations(sources.slice(0, 1), { root, timeoutMs: 5000 })
    expect(fs.readdirSync(dir)).toEqual([])
  })
})
