// Loading Kysely migrations without a database: what the recording driver sees, where each query
// came from in the .ts file, and what happens when a migration misbehaves.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { captureMigrations, type Capture } from '../../src/parse/kysely/capture.js'
import { loadParser } from '../../src/parse/sql.js'
import { tempTree } from '../cli/helpers.js'

beforeAll(() => loadParser())

const HEADER = "import { Kysely, sql } from 'kysely'\n"

async function capture(files: Record<string, string>, timeoutMs = 2000): Promise<Record<string, Capture>> {
  const root = tempTree(files)
  const sources = Object.keys(files)
    .filter(f => f.startsWith('migrations/'))
    .map(f => ({ path: f, text: files[f] }))
  const captures = await captureMigrations(sources, { root, timeoutMs })
  return Object.fromEntries(captures.map(c => [path.posix.basename(c.path), c]))
}

const sqlOf = (c: Capture, part: 'up' | 'down' = 'up') => c[part].map(q => q.sql)

describe('the recording database', () => {
  it('records db.schema builders, sql`…`, transactions, withSchema and query builders, never connecting', async () => {
    const { 'a.ts': a } = await capture({
      'migrations/a.ts':
        HEADER +
        'export async function up(db: Kysely<any>): Promise<void> {\n' +
        "  await db.schema.createTable('users').addColumn('id', 'bigint', c => c.primaryKey()).addColumn('plan', 'text', c => c.defaultTo('free')).execute()\n" +
        '  await sql`CREATE INDEX CONCURRENTLY users_plan_idx ON users (plan)`.execute(db)\n' +
        '  await db.transaction().execute(async trx => {\n' +
        "    await trx.withSchema('app').updateTable('users').set({ plan: 'pro', seats: 3 }).where('id', '>', 10).execute()\n" +
        '  })\n' +
        "  const rows = await db.selectFrom('users').selectAll().execute()\n" +
        "  for (const row of rows) await db.deleteFrom('users').where('id', '=', row.id).execute()\n" +
        '}\n' +
        "export async function down(db: Kysely<any>) { await db.schema.dropTable('users').execute() }\n",
    })
    expect(a.problems).toEqual([])
    expect(a.exports).toEqual({ up: true, down: true })
    expect(sqlOf(a)).toEqual([
      `create table "users" ("id" bigint primary key, "plan" text default 'free')`,
      'CREATE INDEX CONCURRENTLY users_plan_idx ON users (plan)',
      'update "app"."users" set "plan" = $1, "seats" = $2 where "id" > $3',
      'select * from "users"',
    ])
    expect(a.up[2]).toMatchObject({ parameters: ["'pro'", '3', '10'], inTransaction: true })
    expect(a.up.filter(q => q.inTransaction)).toHaveLength(1)
    expect(sqlOf(a, 'down')).toEqual(['drop table "users"'])
  })

  it('knows the .ts line and column of each .execute() call, through the source map', async () => {
    const { 'b.ts': b } = await capture({
      'migrations/b.ts':
        "import { Kysely, sql, CompiledQuery } from 'kysely'\n" +
        '\n' +
        'interface Unused { a: number }\n' +
        'export async function up(db: Kysely<any>): Promise<void> {\n' +
        '  await db.schema\n' +
        "    .alterTable('users')\n" +
        "    .addColumn('email', 'text')\n" +
        '    .execute()\n' +
        '  await sql`SELECT 1`.execute(db)\n' +
        "  await db.executeQuery(CompiledQuery.raw('SELECT 2'))\n" +
        '}\n',
    })
    expect(b.up.map(q => [q.call, q.statement?.line ?? null])).toEqual([
      // Where it ran is looked up only when the call is not known.
      [{ line: 8, column: 6 }, null],
      [{ line: 9, column: 23 }, null],
      // Nothing compiled on the migration's stack: only where it ran is known.
      [null, 10],
    ])
  })
})

describe('module shapes', () => {
  it('loads ESM-only migrations (top-level await) and writes nothing into the repository; import.meta.url names the migration', async () => {
    const files = {
      'migrations/esm.ts':
        HEADER +
        "import { table } from '../lib/names.js'\n" +
        'const name = await Promise.resolve(table)\n' +
        'const here = import.meta.url\n' +
        'export async function up(db: Kysely<any>) {\n' +
        "  await db.schema.createTable(name).addColumn('id', 'bigint').execute()\n" +
        '  await sql`COMMENT ON TABLE ${sql.table(name)} IS ${sql.lit(here.endsWith("esm.ts") ? "ok" : "bad")}`.execute(db)\n' +
        '}\n',
      'lib/names.ts': "export const table = 'accounts'\n",
    }
    const root = tempTree(files)
    const before = fs.readdirSync(root, { recursive: true }).sort()
    const [esm] = await captureMigrations([{ path: 'migrations/esm.ts', text: files['migrations/esm.ts'] }], { root, timeoutMs: 5000 })
    expect(esm.problems).toEqual([])
    expect(sqlOf(esm)).toEqual(['create table "accounts" ("id" bigint)', `COMMENT ON TABLE "accounts" IS 'ok'`])
    expect(esm.up[0].call).toEqual({ line: 6, column: 63 })
    expect(fs.readdirSync(root, { recursive: true }).sort()).toEqual(before)
  })

  it('loads CommonJS .js migrations, `export default { up, down }`, and TypeScript helpers imported as ./x, ./x.js', async () => {
    const found = await capture({
      'migrations/cjs.js':
        "const { addId } = require('../lib/helpers')\n" +
        "module.exports = { async up(db) { await addId(db.schema.createTable('a')).execute() } }\n",
      'migrations/default.ts':
        HEADER +
        "import { addId } from '../lib/helpers.js'\n" +
        "export default { async up(db: Kysely<any>) { await addId(db.schema.createTable('b')).execute() } }\n",
      'lib/helpers.ts':
        "import type { CreateTableBuilder } from 'kysely'\n" +
        "export const addId = (t: CreateTableBuilder<any, any>) => t.addColumn('id', 'bigint', c => c.primaryKey())\n",
    })
    expect(sqlOf(found['cjs.js'])).toEqual(['create table "a" ("id" bigint primary key)'])
    expect(sqlOf(found['default.ts'])).toEqual(['create table "b" ("id" bigint primary key)'])
    expect(found['default.ts'].exports).toEqual({ up: true, down: false })
  })

  it('loads a migration from its text alone: a file at a git ref need not be on disk', async () => {
    const root = tempTree({})
    const text = `${HEADER}export async function up(db: Kysely<any>) { await sql\`SELECT 'from the ref'\`.execute(db) }\n`
    const [fromRef] = await captureMigrations([{ path: 'db/gone/2024_01_01_x.ts', text }], { root, timeoutMs: 5000 })
    expect(fromRef.problems).toEqual([])
    expect(sqlOf(fromRef)).toEqual(["SELECT 'from the ref'"])
    expect(fs.existsSync(path.join(root, 'db'))).toBe(false)
  })

  it('gives a migration our own kysely even where the repository has none', async () => {
    const { 'own.ts': own } = await capture({
      'migrations/own.ts':
        "import { Kysely, sql, NoResultError } from 'kysely'\n" +
        'export async function up(db: Kysely<any>) {\n' +
        '  if (!(db instanceof Kysely)) throw new Error("not the same Kysely")\n' +
        '  await sql`SELECT ${NoResultError.name}`.execute(db)\n' +
        '}\n',
    })
    expect(own.problems).toEqual([])
    expect(own.up[0].parameters).toEqual(["'NoResultError'"])
  })
})

describe('failure isolation', () => {
  const up = (body: string) =>
    `${HEADER}export async function up(db: Kysely<any>) {\n${body}\n}\n` +
    "export async function down(db: Kysely<any>) {\n  await sql`SELECT 'down'`.execute(db)\n}\n"
  const files = {
    'migrations/1_throws.ts': up("  await sql`CREATE TABLE one (id int)`.execute(db)\n  throw new TypeError('no tenant')"),
    'migrations/2_hangs.ts': up('  await sql`SELECT 2`.execute(db)\n  await new Promise(() => {})'),
    'migrations/3_spins.ts': up('  for (;;) {}'),
    'migrations/4_exits.ts': up('  setTimeout(() => process.exit(3), 0)\n  await new Promise(r => setTimeout(r, 50))'),
    'migrations/5_reads.ts': up(
      "  const row = await db.selectFrom('users').select('id').executeTakeFirstOrThrow()\n  await sql`SELECT ${row.id}`.execute(db)",
    ),
    'migrations/6_missing.ts': `import { nothing } from './no-such-module'\n${up('  nothing()')}`,
    'migrations/7_throws_string.ts': up("  throw 'plain string'"),
    'migrations/7b_throws_after_read.ts': up("  const [row] = await db.selectFrom('users').selectAll().execute()\n  await sql`SELECT ${row.id}`.execute(db)"),
    'migrations/8_fine.ts': up('  await sql`SELECT 8`.execute(db)'),
  }
  let found: Record<string, Capture>
  beforeAll(async () => {
    found = await capture(files, 1000)
  }, 30_000)

  const failure = (c: Capture) => c.problems.map(p => ({ stage: p.stage, kind: p.problem.kind, reason: p.problem.reason, frame: p.problem.frame }))

  it('a migration that throws: failed, at the line of the throw, with what it ran before', () => {
    expect(failure(found['1_throws.ts'])).toEqual([{ stage: 'up', kind: 'failed', reason: 'it threw TypeError: no tenant', frame: { line: 4, column: 9 } }])
    expect(sqlOf(found['1_throws.ts'])).toEqual(['CREATE TABLE one (id int)'])
    expect(sqlOf(found['1_throws.ts'], 'down')).toEqual(["SELECT 'down'"])
    expect(failure(found['7_throws_string.ts'])[0].reason).toBe('it threw "plain string" (not an Error)')
    expect(failure(found['7b_throws_after_read.ts'])[0].reason).toMatch(
      /^it threw TypeError: .*\(after reading data back: the empty result may be the cause\)$/,
    )
  })

  it('a migration that never resolves or never yields: failed after the timeout; its down still runs in a fresh worker', () => {
    for (const name of ['2_hangs.ts', '3_spins.ts']) {
      expect(failure(found[name])).toEqual([
        { stage: 'up', kind: 'failed', reason: expect.stringMatching(/^it did not finish within 1000 ms/), frame: null },
      ])
      expect(sqlOf(found[name], 'down')).toEqual(["SELECT 'down'"])
    }
    expect(sqlOf(found['2_hangs.ts'])).toEqual(['SELECT 2'])
  })

  it('a migration that calls process.exit: failed, the loader lives on', () => {
    expect(failure(found['4_exits.ts'])).toEqual([{ stage: 'up', kind: 'failed', reason: 'the migration called process.exit(3)', frame: { line: 3, column: 28 } }])
  })

  it('a read that insists on a row: partially captured, with what came before the read', () => {
    expect(failure(found['5_reads.ts'])).toEqual([
      { stage: 'up', kind: 'partial', reason: expect.stringContaining('executeTakeFirstOrThrow'), frame: { line: 3, column: 15 } },
    ])
    expect(sqlOf(found['5_reads.ts'])).toEqual(['select "id" from "users"'])
  })

  it('an import of something missing: failed while importing, at the import', () => {
    expect(failure(found['6_missing.ts'])).toEqual([
      { stage: 'module', kind: 'failed', reason: 'Could not resolve "./no-such-module"', frame: { line: 1, column: 25 } },
    ])
    expect(found['6_missing.ts'].exports).toBeNull()
  })

  it('a migration that eats memory: failed at the loader’s heap limit, the next one still runs', async () => {
    const root = tempTree({})
    const hoard = up('  await sql`SELECT 1`.execute(db)\n  const hoard: unknown[] = []\n  for (;;) hoard.push(new Array(1e5).fill({ x: Math.random() }))')
    const [greedy, next] = await captureMigrations(
      [
        { path: 'migrations/greedy.ts', text: hoard },
        { path: 'migrations/next.ts', text: files['migrations/8_fine.ts'] },
      ],
      { root, timeoutMs: 20_000, memoryMb: 64 },
    )
    expect(failure(greedy)).toEqual([
      { stage: 'up', kind: 'failed', reason: "it ran out of memory (the loader's limit is 64 MB of heap, 192 MB in all)", frame: null },
    ])
    expect(sqlOf(greedy)).toEqual(['SELECT 1'])
    expect(sqlOf(greedy, 'down')).toEqual(["SELECT 'down'"])
    expect(sqlOf(next)).toEqual(['SELECT 8'])
  })

  it('the migrations after the failures are captured as usual', () => {
    expect(found['8_fine.ts'].problems).toEqual([])
    expect(sqlOf(found['8_fine.ts'])).toEqual(['SELECT 8'])
  })
})
