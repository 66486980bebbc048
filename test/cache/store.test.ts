import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheDir, DiskCache, hashKey, pruneStaleEntries, pruneStaleVersions } from '../../src/cache/store.js'
import { schemaFromRecord, schemaToRecord } from '../../src/cache/schema-snapshot.js'
import { lintMigrations } from '../../src/engine/lint.js'
import { migrationFromText } from '../rule-tester.js'

const freshDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))
const entryFiles = (dir: string) =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name))

describe('DiskCache', () => {
  it('gives back what was stored under a key, and nothing for another key', () => {
    const cache = new DiskCache(freshDir())
    const key = hashKey('a', 'b')
    const memo = { findings: { strings: ['x'], rows: [] }, statements: 1, unparsed: 0 }
    cache.set('findings', key, memo)
    expect(cache.get('findings', key)).toEqual(memo)
    expect(cache.get('findings', hashKey('ab', ''))).toBeUndefined()
    expect(cache.get('schema', key), 'kinds are apart').toBeUndefined()
  })

  it('treats a corrupt or truncated entry as a miss, and the next write repairs it', () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    const key = hashKey('x')
    cache.set('usage', key, [['src/a.ts', { u: [], i: [], x: [] }]])
    const [file] = entryFiles(dir)
    fs.writeFileSync(file, '{"key":"' + key + '","value":{"usa')
    expect(cache.get('usage', key)).toBeUndefined()
    fs.writeFileSync(file, Buffer.from([0xff, 0x00, 0x13]))
    expect(cache.get('usage', key)).toBeUndefined()
    cache.set('usage', key, [])
    expect(cache.get('usage', key)).toEqual([])
  })

  it('ignores an entry whose stored key is not the one asked for', () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    const key = hashKey('y')
    cache.set('markers', key, { a: 1 })
    const [file] = entryFiles(dir)
    fs.writeFileSync(file, JSON.stringify({ key: hashKey('z'), value: { a: 2 } }))
    expect(cache.get('markers', key)).toBeUndefined()
  })

  it('leaves no temporary files behind, and a folder it cannot write only costs the cache', () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    for (let i = 0; i < 20; i++) cache.set('schema', hashKey(String(i)), { i })
    expect(entryFiles(dir).filter(f => f.endsWith('.tmp'))).toEqual([])
    const blocked = path.join(freshDir(), 'file')
    fs.writeFileSync(blocked, '')
    const unwritable = new DiskCache(path.join(blocked, 'below-a-file'))
    expect(() => unwritable.set('schema', hashKey('k'), 1)).not.toThrow()
    expect(unwritable.get('schema', hashKey('k'))).toBeUndefined()
  })

  it('a new version removes the folders of versions unused for 30 days, and nothing while its own exists', () => {
    const base = freshDir()
    const day = 86_400_000
    const now = Date.now()
    const [old, recent, current, next] = ['0123456789abcdef-00000001', '0123456789abcdef-00000002', 'fedcba9876543210-00000003', 'fedcba9876543210-00000004']
    fs.mkdirSync(path.join(base, 'someone-elses'))
    fs.utimesSync(path.join(base, 'someone-elses'), new Date(now - 90 * day), new Date(now - 90 * day))
    for (const [name, age] of [[old, 31], [recent, 2]] as const) {
      fs.mkdirSync(path.join(base, name, 'schema'), { recursive: true })
      fs.utimesSync(path.join(base, name), new Date(now - age * day), new Date(now - age * day))
    }
    fs.mkdirSync(path.join(base, current))
    pruneStaleVersions(path.join(base, current), now)
    expect(fs.readdirSync(base).sort()).toEqual([old, recent, current, 'someone-elses'].sort())
    pruneStaleVersions(path.join(base, next), now)
    expect(fs.readdirSync(base).sort(), 'only version folders are ours to remove').toEqual([recent, current, 'someone-elses'].sort())
    const cache = new DiskCache(path.join(base, next))
    cache.set('schema', hashKey('k'), 1)
    expect(now - fs.statSync(path.join(base, next)).mtimeMs).toBeLessThan(day)
  })

  it('once a day removes entries unused for 14 days and left temporary files; a read counts as a use', () => {
    const dir = freshDir()
    const day = 86_400_000
    const now = Date.now()
    const cache = new DiskCache(dir)
    const [unused, read, fresh] = [hashKey('unused'), hashKey('read'), hashKey('fresh')]
    for (const key of [unused, read, fresh]) cache.set('markers', key, { [key]: 1 })
    const fileOf = (key: string) => path.join(dir, 'markers', key.slice(0, 2), `${key}.json`)
    const age = (file: string, days: number) => fs.utimesSync(file, new Date(now - days * day), new Date(now - days * day))
    age(fileOf(unused), 15)
    age(fileOf(read), 15)
    age(fileOf(fresh), 13)
    const leftover = `${fileOf(fresh)}.123.abc.tmp`
    fs.writeFileSync(leftover, '{')
    age(leftover, 2)
    expect(cache.get('markers', read)).toEqual({ [read]: 1 })
    pruneStaleEntries(dir, now)
    expect(entryFiles(dir).filter(f => !f.endsWith('.pruned')).sort()).toEqual([fileOf(read), fileOf(fresh)].sort())
    age(fileOf(fresh), 20)
    pruneStaleEntries(dir, now + day / 2)
    expect(fs.existsSync(fileOf(fresh)), 'not twice a day').toBe(true)
    // A day after the first prune's stamp, which is written at the real time, some ms after `now`.
    pruneStaleEntries(dir, now + day + 60_000)
    expect(fs.existsSync(fileOf(fresh))).toBe(false)
  })

  it('lives in MIGRATE_LINT_CACHE_DIR, else under XDG_CACHE_HOME, in a folder per version', () => {
    expect(cacheDir({ env: { MIGRATE_LINT_CACHE_DIR: '/c' }, version: 'v1' })).toBe('/c/v1')
    expect(cacheDir({ env: { XDG_CACHE_HOME: '/x' }, version: 'v2' })).toBe('/x/migrate-lint/v2')
  })
})

describe('schema snapshots', () => {
  it('a replayed schema survives the trip through JSON whole', () => {
    const migration = migrationFromText(
      '001_all.sql',
      [
        "CREATE TYPE mood AS ENUM ('ok', 'sad');",
        'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT now()::text, m mood);',
        'CREATE UNIQUE INDEX users_email ON users (email);',
        'ALTER TABLE users ADD CONSTRAINT users_id_check CHECK (id > 0) NOT VALID;',
        'ALTER TABLE users RENAME COLUMN m TO feeling;',
        'CREATE VIEW v AS SELECT id FROM users;',
      ].join('\n'),
      0,
    )
    const { schema } = lintMigrations([migration], { rules: [], config: { postgresVersion: 16, tables: {} }, mode: 'per-migration' })
    const record = schemaToRecord(schema)
    // One migration: every object shares one origin, kept once.
    expect(record.origins).toEqual([{ migrationId: '001_all.sql', releaseKey: expect.any(String) }])
    const back = schemaFromRecord(JSON.parse(JSON.stringify(record)))
    expect(back).toEqual(schema)
    expect(back.column('users', 'feeling')?.type.name).toBe('mood')
    expect(back.indexesOf('users').map(i => i.name)).toEqual(['users_id_pkey', 'users_email'])
  })
})

describe('entries on disk are ASCII', () => {
  it('a value with characters beyond ASCII (…, →, an emoji, a lone surrogate) is written escaped and read back the same', () => {
    const dir = freshDir()
    const cache = new DiskCache(dir)
    const key = hashKey('ascii')
    const memo = { findings: { strings: ['Move it … then → done', 'naïve 😀', 'lone \ud800 half'], rows: [] }, statements: 2, unparsed: 0 }
    cache.set('findings', key, memo)
    const [file] = entryFiles(dir)
    expect(fs.readFileSync(file).every(byte => byte < 0x80)).toBe(true)
    expect(fs.readFileSync(file, 'utf8')).toContain('Move it \\u2026 then \\u2192 done')
    expect(new DiskCache(dir).get('findings', key)).toEqual(memo)
  })
})
