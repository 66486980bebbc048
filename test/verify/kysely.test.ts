// Kysely migrations in verify: the file's own up() and down(), run through Kysely on PGlite (not the SQL
// the linter recorded), with the lock trace, statement failures at their .ts line, and the round trip.
import { describe, expect, it } from 'vitest'
import { buildKyselyMigration, DEFAULT_KYSELY_OPTIONS } from '../../src/discover/build.js'
import type { Migration } from '../../src/model.js'
import { captureMigrations } from '../../src/parse/kysely/capture.js'
import { readSnapshot } from '../../src/verify/snapshot.js'
import { verifyMigrations, type VerifyInput } from '../../src/verify/verify-migrations.js'
import { tempTree } from '../cli/helpers.js'
import { engineForThisFile, shipped } from './shared-engine.js'

const pg = engineForThisFile()

const HEADER = "import { Kysely, sql } from 'kysely'\n"
const TIMEOUT_MS = 2000

/** The release's Kysely files (`migrations/…`), loaded as the linter loads them, in name order. */
async function kysely(files: Record<string, string>): Promise<{ root: string; migrations: Migration[] }> {
  const root = tempTree(files)
  const sources = Object.keys(files)
    .sort()
    .map(path => ({ path, text: files[path] }))
  const captures = await captureMigrations(sources, { root, timeoutMs: TIMEOUT_MS })
  const migrations = sources.map((s, i) =>
    buildKyselyMigration({ id: s.path, layout: 'kysely', order: 10 + i, path: s.path, text: s.text }, captures[i], DEFAULT_KYSELY_OPTIONS),
  )
  return { root, migrations }
}

const users = shipped(
  'migrations/001_users.sql',
  "-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, name text, role text);\nINSERT INTO users VALUES (7, 'ada', 'admin'), (8, 'bob', 'user');\n-- migrate:down\nDROP TABLE users;\n",
)

async function verify(files: Record<string, string>, options: Partial<VerifyInput> = {}) {
  const { root, migrations } = await kysely(files)
  const input: VerifyInput = {
    shipped: [users],
    added: migrations,
    baseCode: null,
    kysely: { root, transactions: true, timeoutMs: TIMEOUT_MS },
    ...options,
  }
  return { migrations, result: await verifyMigrations(pg.engine, input) }
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length

describe('Kysely migrations run through Kysely on the engine', () => {
  it('builders and sql`…` templates make the schema; the note says how the migrations ran', async () => {
    const { result } = await verify({
      'migrations/002_accounts.ts':
        HEADER +
        'export async function up(db: Kysely<any>): Promise<void> {\n' +
        "  await db.schema.createTable('accounts').addColumn('id', 'bigint', c => c.primaryKey()).addColumn('plan', 'text', c => c.defaultTo('free')).execute()\n" +
        "  await sql`ALTER TABLE accounts ADD COLUMN owner_id bigint REFERENCES users (id)`.execute(db)\n" +
        '}\n' +
        "export async function down(db: Kysely<any>): Promise<void> { await db.schema.dropTable('accounts').execute() }\n",
    })
    expect(result.findings).toEqual([])
    const objects = (await readSnapshot(pg.engine)).objects
    expect(objects.get('table accounts')).toMatchObject({ kind: 'table' })
    expect(objects.get('column accounts.plan')?.definition).toBe("text DEFAULT 'free'::text")
    expect(objects.get('constraint accounts.accounts_owner_id_fkey')?.definition).toBe('FOREIGN KEY (owner_id) REFERENCES users(id)')
    expect(result.notes[0]).toMatch(
      /Kysely migrations run through Kysely itself on this engine: the file's own up\(\) and down\(\), each in a transaction, as its Migrator runs them\.$/,
    )
  })

  it('reads real rows back: what a recording cannot see, the real run does', async () => {
    const text =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  const admin = await db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow()\n" +
      "  await db.schema.createTable('settings').addColumn('owner_id', 'bigint', c => c.notNull().defaultTo(admin.id)).execute()\n" +
      "  for (const user of await db.selectFrom('users').selectAll().orderBy('id').execute()) {\n" +
      "    await db.insertInto('settings').values({ owner_id: user.id }).execute()\n" +
      '  }\n' +
      '}\n' +
      "export async function down(db: Kysely<any>): Promise<void> { await db.schema.dropTable('settings').execute() }\n"
    const { migrations, result } = await verify({ 'migrations/002_settings.ts': text })
    // The recording database has no admin: the linter saw the read, and nothing after it.
    expect(migrations[0].up.map(s => s.sql)).toEqual([`select "id" from "users" where "role" = 'admin'`])
    expect(migrations[0].loadProblems?.map(p => p.kind)).toEqual(['partial'])
    expect(result.findings).toEqual([])
    expect((await readSnapshot(pg.engine)).objects.get('column settings.owner_id')?.definition).toBe('bigint NOT NULL DEFAULT 7')
    expect(await pg.engine.query('SELECT owner_id::int AS id FROM settings ORDER BY 1')).toEqual([{ id: 7 }, { id: 8 }])
  })

  it('traces the locks of each statement: only those it added to the migration\'s transaction', async () => {
    const text =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await db.schema.createIndex('users_name_idx').on('users').column('name').execute()\n" +
      "  await sql`SET LOCAL lock_timeout = '2s'`.execute(db)\n" +
      "  await db.schema.alterTable('users').addColumn('tier', 'integer', c => c.notNull().defaultTo(0)).execute()\n" +
      '}\n' +
      "export async function down(db: Kysely<any>): Promise<void> {\n  await db.schema.alterTable('users').dropColumn('tier').execute()\n  await db.schema.dropIndex('users_name_idx').execute()\n}\n"
    const { result } = await verify({ 'migrations/002_idx.ts': text })
    expect(result.locks).toEqual([
      {
        file: 'migrations/002_idx.ts',
        line: 3,
        statement: 'create index "users_name_idx" on "users" ("name")',
        locks: [
          { relation: 'users', mode: 'ShareLock', blocksReads: false, blocksWrites: true },
          { relation: 'users_name_idx', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true },
        ],
      },
      { file: 'migrations/002_idx.ts', line: 4, statement: "SET LOCAL lock_timeout = '2s'", locks: [] },
      {
        file: 'migrations/002_idx.ts',
        line: 5,
        statement: 'alter table "users" add column "tier" integer default 0 not null',
        locks: [{ relation: 'users', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true }],
      },
    ])
    // The SET LOCAL holds in the Migrator's transaction: no dangerous lock.
    expect(result.findings).toEqual([])
  })

  it('a lock taken without lock_timeout, and without a transaction when "transactions" is false', async () => {
    const text =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await sql`SET LOCAL lock_timeout = '2s'`.execute(db)\n" +
      "  await db.schema.alterTable('users').addColumn('tier', 'integer').execute()\n" +
      "  await sql`CREATE INDEX CONCURRENTLY users_tier_idx ON users (tier)`.execute(db)\n" +
      '}\n'
    const { root, migrations } = await kysely({ 'migrations/002_tier.ts': text })
    const result = await verifyMigrations(pg.engine, { shipped: [users], added: migrations, baseCode: null, kysely: { root, transactions: false, timeoutMs: TIMEOUT_MS } })
    expect(result.locks.map(l => [l.line, l.locks.map(x => x.mode), l.untraced ?? false])).toEqual([
      [3, [], false],
      [4, ['AccessExclusiveLock'], false],
      [5, [], true],
    ])
    expect(result.findings.map(f => [f.ruleId, f.file, f.line])).toEqual([['verify-dangerous-lock', 'migrations/002_tier.ts', 4]])
    expect(result.notes[0]).toMatch(/without a transaction \("kysely": \{ "transactions": false \}\)\.$/)
  })

  it('a statement Postgres refuses: verify-statement-failed at its .ts line; the Migrator\'s transaction undoes the rest', async () => {
    const text =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await db.schema.createTable('audit').addColumn('id', 'bigint').execute()\n" +
      '  await db.schema\n' +
      "    .alterTable('nope')\n" +
      "    .addColumn('a', 'text')\n" +
      '    .execute()\n' +
      '}\n' +
      "export async function down(db: Kysely<any>): Promise<void> { await db.schema.dropTable('audit').execute() }\n"
    const { result } = await verify({ 'migrations/002_broken.ts': text })
    expect(result.findings.map(f => [f.ruleId, f.messageId, f.file, f.line, f.endLine])).toEqual([
      ['verify-statement-failed', 'upFailed', 'migrations/002_broken.ts', lineOf(text, 'await db.schema\n'), lineOf(text, '.execute()\n}')],
    ])
    expect(result.findings[0].message).toBe(
      'PGlite (PostgreSQL 18.6) refuses this statement: relation "nope" does not exist (42P01). The replay of migrations/002_broken.ts stopped here.',
    )
    expect((await readSnapshot(pg.engine)).objects.has('table audit')).toBe(false)
    expect(result.notes).toContain('Round trip not run: a migration of the release failed, so its down has nothing sound to undo.')
  })

  it('a down() that forgets to drop an index: verify-round-trip-mismatch names it', async () => {
    const text =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await db.schema.createIndex('users_role_idx').on('users').column('role').execute()\n" +
      '}\n' +
      'export async function down(db: Kysely<any>): Promise<void> {\n' +
      "  await sql`SELECT 1`.execute(db)\n" +
      '}\n'
    const { result } = await verify({ 'migrations/002_role.ts': text })
    expect(result.findings.map(f => [f.ruleId, f.messageId, f.file, f.line])).toEqual([
      ['verify-round-trip-mismatch', 'mismatch', 'migrations/002_role.ts', 6],
    ])
    expect(result.findings[0].message).toMatch(/^After the down migrations, index users_role_idx is still there.*\. Running its up again then fails at line 3: relation "users_role_idx" already exists \(42P07\)\.$/)
  })

  it('code that fails only on real data, or never finishes there: migration-load-failed, and the next migration still runs', async () => {
    const hangs =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  const rows = await db.selectFrom('users').selectAll().execute()\n" +
      '  if (rows.length) await new Promise(() => {})\n' +
      '}\n'
    const throws =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  const rows = await db.selectFrom('users').selectAll().execute()\n" +
      "  if (rows.length > 1) throw new Error('too many users')\n" +
      '}\n'
    const next = HEADER + "export async function up(db: Kysely<any>) { await db.schema.createTable('next').addColumn('id', 'integer').execute() }\n"
    const { result } = await verify({ 'migrations/002_hangs.ts': hangs, 'migrations/003_throws.ts': throws, 'migrations/004_next.ts': next })
    expect(result.findings.map(f => [f.ruleId, f.file, f.line])).toEqual([
      ['migration-load-failed', 'migrations/002_hangs.ts', 2],
      ['migration-load-failed', 'migrations/003_throws.ts', 4],
    ])
    expect(result.findings[0].message).toBe(
      'up() of migrations/002_hangs.ts could not be run to the end: on PGlite (PostgreSQL 18.6), it did not finish within 2000 ms (the limit is "kysely": { "timeoutMs" } in the config). The statements it runs after this point were not checked.',
    )
    expect(result.findings[1].message).toMatch(/: on PGlite \(PostgreSQL 18\.6\), it threw Error: too many users\./)
    expect((await readSnapshot(pg.engine)).objects.has('table next')).toBe(true)
  })

  it('time Postgres spends on a statement does not count against the time limit', async () => {
    const text = HEADER + 'export async function up(db: Kysely<any>) {\n  await sql`SELECT pg_sleep(0.6)`.execute(db)\n  await sql`SELECT pg_sleep(0.6)`.execute(db)\n}\n'
    const { root, migrations } = await kysely({ 'migrations/002_slow.ts': text })
    const result = await verifyMigrations(pg.engine, { shipped: [], added: migrations, baseCode: null, kysely: { root, transactions: true, timeoutMs: 1000 } })
    expect(result.findings).toEqual([])
  })

  it('a file that could not be imported is not replayed, and the note says so', async () => {
    const { result } = await verify({ 'migrations/002_missing.ts': "import { x } from 'not-installed-anywhere'\nexport async function up() { x() }\n" })
    expect(result.findings).toEqual([])
    expect(result.notes[0]).toMatch(/; migrations\/002_missing\.ts could not be imported: not replayed\.$/)
  })

  it('without the "kysely" options (no repository root), the recorded SQL is replayed', async () => {
    const text = HEADER + "export async function up(db: Kysely<any>) { await db.schema.createTable('t').addColumn('id', 'integer').execute() }\n"
    const { result } = await verify({ 'migrations/002_t.ts': text }, { kysely: undefined })
    expect(result.findings).toEqual([])
    expect(result.notes[0]).toMatch(/Kysely migrations replayed as the SQL they recorded \(parameters inlined\)\.$/)
    expect((await readSnapshot(pg.engine)).objects.has('table t')).toBe(true)
  })
})

describe('a Kysely migration under verify reaches only the replay database (issue 14)', () => {
  const databases = async () => (await pg.engine.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY 1')).map(r => r.datname)
  const roleSettings = async () => (await pg.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_db_role_setting'))[0].n

  it('a statement that acts beyond the database is refused at its .ts line, and the migration sees it fail', async () => {
    const settings = await roleSettings()
    const text =
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await sql`ALTER ROLE CURRENT_USER SET work_mem = '1MB'`.execute(db)\n" +
      "  await db.schema.createTable('after').addColumn('id', 'int').execute()\n" +
      '}\n'
    const { result } = await verify({ 'migrations/002_role.ts': text })
    expect(result.findings.map(f => [f.ruleId, f.file, f.line])).toEqual([['verify-statement-failed', 'migrations/002_role.ts', 3]])
    expect(result.findings[0].message).toMatch(/^verify did not run this statement on PGlite .*: ALTER ROLE CURRENT_USER SET acts beyond the database verify made for the replay/)
    expect(await roleSettings()).toBe(settings)
    expect((await readSnapshot(pg.engine)).objects.has('table after')).toBe(false)
  })

  it('queries posted to the main thread behind the driver\'s back are checked too, BEGIN and COMMIT included', async () => {
    const before = await databases()
    const text =
      HEADER +
      "import { parentPort } from 'node:worker_threads'\n" +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      // Only where queries really run (the linter's capture answers with no rows): its worker is not verify's.
      '  if (!(await sql`SELECT 1 AS one`.execute(db)).rows.length) return\n' +
      "  const query = { sql: 'CREATE DATABASE pwned', parameters: [], control: 'begin', call: null, statement: null }\n" +
      "  parentPort!.postMessage({ type: 'query', job: 1, id: 1_000_000, query })\n" +
      "  await new Promise(resolve => setTimeout(resolve, 200))\n" +
      '}\n'
    const { result } = await verify({ 'migrations/002_post.ts': text })
    expect(await databases()).toEqual(before)
    expect(result.findings.map(f => f.ruleId)).toEqual(['verify-statement-failed'])
    expect(result.findings[0].message).toContain('CREATE DATABASE pwned acts beyond the database')
  })

  it("gets none of the linter's environment: no URL, no password", async () => {
    process.env.MIGRATE_LINT_TEST_SECRET = 'postgres://app:s3cret@127.0.0.1/app'
    process.env.PGPASSWORD = 's3cret'
    try {
      const text =
        HEADER +
        'export async function up(db: Kysely<any>): Promise<void> {\n' +
        '  const seen = JSON.stringify(process.env)\n' +
        "  if (seen.includes('s3cret')) await sql`CREATE TABLE leaked (x int)`.execute(db)\n" +
        "  await sql`CREATE TABLE env_keys (k text)`.execute(db)\n" +
        "  for (const k of Object.keys(process.env)) await sql`INSERT INTO env_keys VALUES (${k})`.execute(db)\n" +
        '}\n'
      const { result } = await verify({ 'migrations/002_env.ts': text })
      expect(result.findings).toEqual([])
      const objects = (await readSnapshot(pg.engine)).objects
      expect(objects.has('table leaked')).toBe(false)
      const keys = (await pg.engine.query<{ k: string }>('SELECT k FROM env_keys')).map(r => r.k)
      expect(keys.filter(k => !['NODE_ENV', 'TZ', 'LANG', 'LC_ALL'].includes(k))).toEqual([])
    } finally {
      delete process.env.MIGRATE_LINT_TEST_SECRET
      delete process.env.PGPASSWORD
    }
  })
})
