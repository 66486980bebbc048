// The kysely layout (DESIGN §3): which files are migrations, their order, folders that mix layouts.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { discoverMigrations } from '../../src/discover/discover.js'
import { loadParser } from '../../src/parse/sql.js'
import { tempTree } from '../cli/helpers.js'
import { FIXTURES } from './helpers.js'

beforeAll(() => loadParser())

const discover = (paths: string[], extra: { globs?: string[] } = {}) =>
  discoverMigrations({ root: FIXTURES, cwd: FIXTURES, paths, ...extra })

describe('kysely layout', () => {
  it('takes .ts/.mts/.js/.mjs files of the folder, in Kysely’s order (names without extension, as strings)', async () => {
    const found = await discover(['esm/migrations'])
    expect(found.migrations.map(m => [m.id, m.layout, m.order])).toEqual([
      ['esm/migrations/10_default_export.ts', 'kysely', 0],
      ['esm/migrations/1_top_level_await.ts', 'kysely', 1],
      ['esm/migrations/9_commonjs.js', 'kysely', 2],
    ])
    expect(found.migrations.every(m => m.transactional && m.up.every(s => s.inTransaction))).toBe(true)
    expect(found.migrations.map(m => m.sources.map(s => s.path))).toEqual(found.migrations.map(m => [m.path]))
  })

  it('reports declarations, other files and a script that exports no up() as unknown, once', async () => {
    const found = await discover(['esm/migrations'])
    expect(found.unknownFiles.sort()).toEqual(['esm/migrations/2_shared.ts', 'esm/migrations/README.md', 'esm/migrations/types.d.ts'])
  })

  it('gives up and down their statements, located in the .ts file', async () => {
    const [audit, accounts] = (await discover(['esm/migrations'])).migrations
    expect(audit.up.map(s => s.sql)).toEqual(['create table "audit" ("id" bigint primary key)'])
    expect(audit.down?.map(s => s.sql)).toEqual(['drop table "audit"'])
    expect(accounts.up.map(s => [s.loc.file, s.loc.line, s.loc.column])).toEqual([
      ['esm/migrations/1_top_level_await.ts', 8, 3],
      ['esm/migrations/1_top_level_await.ts', 9, 3],
    ])
    expect(accounts.up.every(s => s.ast !== null && s.parseError === null)).toBe(true)
  })

  it('orders an old SQL folder and a new Kysely folder together by name', async () => {
    const found = await discover(['two-folders/sql', 'two-folders/kysely'])
    expect(found.migrations.map(m => [path.posix.basename(m.id), m.layout])).toEqual([
      ['20240101000000_create_users.sql', 'sql'],
      ['20240103000000_create_orders.ts', 'kysely'],
      ['20240105000000_add_email_index.sql', 'sql'],
      ['20240110000000_add_tenant.ts', 'kysely'],
    ])
  })

  it('does the same with config globs over both folders', async () => {
    const found = await discover([], { globs: ['two-folders/sql/*.sql', 'two-folders/kysely/*.ts'] })
    expect(found.migrations.map(m => m.layout)).toEqual(['sql', 'kysely', 'sql', 'kysely'])
  })

  it('refuses a folder that mixes SQL and Kysely migrations, with a usage error that says what to do', async () => {
    await expect(discover(['mixed/migrations'])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/mixed\/migrations holds both SQL migrations \(001_create_users\.sql\) and Kysely migrations \(002_add_email\.ts\)/),
    })
  })

  it('leaves scripts in subfolders of a migrations folder alone (FileMigrationProvider reads one folder)', async () => {
    const root = tempTree({
      'migrations/001_users.ts':
        "import { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) { await db.schema.createTable('users').addColumn('id', 'int').execute() }\n",
      'migrations/lib/columns.ts': 'export const id = 1\n',
    })
    const found = await discoverMigrations({ root, cwd: root, paths: [] })
    expect(found.migrations.map(m => m.id)).toEqual(['migrations/001_users.ts'])
    expect(found.unknownFiles).toEqual(['migrations/lib/columns.ts'])
  })

  it('finds Kysely migrations in the usual folders without any config', async () => {
    const root = tempTree({
      'src/db/migrations/2024_01_01_users.ts':
        "import { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) { await db.schema.createTable('users').addColumn('id', 'int').execute() }\n",
    })
    const found = await discoverMigrations({ root, cwd: root, paths: [] })
    expect(found.migrations.map(m => [m.id, m.layout])).toEqual([['src/db/migrations/2024_01_01_users.ts', 'kysely']])
  })

  it('marks statements outside a transaction when kysely.transactions is false, except inside db.transaction()', async () => {
    const root = tempTree({
      'migrations/001.ts':
        "import { Kysely, sql } from 'kysely'\n" +
        'export async function up(db: Kysely<any>) {\n' +
        '  await sql`CREATE INDEX CONCURRENTLY i ON t (a)`.execute(db)\n' +
        '  await db.transaction().execute(trx => sql`UPDATE t SET a = 1`.execute(trx))\n' +
        '}\n',
    })
    const found = await discoverMigrations({ root, cwd: root, paths: [], kysely: { transactions: false, timeoutMs: 5000 } })
    const [migration] = found.migrations
    expect(migration.transactional).toBe(false)
    expect(migration.up.map(s => [s.sql, s.inTransaction])).toEqual([
      ['CREATE INDEX CONCURRENTLY i ON t (a)', false],
      ['UPDATE t SET a = 1', true],
    ])
  })
})
