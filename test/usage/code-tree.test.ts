import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { fitsKind } from '../../src/cache/shapes.js'
import { fileUsageFromRecord, fileUsageToRecord } from '../../src/cache/usage-record.js'
import { DiskCache, NO_CACHE, useCache } from '../../src/cache/store.js'
import { usageMemo } from '../../src/cache/usage-memo.js'
import { loadParser } from '../../src/parse/sql.js'
import { scanFile } from '../../src/usage/scan-file.js'
import { scanCodeTree, scanUsage } from '../../src/usage/scan.js'
import { gitBlobId } from '../../src/util/git-blob-id.js'
import { tempTree } from '../cli/helpers.js'
import { scanInAnotherRun } from './another-run.js'

beforeAll(() => loadParser())
afterEach(() => useCache(NO_CACHE))

const files = {
  'src/users.ts': "export const find = (db) => db.selectFrom('users').select(['id', 'email']).where('id', '=', 1).execute()\n",
  'src/invite.ts': "export const invite = (db, email) => db.insertInto('invites').values({ email }).execute()\n",
  'src/dynamic.ts': "export const any = (db, t: string) => db.selectFrom(t).selectAll().execute()\n",
  'src/plain.ts': 'export const two = 1 + 1\n',
}

describe('the usage scan of a code tree', () => {
  it('a tree seen before is answered from the cache by content ids, no text read; the same scan as from the texts', async () => {
    const dir = tempTree({})
    useCache(new DiskCache(dir))
    const tree = (texts: () => ReadonlyMap<string, string>) => ({
      files: Object.entries(files).map(([file, text]) => ({ path: file, contentId: gitBlobId(Buffer.from(text)) })),
      texts,
    })
    const unread = tree(() => {
      throw new Error('read the texts')
    })
    const fromTexts = scanUsage(Object.entries(files).map(([file, text]) => ({ path: file, text })))
    const memo = usageMemo()
    const first = scanCodeTree(tree(() => new Map(Object.entries(files))), memo)
    // In the same process the tree is one of the recent ones: the very scan, not even decoded again.
    expect(scanCodeTree(unread, memo)).toBe(first)
    // Without the memo the stage keeps nothing of a tree: its texts are read.
    expect(() => scanCodeTree(unread)).toThrow('read the texts')
    const again = (await scanInAnotherRun(dir))(unread)
    expect(again).toEqual(first)
    expect(first).toEqual(fromTexts)
    expect(first.usages.map(u => `${u.loc.file}:${u.table}.${u.column}`)).toEqual([
      'src/users.ts:users.',
      'src/users.ts:users.id',
      'src/users.ts:users.email',
      'src/users.ts:users.id',
      'src/invite.ts:invites.',
      'src/invite.ts:invites.email',
    ])
    expect(first.unresolved.map(u => u.file)).toEqual(['src/dynamic.ts'])
    expect([first.filesScanned, first.filesParsed]).toEqual([4, 3])
  })

  it('keeps a file usage whole when a location points elsewhere, compact otherwise', () => {
    const found = scanFile('src/users.ts', files['src/users.ts'])
    const record = fileUsageToRecord('src/users.ts', found)
    expect('u' in record).toBe(true)
    expect(fileUsageFromRecord('src/users.ts', JSON.parse(JSON.stringify(record)))).toEqual(found)
    const elsewhere = { ...found, unresolved: [{ file: 'src/other.ts', line: 1, column: 1, reason: 'x' }] }
    expect(fileUsageFromRecord('src/users.ts', fileUsageToRecord('src/users.ts', elsewhere))).toEqual(elsewhere)
  })

  it('keeps the non-null literal flag of a write through the compact record, and the record fits its shape', () => {
    const text = "export const add = (db, name) => db.insertInto('invites').values({ email: 'a@b.c', name }).execute()\n"
    const found = scanFile('src/add.ts', text)
    expect(found.usages.filter(u => u.nonNullLiteral).map(u => u.column)).toEqual(['email'])
    const record = fileUsageToRecord('src/add.ts', found)
    expect(fitsKind('usage', [['src/add.ts', JSON.parse(JSON.stringify(record))]])).toBe(true)
    expect(fileUsageFromRecord('src/add.ts', JSON.parse(JSON.stringify(record)))).toEqual(found)
    expect(fitsKind('usage', [['src/add.ts', { u: [['invites', 'email', 'insert', 1, 1, 2]], i: [], x: [] }]])).toBe(false)
  })

  it('names a file on disk as git names its blob', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-blob-'))
    const bytes = Buffer.from('SELECT 1;\r\n-- é\n\u0000')
    fs.writeFileSync(path.join(dir, 'f'), bytes)
    expect(gitBlobId(bytes)).toBe(execFileSync('git', ['hash-object', path.join(dir, 'f')], { encoding: 'utf8' }).trim())
  })
})
