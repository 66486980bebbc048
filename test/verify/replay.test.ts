// verify on one engine (no git): locks, statement failures, round trip, old code against the new schema.
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src/model.js'
import { scanUsage } from '../../src/usage/scan.js'
import { verifyMigrations, type VerifyInput } from '../../src/verify/verify-migrations.js'
import { added, engineForThisFile, shipped } from './shared-engine.js'

const pg = engineForThisFile()

const users = shipped('migrations/001_users.sql', '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n-- migrate:down\nDROP TABLE users;\n')
const verify = (input: Partial<VerifyInput>) => verifyMigrations(pg.engine, { shipped: [users], added: [], baseCode: null, ...input })
const up = (sql: string, down = '') => `-- migrate:up\n${sql}\n-- migrate:down\n${down}\n`

describe('lock trace', () => {
  it('CREATE INDEX on an existing table takes SHARE on it (blocks writes, not reads)', async () => {
    const result = await verify({ added: [added('migrations/002_idx.sql', up('CREATE INDEX users_email_idx ON users (email);', 'DROP INDEX users_email_idx;'))] })
    expect(result.locks).toEqual([
      {
        file: 'migrations/002_idx.sql',
        line: 2,
        statement: 'CREATE INDEX users_email_idx ON users (email)',
        locks: [
          { relation: 'users', mode: 'ShareLock', blocksReads: false, blocksWrites: true },
          { relation: 'users_email_idx', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true },
        ],
      },
    ])
    expect(result.findings).toEqual([])
  })

  it('ADD COLUMN … NOT NULL DEFAULT 0 takes ACCESS EXCLUSIVE: a dangerous lock without lock_timeout', async () => {
    const result = await verify({ added: [added('migrations/002_tier.sql', up('ALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;', 'ALTER TABLE users DROP COLUMN tier;'))] })
    expect(result.locks[0].locks).toEqual([{ relation: 'users', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true }])
    expect(result.findings.map(f => [f.ruleId, f.file, f.line, f.severity, f.category])).toEqual([
      ['verify-dangerous-lock', 'migrations/002_tier.sql', 2, 'warning', 'locking'],
    ])
    expect(result.findings[0].message).toMatch(/^This statement took ACCESS EXCLUSIVE on users, which existed before this release/)
  })

  it('no dangerous lock with lock_timeout set (SET LOCAL counts inside the runner\'s transaction), nor on a table of the release', async () => {
    // dbmate runs each migration in a transaction.
    const inTx = added('migrations/002_tier.sql', up("SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;", 'ALTER TABLE users DROP COLUMN tier;'))
    const fresh = added('migrations/003_orders.sql', up('CREATE TABLE orders (id bigint);\nALTER TABLE orders ADD COLUMN n int NOT NULL DEFAULT 0;', 'DROP TABLE orders;'), 11)
    const result = await verify({ added: [inTx, fresh] })
    expect(result.findings).toEqual([])
    expect(result.locks.map(l => l.locks.map(x => `${x.relation} ${x.mode}`))).toEqual([
      [],
      ['users AccessExclusiveLock'],
      ['orders AccessExclusiveLock'],
      ['orders AccessExclusiveLock'],
    ])
  })

  it('SET LOCAL outside a transaction is lost, as it is for the real runner', async () => {
    const plain = added('migrations/002_tier.sql', "SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN tier int;\n")
    expect(plain.up.map(s => s.inTransaction)).toEqual([false, false])
    const result = await verify({ added: [plain] })
    expect(result.findings.map(f => [f.ruleId, f.line])).toEqual([['verify-dangerous-lock', 2]])
  })

  it('CREATE INDEX CONCURRENTLY runs outside a transaction; its locks cannot be traced', async () => {
    const result = await verify({ added: [added('migrations/002_idx.sql', up('CREATE INDEX CONCURRENTLY users_name_idx ON users (name);', 'DROP INDEX CONCURRENTLY users_name_idx;'))] })
    expect(result.findings).toEqual([])
    expect(result.locks).toEqual([expect.objectContaining({ line: 2, locks: [], untraced: true })])
  })

  it('names a table dropped by the statement itself', async () => {
    const result = await verify({ added: [added('migrations/002_drop.sql', 'DROP TABLE users;\n')] })
    expect(result.locks[0].locks).toContainEqual({ relation: 'users', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true })
  })
})

describe('statements that fail', () => {
  it('report the Postgres error at the statement, stop that migration and go on with the next', async () => {
    const broken = added('migrations/002_broken.sql', up('ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX ON users (nope);\nALTER TABLE users ADD COLUMN b int;', 'SELECT 1;'))
    const next = added('migrations/003_next.sql', up('CREATE TABLE t (id int);', 'DROP TABLE t;'), 11)
    const result = await verify({ added: [broken, next] })
    const failed = result.findings.filter(f => f.ruleId === 'verify-statement-failed')
    expect(failed.map(f => [f.file, f.line, f.column, f.severity])).toEqual([['migrations/002_broken.sql', 3, 1, 'error']])
    expect(failed[0].message).toBe(
      'PGlite (PostgreSQL 18.6) refuses this statement: column "nope" does not exist (42703). The replay of migrations/002_broken.sql stopped here (1 statement after it not run).',
    )
    expect(result.locks.map(l => l.line)).toEqual([2, 2])
    expect(result.notes).toContain('Round trip not run: a migration of the release failed, so its down has nothing sound to undo.')
  })
})

describe('round trip', () => {
  const roundTrip = (f: Finding) => f.ruleId === 'verify-round-trip-mismatch'

  it('a down that forgets to drop an index: the mismatch names the index, and up fails again', async () => {
    const idx = added('migrations/002_idx.sql', up('ALTER TABLE users ADD COLUMN tier int;\nCREATE INDEX users_tier_idx ON users (tier);', 'ALTER TABLE users DROP COLUMN tier;'))
    // Dropping the column drops the index with it: use an index on an old column instead.
    const forgets = added('migrations/002_idx.sql', up('CREATE INDEX users_name_idx ON users (name);', 'SELECT 1;'))
    expect((await verify({ added: [idx] })).findings.filter(f => f.ruleId === 'verify-round-trip-mismatch')).toEqual([])
    await pg.reset()
    const result = await verify({ added: [forgets] })
    // One finding: the up that fails again is the same forgotten index.
    expect(result.findings.map(f => [f.ruleId, f.messageId, f.file, f.line])).toEqual([['verify-round-trip-mismatch', 'mismatch', 'migrations/002_idx.sql', 4]])
    expect(result.findings[0].message).toBe(
      'After the down migrations, index users_name_idx is still there (CREATE INDEX users_name_idx ON public.users USING btree (name)), though it was not there before the release. ' +
        'Running its up again then fails at line 2: relation "users_name_idx" already exists (42P07).',
    )
  })

  it('names columns, defaults and constraints the down does not restore', async () => {
    const m = added(
      'migrations/002_change.sql',
      up(
        "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x';\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\nALTER TABLE users DROP COLUMN email;",
        'ALTER TABLE users ADD COLUMN email varchar(10);',
      ),
    )
    const result = await verify({ added: [m] })
    expect(result.findings.filter(roundTrip).map(f => [f.ruleId, f.messageId, f.file, f.line, f.message])).toEqual([
      [
        'verify-round-trip-mismatch',
        'mismatches',
        'migrations/002_change.sql',
        6,
        'After the down migrations, 2 objects differ from the schema before the release: ' +
          '(1) column users.email differs: "text" before the release, "character varying(10)" now; ' +
          '(2) column users.name differs: "text" before the release, "text DEFAULT \'x\'::text" now.',
      ],
    ])
  })

  it('an empty down: one finding per migration naming all it left, not one per object; each at its own migration', async () => {
    const tier = added(
      'migrations/002_tier.sql',
      up('ALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX users_tier_idx ON users (tier);\nALTER TABLE users ALTER COLUMN name SET NOT NULL;', ''),
    )
    const audit = added('migrations/003_audit.sql', up('CREATE TABLE audit (id bigint);', ''), 11)
    const result = await verify({ added: [tier, audit] })
    expect(result.findings.filter(roundTrip).map(f => [f.ruleId, f.messageId, f.file, f.line])).toEqual([
      ['verify-round-trip-mismatch', 'mismatches', 'migrations/002_tier.sql', 1],
      ['verify-round-trip-mismatch', 'mismatch', 'migrations/003_audit.sql', 1],
    ])
    const [tierFinding, auditFinding] = result.findings.filter(roundTrip)
    expect(tierFinding.message).toMatch(/^After the down migrations, 4 objects differ from the schema before the release: \(1\) column users\.name differs: .*; \(2\) column users\.tier is still there .*; \(3\) index users_tier_idx is still there .*; \(4\) table orders is still there.*\. Running its up again then fails at line 2: column "tier" of relation "users" already exists \(42701\)\.$/)
    expect(auditFinding.message).toBe('After the down migrations, table audit is still there, though it was not there before the release.')
  })

  it('is skipped, with a note, when a migration has no down', async () => {
    const result = await verify({ added: [added('migrations/002_plain.sql', 'CREATE TABLE t (id int);\n')] })
    expect(result.findings).toEqual([])
    expect(result.notes).toContain('Round trip not run: migrations/002_plain.sql has no down migration.')
  })

  it('a down statement that fails is verify-statement-failed in the down', async () => {
    const result = await verify({ added: [added('migrations/002_t.sql', up('CREATE TABLE t (id int);', 'DROP TABLE nope;'))] })
    expect(result.findings.map(f => [f.ruleId, f.messageId, f.line])).toEqual([['verify-statement-failed', 'downFailed', 4]])
  })
})

describe('old code against the new schema', () => {
  const code = (text: string) => {
    const files = [{ path: 'src/users.ts', text }]
    return { label: 'v1.4', usage: scanUsage(files), files }
  }
  const dropEmail = added('migrations/002_drop.sql', up('ALTER TABLE users DROP COLUMN email;', 'ALTER TABLE users ADD COLUMN email text;'))

  it('a Kysely chain selecting a dropped column fails at its line', async () => {
    const base = code("export const find = (db) =>\n  db.selectFrom('users')\n    .select(['id', 'email'])\n    .execute()\n")
    const result = await verify({ added: [dropEmail], baseCode: base })
    const old = result.findings.filter(f => f.ruleId === 'verify-old-query-fails')
    expect(old.map(f => [f.file, f.line, f.category, f.severity, f.migrationId])).toEqual([['src/users.ts', 3, 'revert-safety', 'error', 'migrations/002_drop.sql']])
    expect(old[0].message).toBe(
      'src/users.ts:3 selects users.email in v1.4; once migrations/002_drop.sql has run, Postgres refuses it: column "email" does not exist (42703).',
    )
  })

  it('raw SQL is PREPAREd as written, with its parameters; one finding per query', async () => {
    const base = code("export const find = (c, id) => c.query(`\n  SELECT id, email\n  FROM users WHERE id = $1`, [id])\n")
    const result = await verify({ added: [dropEmail], baseCode: base })
    expect(result.findings.filter(f => f.ruleId === 'verify-old-query-fails').map(f => [f.line, f.messageId, f.message])).toEqual([
      [1, 'query', 'This query of v1.4 fails once migrations/002_drop.sql has run: column "email" does not exist (42703). The old code breaks during the deploy and after a revert.'],
    ])
  })

  it('a query that never worked on the base schema is no finding', async () => {
    const base = code("export const a = (c) => c.query('SELECT x FROM elsewhere')\nexport const b = (db) => db.selectFrom('ghosts').select('boo').execute()\n")
    const result = await verify({ added: [dropEmail], baseCode: base })
    expect(result.findings.filter(f => f.ruleId === 'verify-old-query-fails')).toEqual([])
  })

  it('an INSERT that omits a new NOT NULL column without default fails; one that sets it does not', async () => {
    const base = code(
      "export const a = (db) => db.insertInto('users').values({ id: 1, name: 'a' }).execute()\n" +
        "export const b = (db) => db.insertInto('users').values({ id: 1, tenant: 't' }).execute()\n",
    )
    const tenant = added('migrations/002_tenant.sql', up('ALTER TABLE users ADD COLUMN tenant text NOT NULL;', 'ALTER TABLE users DROP COLUMN tenant;'))
    const result = await verify({ added: [tenant], baseCode: base })
    const old = result.findings.filter(f => f.ruleId === 'verify-old-query-fails')
    expect(old.map(f => [f.line, f.messageId, f.message])).toEqual([
      [1, 'insertMissing', 'This INSERT of v1.4 sets (id, name); once migrations/002_tenant.sql has run, users.tenant is NOT NULL without a default, so it fails.'],
    ])
  })

  it('after a migration, only the queries on relations it locked are PREPAREd again', async () => {
    const base = code("export const a = (db) => db.selectFrom('users').select('email').execute()\nexport const b = (c) => c.query('SELECT name FROM users')\n")
    const orders = added('migrations/002_orders.sql', up('CREATE TABLE orders (id bigint);\nALTER TABLE orders ADD COLUMN n int;', 'DROP TABLE orders;'))
    const fn = added('migrations/003_fn.sql', up('CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;', 'DROP FUNCTION one();'), 11)
    const prepared: string[] = []
    const counting = { ...pg.engine, query: <T extends object>(sql: string, params?: readonly unknown[]) => {
      if (sql.startsWith('PREPARE')) prepared.push(sql)
      return pg.engine.query<T>(sql, params)
    } }
    await verifyMigrations(counting, { shipped: [users], added: [orders, fn], baseCode: base })
    // Both probes at the base; none after orders (users untouched); both after the function (no relation lock: anything may have changed).
    expect(prepared).toHaveLength(4)
  })

  it('an UPDATE of a renamed column fails; reads of other columns do not', async () => {
    const base = code("export const a = (db) => db.updateTable('users').set({ name: 'x' }).where('email', '=', 'e').execute()\n")
    const rename = added('migrations/002_rename.sql', up('ALTER TABLE users RENAME COLUMN name TO full_name;', 'ALTER TABLE users RENAME COLUMN full_name TO name;'))
    const result = await verify({ added: [rename], baseCode: base })
    expect(result.findings.filter(f => f.ruleId === 'verify-old-query-fails').map(f => f.message)).toEqual([
      'src/users.ts:1 updates users.name in v1.4; once migrations/002_rename.sql has run, Postgres refuses it: column "name" of relation "users" does not exist (42703).',
    ])
  })
})
