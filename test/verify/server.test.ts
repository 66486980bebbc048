// --database-url against a real server: runs only with PG_TEST_URL (.ci/run starts Debian's PostgreSQL
// and sets it). The database named in the URL must come out exactly as it went in.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/verify/engine.js'
import { readSnapshot } from '../../src/verify/snapshot.js'
import { BIN, runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

const url = process.env.PG_TEST_URL
const env = { CI: 'true' }

describe.skipIf(!url)('verify --database-url (PG_TEST_URL)', () => {
  let client: pg.Client
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url })
    await client.connect()
  })
  afterAll(() => client?.end())

  const engine = (): Engine => ({
    label: 'test',
    exec: async sql => void (await client.query(sql)),
    query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, [...params])).rows as T[],
    run: async (sql, params) => ({ rows: (await client.query(sql, [...params])).rows, affected: null }),
    close: async () => {},
  })
  /** Everything verify could have changed in the URL's database, and the throw-away databases left. */
  const state = async () => ({
    schema: [...(await readSnapshot(engine())).objects.entries()],
    relations: (await client.query('SELECT count(*)::int AS n, max(oid::bigint)::text AS newest FROM pg_class')).rows[0],
    leftovers: await throwAway(),
  })
  const throwAway = async () =>
    (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ '^migrate_lint_[0-9]{10}_[0-9a-f]{12}$'")).rows.map(r => r.datname)

  const repo = () =>
    new TestRepo()
      .commit('v1', {
        'migrations/001_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- migrate:down\nDROP TABLE users;\n',
        'src/users.ts': "export const emails = (db) => db.selectFrom('users').select('email').execute()\n",
      })
      .tag('v1')

  it('replays in a database of its own, drops it, and leaves the database in the URL untouched', async () => {
    const before = await state()
    const r = repo().write({ 'migrations/002_drop.sql': '-- migrate:up\nALTER TABLE users DROP COLUMN email;\n-- migrate:down\nALTER TABLE users ADD COLUMN email text;\n' })
    const run = runCli(['verify', '--format', 'json', '--database-url', url!], r.dir, env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    expect(doc.findings).toContainEqual(expect.objectContaining({ ruleId: 'verify-old-query-fails', file: 'src/users.ts', line: 1 }))
    expect(doc.locks[0].locks).toEqual([{ relation: 'users', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true }])
    expect(await state()).toEqual(before)
  }, 60_000)

  it('runs Kysely migrations through Kysely on the server: rows read back, locks traced, a refused statement at its .ts line', async () => {
    const kysely = (body: string) => `import { Kysely, sql } from 'kysely'\nexport async function up(db: Kysely<any>): Promise<void> {\n${body}}\n`
    const r = new TestRepo()
      .commit('v1', {
        'migrations/001_users.ts': kysely(
          "  await db.schema.createTable('users').addColumn('id', 'bigint', c => c.primaryKey()).addColumn('email', 'text').execute()\n" +
            "  await sql`INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x')`.execute(db)\n",
        ),
      })
      .tag('v1')
      .write({
        'migrations/002_copies.ts': kysely(
          "  const rows = await db.selectFrom('users').select('id').execute()\n" +
            "  await db.schema.createTable('copies').addColumn('id', 'bigint', c => c.notNull()).execute()\n" +
            "  for (const row of rows) await db.insertInto('copies').values({ id: row.id }).execute()\n" +
            "  await db.schema.createIndex('users_email_idx').on('users').column('email').execute()\n",
        ),
        'migrations/003_broken.ts': kysely("  await db.schema.alterTable('nope').addColumn('a', 'text').execute()\n"),
      })
    const before = await state()
    const run = runCli(['verify', '--format', 'json', '--database-url', url!], r.dir, env)
    expect(run.stderr).toBe('')
    const doc = JSON.parse(run.stdout)
    expect(doc.locks.map((l: { line: number; statement: string }) => `${l.line} ${l.statement}`)).toEqual([
      '3 select "id" from "users"',
      '4 create table "copies" ("id" bigint not null)',
      "5 insert into \"copies\" (\"id\") values ('1')",
      "5 insert into \"copies\" (\"id\") values ('2')",
      '6 create index "users_email_idx" on "users" ("email")',
    ])
    expect(doc.locks[4].locks.map((l: { relation: string; mode: string }) => `${l.relation} ${l.mode}`)).toEqual(['users ShareLock', 'users_email_idx AccessExclusiveLock'])
    expect(doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'verify-statement-failed')).toEqual([
      expect.objectContaining({ file: 'migrations/003_broken.ts', line: 3, message: expect.stringMatching(/refuses this statement: relation "nope" does not exist \(42P01\)/) }),
    ])
    expect(await state()).toEqual(before)
  }, 60_000)

  it('issue 14: DROP DATABASE other WITH (FORCE) and ALTER ROLE … SET are refused, reported, never run; exit 1', async () => {
    await client.query('DROP DATABASE IF EXISTS migrate_lint_victim')
    await client.query('CREATE DATABASE migrate_lint_victim')
    const settings = async () => (await client.query('SELECT count(*)::int AS n FROM pg_db_role_setting')).rows[0].n
    const before = { ...(await state()), settings: await settings() }
    const r = repo().write({
      'migrations/002_drop_other.sql': 'CREATE TABLE t (id int);\nDROP DATABASE migrate_lint_victim WITH (FORCE);\n',
      'migrations/003_role.sql': "ALTER ROLE CURRENT_USER SET search_path = evil;\nALTER ROLE migrate_lint SET work_mem = '1MB';\n",
    })
    const run = runCli(['verify', '--format', 'json', '--database-url', url!], r.dir, env)
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    const at = (rule: string) => doc.findings.filter((f: { ruleId: string }) => f.ruleId === rule).map((f: { file: string; line: number }) => `${f.file}:${f.line}`)
    expect(at('verify-statement-failed')).toEqual(['migrations/002_drop_other.sql:2', 'migrations/003_role.sql:1'])
    expect(at('cluster-wide-statement')).toEqual(['migrations/002_drop_other.sql:2', 'migrations/003_role.sql:1', 'migrations/003_role.sql:2'])
    expect(doc.release.verdict).toBe('not-revert-safe')
    expect((await client.query("SELECT 1 FROM pg_database WHERE datname = 'migrate_lint_victim'")).rowCount).toBe(1)
    expect({ ...(await state()), settings: await settings() }).toEqual(before)
    await client.query('DROP DATABASE migrate_lint_victim')
  }, 60_000)

  it('removes the throw-away databases of earlier runs (exact name, over an hour old, no session), nothing else; prints the version', async () => {
    const [{ now }] = (await client.query('SELECT floor(extract(epoch FROM now()))::bigint AS now')).rows
    const old = `migrate_lint_${Number(now) - 7200}_0123456789ab`
    const recent = `migrate_lint_${Number(now) - 60}_0123456789ab`
    const lookalike = `migrate_lint_${Number(now) - 7200}_0123456789abc`
    for (const name of [old, recent, lookalike]) await client.query(`CREATE DATABASE "${name}"`)
    const run = runCli(['verify', '--database-url', url!], repo().dir, env)
    const names = (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'migrate\\_lint\\_%' ORDER BY 1")).rows.map(r => r.datname)
    for (const name of [recent, lookalike]) await client.query(`DROP DATABASE "${name}"`)
    expect(run.code).toBe(0)
    expect(names).not.toContain(old)
    expect(names).toEqual(expect.arrayContaining([recent, lookalike, 'migrate_lint_ci']))
    expect(run.stdout).toContain(`Removed 1 throw-away database that earlier runs left (over an hour old): ${old}.`)
    const version = (await client.query('SHOW server_version')).rows[0].server_version.split(' ')[0]
    expect(run.stdout).toContain(`(PostgreSQL ${version}), throw-away database migrate_lint_`)
    const json = JSON.parse(runCli(['verify', '--format', 'json', '--database-url', url!], repo().dir, env).stdout)
    expect(json.server).toEqual({ label: expect.stringMatching(/^postgres:\/\/migrate_lint@127\.0\.0\.1:\d+\/migrate_lint_ci \(PostgreSQL /), version })
  }, 60_000)

  it('a Kysely migration under verify finds no URL in its command line or environment, so it cannot reach the database in the URL', async () => {
    await client.query('DROP TABLE IF EXISTS pwned')
    const pgPath = JSON.stringify(createRequire(import.meta.url).resolve('pg'))
    const attack =
      "import fs from 'node:fs'\nimport { createRequire } from 'node:module'\nimport { Kysely, sql } from 'kysely'\n" +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      // Only where queries really run: the linter's capture answers with no rows.
      '  if (!(await sql`SELECT 1 AS one`.execute(db)).rows.length) return\n' +
      "  const seen = fs.readFileSync('/proc/self/cmdline', 'utf8').split('\\0').join(' ') + ' ' + Object.values(process.env).join(' ')\n" +
      "  const found = seen.match(/postgres(ql)?:\\/\\/[^\\s\"']+/g) ?? []\n" +
      `  const pg = createRequire(import.meta.url)(${pgPath})\n` +
      '  for (const target of found) {\n' +
      '    const c = new pg.Client({ connectionString: target, connectionTimeoutMillis: 2000 })\n' +
      '    try { await c.connect(); await c.query("CREATE TABLE pwned (url text)"); await c.query("INSERT INTO pwned VALUES ($1)", [target]) } catch {} finally { await c.end().catch(() => {}) }\n' +
      '  }\n' +
      '  await sql`CREATE TABLE seen (found text)`.execute(db)\n' +
      '  for (const f of found) await sql`INSERT INTO seen VALUES (${f})`.execute(db)\n' +
      '}\n'
    const r = new TestRepo()
      .commit('v1', { 'migrations/001_users.ts': "import { Kysely, sql } from 'kysely'\nexport async function up(db: Kysely<any>): Promise<void> { await sql`CREATE TABLE users (id int)`.execute(db) }\n" })
      .tag('v1')
      .write({ 'migrations/002_attack.ts': attack })
    // Without PG_TEST_URL and PGPASSWORD in the environment: the one the test runner passes is the test's, not verify's.
    const { PG_TEST_URL: _, ...rest } = process.env
    const run = spawnSync(process.execPath, [BIN, 'verify', '--format', 'json', '--database-url', url!], { cwd: r.dir, env: { ...rest, ...env }, encoding: 'utf8' })
    expect(run.stderr).toBe('')
    const doc = JSON.parse(run.stdout)
    expect(doc.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('verify-') || f.ruleId === 'migration-load-failed')).toEqual([])
    expect(doc.locks.map((l: { statement: string }) => l.statement)).toContain('CREATE TABLE seen (found text)')
    expect((await client.query("SELECT 1 FROM pg_class WHERE relname = 'pwned'")).rowCount).toBe(0)
    expect(await throwAway()).toEqual([])
  }, 60_000)

  it('Ctrl-C in the middle of a statement still drops the throw-away database', async () => {
    const r = repo().write({ 'migrations/002_slow.sql': 'SELECT pg_sleep(60);\n' })
    const child = spawn(process.execPath, [BIN, 'verify', '--database-url', url!], { cwd: r.dir, env: { ...process.env, ...env }, stdio: 'ignore' })
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    const sleeping = async () =>
      (await client.query("SELECT 1 FROM pg_stat_activity WHERE datname ~ '^migrate_lint_' AND query LIKE 'SELECT pg_sleep%'")).rowCount
    for (let i = 0; i < 200 && !(await sleeping()); i++) await new Promise(resolve => setTimeout(resolve, 100))
    expect(await throwAway()).toHaveLength(1)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(await throwAway()).toEqual([])
  }, 60_000)
})
