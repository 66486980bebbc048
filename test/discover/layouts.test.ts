import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { validate } from '../../src/config.js'
import { migrationsAtRef } from '../../src/discover/at-ref.js'
import { discoverMigrations } from '../../src/discover/discover.js'
import { breakpointPieces } from '../../src/discover/drizzle-layout.js'
import { flywayVersion } from '../../src/discover/flyway-layout.js'
import { compareVersions, orderMigrations } from '../../src/discover/layouts.js'
import { Git } from '../../src/git.js'
import type { LayoutName, Migration } from '../../src/model.js'
import { loadParser } from '../../src/parse/sql.js'
import { runCli, tempTree } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

beforeAll(() => loadParser())

const root = path.resolve(__dirname, '../../fixtures/layouts')
const discover = (dir: string, layout?: LayoutName) => discoverMigrations({ root, cwd: root, paths: [dir], layout })
const inTree = (files: Record<string, string>, layout?: LayoutName) => {
  const dir = tempTree(files)
  return discoverMigrations({ root: dir, cwd: dir, paths: [], layout })
}
/** Each statement as [first line of its SQL, line, column, in a transaction]. */
const where = (m: Migration) => m.up.map(s => [s.sql.split('\n')[0], s.loc.line, s.loc.column, s.inTransaction])

describe('discovery', () => {
  it('sql: orders NNN_ files by number, not by string, and reports other files once', async () => {
    const found = await discover('sql')
    expect(found.migrations.map(m => m.id)).toEqual(['sql/2_users.sql', 'sql/9_index.sql', 'sql/10_email.sql'])
    expect(found.migrations.map(m => m.layout)).toEqual(['sql', 'sql', 'sql'])
    expect(found.migrations.every(m => m.down === null && !m.transactional)).toBe(true)
    expect(found.unknownFiles).toEqual(['sql/NOTES.md'])
  })

  it('golang-migrate: pairs .up.sql with .down.sql, numeric order, a down without an up is unknown', async () => {
    const found = await discover('golang-migrate')
    expect(found.migrations.map(m => [m.id, m.downPath])).toEqual([
      ['golang-migrate/1_users.up.sql', 'golang-migrate/1_users.down.sql'],
      ['golang-migrate/2_email.up.sql', null],
      ['golang-migrate/10_index.up.sql', 'golang-migrate/10_index.down.sql'],
    ])
    expect(found.migrations[0].down?.map(s => s.sql)).toEqual(['DROP TABLE users'])
    expect(found.unknownFiles).toEqual(['golang-migrate/3_orphan.down.sql'])
  })

  it('golang-migrate: a file is one query, so several statements are one implicit transaction and one statement runs alone', async () => {
    const files = {
      'migrations/1_a.up.sql': 'CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n',
      'migrations/2_b.up.sql': '-- alone in its file\nCREATE INDEX CONCURRENTLY a_id2 ON a (id);\n',
    }
    const found = await inTree(files)
    expect(found.migrations.map(m => [m.layout, m.transactional, m.up.map(s => s.inTransaction)])).toEqual([
      ['golang-migrate', true, [true, true]],
      ['golang-migrate', false, [false]],
    ])
    // Postgres refuses the first (checked on PGlite: "cannot run inside a transaction block"), runs the second.
    const run = runCli(['--format', 'json'], tempTree(files))
    const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number }[] }).findings
    expect(findings.filter(f => f.ruleId === 'concurrently-in-transaction').map(f => `${f.file}:${f.line}`)).toEqual(['migrations/1_a.up.sql:2'])
  })

  it('dbmate transaction:false and diesel run_in_transaction = false send the file as one query too', async () => {
    const two = 'CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n'
    const dbmate = await inTree({
      'migrations/1_two.sql': `-- migrate:up transaction:false\n${two}`,
      'migrations/2_one.sql': '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY a_id2 ON a (id);\n',
    })
    const diesel = await inTree({
      'migrations/2024-01-01-000000_two/up.sql': two,
      'migrations/2024-01-01-000000_two/metadata.toml': 'run_in_transaction = false\n',
      'migrations/2024-01-02-000000_one/up.sql': 'CREATE INDEX CONCURRENTLY a_id2 ON a (id);\n',
      'migrations/2024-01-02-000000_one/metadata.toml': 'run_in_transaction = false\n',
    })
    for (const found of [dbmate, diesel]) {
      expect(found.migrations.map(m => [m.transactional, m.up.map(s => s.inTransaction)])).toEqual([
        [true, [true, true]],
        [false, [false]],
      ])
    }
  })

  it('dbmate: up and down sections of one file, with locations in the file and transaction:false', async () => {
    const found = await discover('dbmate')
    expect(found.migrations.map(m => m.layout)).toEqual(['dbmate', 'dbmate', 'dbmate'])
    const [users, index, bad] = found.migrations
    expect(users.up.map(s => [s.sql, s.loc.line])).toEqual([['CREATE TABLE users (id bigint PRIMARY KEY)', 2]])
    expect(users.down?.map(s => [s.sql, s.loc.line])).toEqual([['DROP TABLE users', 5]])
    // One file: its suppression comments must be read once, not once per section.
    expect(users.sources.map(f => f.path)).toEqual([users.path])
    expect(users.up[0].inTransaction).toBe(true)
    expect(index.transactional).toBe(false)
    expect(index.up[0].inTransaction).toBe(false)
    expect(bad.down).toBeNull()
  })

  it('diesel: one folder per migration, run_in_transaction from metadata.toml', async () => {
    const found = await discover('diesel')
    expect(found.migrations.map(m => m.id)).toEqual([
      'diesel/2024-01-01-000000_create_users',
      'diesel/2024-01-02-000000_add_email',
      'diesel/2024-01-03-000000_index',
    ])
    expect(found.migrations.map(m => m.transactional)).toEqual([true, true, false])
    expect(found.migrations[1].down).toEqual([])
    expect(found.unknownFiles).toEqual([])
  })

  it('takes single files named on the command line', async () => {
    const found = await discoverMigrations({ root, cwd: path.join(root, 'sql'), paths: ['10_email.sql', '2_users.sql'] })
    expect(found.migrations.map(m => m.id)).toEqual(['sql/2_users.sql', 'sql/10_email.sql'])
  })

  it('takes config globs', async () => {
    const found = await discoverMigrations({ root, cwd: root, paths: [], globs: ['golang-migrate/*.sql'] })
    expect(found.migrations.map(m => m.id)).toHaveLength(3)
  })

  it('refuses a path that does not exist, with a usage error', async () => {
    await expect(discover('nope')).rejects.toThrow(/nope: no such file or folder/)
  })
})

describe('prisma', () => {
  it('one folder per migration, ordered by folder name, no down, migration_lock.toml known', async () => {
    const found = await discover('prisma')
    expect(found.migrations.map(m => [m.id, m.path, m.downPath, m.layout])).toEqual([
      ['prisma/0_init', 'prisma/0_init/migration.sql', null, 'prisma'],
      ['prisma/20240102000000_add_email', 'prisma/20240102000000_add_email/migration.sql', null, 'prisma'],
      ['prisma/20240103000000_index', 'prisma/20240103000000_index/migration.sql', null, 'prisma'],
    ])
    expect(found.migrations.every(m => m.down === null)).toBe(true)
    expect(found.unknownFiles).toEqual(['prisma/20240103000000_index/README.md'])
  })

  it('sends each statement alone, outside a transaction, with locations in migration.sql', async () => {
    const [, , index] = (await discover('prisma')).migrations
    expect(index.transactional).toBe(false)
    expect(where(index)).toEqual([
      ["SET lock_timeout = '2s'", 2, 1, false],
      ['CREATE INDEX CONCURRENTLY "User_email_idx" ON "User"("email")', 3, 1, false],
    ])
  })

  it('sorts folder names as strings, as Prisma does, and is found in prisma/migrations without config', async () => {
    const found = await inTree({
      'prisma/migrations/2_b/migration.sql': 'CREATE TABLE b (id int);',
      'prisma/migrations/10_a/migration.sql': 'CREATE TABLE a (id int);',
      'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    })
    expect(found.migrations.map(m => m.id)).toEqual(['prisma/migrations/10_a', 'prisma/migrations/2_b'])
    expect(found.unknownFiles).toEqual([])
  })

  it('is not taken for a plain SQL folder that happens to hold a migration.sql', async () => {
    const found = await inTree({ 'migrations/001_a.sql': 'CREATE TABLE a (id int);', 'migrations/migration.sql': 'CREATE TABLE b (id int);' })
    expect(found.migrations.map(m => [m.id, m.layout])).toEqual([
      ['migrations/001_a.sql', 'sql'],
      ['migrations/migration.sql', 'sql'],
    ])
  })
})

describe('drizzle', () => {
  it('orders by the journal, knows meta/, and reports a file the journal does not list', async () => {
    const found = await discover('drizzle')
    expect(found.migrations.map(m => [m.id, m.layout, m.downPath])).toEqual([
      ['drizzle/0000_init.sql', 'drizzle', null],
      ['drizzle/0001_email.sql', 'drizzle', null],
      ['drizzle/0002_name_not_null.sql', 'drizzle', null],
    ])
    expect(found.unknownFiles).toEqual(['drizzle/0003_stray.sql'])
  })

  it('splits at the breakpoints (a piece without `;` still parses) and by the parser, with exact locations', async () => {
    const [init, email, notNull] = (await discover('drizzle')).migrations
    expect(where(init)).toEqual([
      ['CREATE TABLE "users" (', 1, 1, true],
      ['CREATE TABLE "orders" (', 6, 1, true],
      ['ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action', 11, 1, true],
    ])
    // The first piece ends without a semicolon; the comment before the index holds a non-ASCII character.
    expect(where(email)).toEqual([
      ['ALTER TABLE "users" ADD COLUMN "email" text', 1, 1, true],
      ['CREATE INDEX "users_email_idx" ON "users" USING btree ("email")', 3, 12, true],
    ])
    expect(email.up.every(s => s.ast !== null)).toBe(true)
    expect(email.up[1].loc).toMatchObject({ endLine: 3, endColumn: 75 })
    expect(where(notNull).map(w => w.slice(1))).toEqual([
      [1, 1, true],
      [2, 1, true],
    ])
  })

  it('runs every pending migration in one transaction; a COMMIT in one piece ends it for the pieces after', async () => {
    const found = await inTree({
      'drizzle/0000_a.sql': 'CREATE TABLE a (id int);\n--> statement-breakpoint\nCOMMIT;\n--> statement-breakpoint\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n',
    })
    const [a] = found.migrations
    expect(a.transactional).toBe(true)
    expect(where(a)).toEqual([
      ['CREATE TABLE a (id int)', 1, 1, true],
      ['COMMIT', 3, 1, true],
      ['CREATE INDEX CONCURRENTLY a_id ON a (id)', 5, 1, false],
    ])
  })

  it('takes the journal order over names (drizzle-kit prefix "none") and goes by name without a journal', async () => {
    const journal = { entries: [{ idx: 0, tag: 'zebra' }, { idx: 1, tag: 'apple' }] }
    const withJournal = await inTree({
      'drizzle/apple.sql': 'CREATE TABLE b (id int);',
      'drizzle/zebra.sql': 'CREATE TABLE a (id int);',
      'drizzle/meta/_journal.json': JSON.stringify(journal),
    })
    expect(withJournal.migrations.map(m => m.id)).toEqual(['drizzle/zebra.sql', 'drizzle/apple.sql'])
    const withoutJournal = await inTree({
      'db/migrations/0010_b.sql': 'CREATE TABLE b (id int);\n--> statement-breakpoint\nCREATE TABLE c (id int);',
      'db/migrations/0002_a.sql': 'CREATE TABLE a (id int);',
    })
    expect(withoutJournal.migrations.map(m => [m.id, m.layout])).toEqual([
      ['db/migrations/0002_a.sql', 'drizzle'],
      ['db/migrations/0010_b.sql', 'drizzle'],
    ])
  })

  it('reads the journal from a git tree too', async () => {
    const repo = new TestRepo().commit('drizzle', {
      'drizzle/second.sql': 'CREATE TABLE b (id int);',
      'drizzle/first.sql': 'CREATE TABLE a (id int);',
      'drizzle/meta/_journal.json': JSON.stringify({ entries: [{ idx: 0, tag: 'first' }, { idx: 1, tag: 'second' }] }),
    })
    const git = Git.open(repo.dir)!
    const atHead = await migrationsAtRef(git, git.resolve('HEAD'), { folders: ['drizzle'] })
    expect(atHead.migrations.map(m => [m.id, m.layout])).toEqual([
      ['drizzle/first.sql', 'drizzle'],
      ['drizzle/second.sql', 'drizzle'],
    ])
    expect(atHead.unknownFiles).toEqual([])
  })

  it('keeps a binary file one unparsed statement, whatever its breakpoints say; a stray NUL is a piece of its own', async () => {
    // UTF-16: every other byte is NUL.
    const utf16 = 'CREATE TABLE a (id int);\n--> statement-breakpoint\nSELECT 1;'.split('').join('\u0000')
    const found = await inTree({ 'drizzle/0000_a.sql': utf16, 'drizzle/0001_b.sql': 'CREATE TABLE a (id int);\n--> statement-breakpoint\nSELECT 1\u0000;' })
    expect(found.migrations[0].up.map(s => [s.ast, s.parseError?.includes('NUL')])).toEqual([[null, true]])
    expect(found.migrations[1].up.map(s => [s.loc.line, s.loc.column, s.notSql ?? Object.keys(s.ast!)[0]])).toEqual([
      [1, 1, 'CreateStmt'],
      [3, 1, 'SelectStmt'],
      [3, 9, 'binary'],
    ])
  })

  it('cuts pieces where drizzle-orm cuts them, markers left out', () => {
    const text = 'A;\n--> statement-breakpoint\nB;--> statement-breakpoint\nC'
    const pieces = breakpointPieces(text).map(r => Buffer.from(text).toString('utf8', r.start, r.end))
    expect(pieces).toEqual(['A;\n', '\nB;', '\nC'])
  })
})

describe('flyway', () => {
  it('orders V scripts by version number (V1.10 after V1.9, V2 after V1.10) and pairs U scripts as downs', async () => {
    const found = await discover('flyway')
    expect(found.migrations.map(m => [m.id, m.downPath])).toEqual([
      ['flyway/V1__create_users.sql', 'flyway/U1__create_users.sql'],
      ['flyway/V1.9__add_name.sql', null],
      ['flyway/V1.10__add_email.sql', null],
      ['flyway/V2__index_email.sql', null],
      ['flyway/V2_1__backfill.sql', null],
    ])
    expect(found.migrations[0].down?.map(s => [s.sql, s.loc.file, s.loc.line])).toEqual([['DROP TABLE users', 'flyway/U1__create_users.sql', 1]])
  })

  it('knows R__ scripts (not linted) and .sql.conf files; a U without its V and other files are unknown', async () => {
    const found = await discover('flyway')
    expect(found.migrations.some(m => m.id.includes('R__'))).toBe(false)
    expect(found.unknownFiles).toEqual(['flyway/README.md', 'flyway/U3__orphan.sql'])
  })

  it('runs each script in a transaction, unless it holds a statement Flyway keeps out of one or its .conf says so', async () => {
    const found = await discover('flyway')
    expect(found.migrations.map(m => [path.posix.basename(m.id), m.transactional, m.up.map(s => s.inTransaction)])).toEqual([
      ['V1__create_users.sql', true, [true]],
      ['V1.9__add_name.sql', true, [true]],
      ['V1.10__add_email.sql', true, [true]],
      ['V2__index_email.sql', false, [false]],
      ['V2_1__backfill.sql', false, [false]],
    ])
    expect(where(found.migrations[3])).toEqual([['CREATE INDEX CONCURRENTLY users_email_idx ON users (email)', 2, 1, false]])
  })

  it('takes a whole script out of the transaction for one such statement, but an explicit BEGIN still holds', async () => {
    const found = await inTree({
      'db/migration/V1__mixed.sql': 'CREATE TABLE a (id int);\nVACUUM a;\nBEGIN;\nUPDATE a SET id = 1;\nCOMMIT;\n',
      'db/migration/V2__forced.sql': 'CREATE INDEX CONCURRENTLY a_id ON a (id);\n',
      'db/migration/V2__forced.sql.conf': 'executeInTransaction=true\n',
      'db/migration/V3__analyze.sql': 'ANALYZE a;\n',
    })
    const [mixed, forced, analyze] = found.migrations
    expect(mixed.transactional).toBe(false)
    expect(mixed.up.map(s => s.inTransaction)).toEqual([false, false, true, true, true])
    expect([forced.transactional, forced.up[0].inTransaction]).toEqual([true, true])
    expect([analyze.transactional, analyze.up[0].inTransaction]).toEqual([true, true])
  })

  it('reads versions as Flyway does', () => {
    expect(flywayVersion('V1_1__a.sql')).toEqual([1n, 1n])
    expect(flywayVersion('U2.0.0__a.sql')).toEqual([2n])
    expect(flywayVersion('R__a.sql')).toBeNull()
    expect(compareVersions([1n, 10n], [1n, 9n])).toBe(1)
    expect(compareVersions([2n], [1n, 10n])).toBe(1)
    expect(compareVersions([1n], [1n, 0n])).toBe(0)
    const ordered = orderMigrations([
      { id: 'V2__b.sql', sortBy: [2n] },
      { id: 'V1.10__a.sql', sortBy: [1n, 10n] },
      { id: 'V1.9__c.sql', sortBy: [1n, 9n] },
    ])
    expect(ordered.map(m => m.id)).toEqual(['V1.9__c.sql', 'V1.10__a.sql', 'V2__b.sql'])
  })
})

describe('supabase', () => {
  it('orders <timestamp>_name.sql files by version and reports files the CLI skips', async () => {
    const found = await discover('supabase')
    expect(found.migrations.map(m => [m.id, m.layout, m.downPath])).toEqual([
      ['supabase/migrations/20240101000000_profiles.sql', 'supabase', null],
      ['supabase/migrations/20240102000000_index.sql', 'supabase', null],
    ])
    expect(found.unknownFiles).toEqual(['supabase/migrations/seed.sql'])
  })

  it('runs each file in one transaction but CREATE INDEX CONCURRENTLY alone, outside it', async () => {
    const [profiles, index] = (await discover('supabase')).migrations
    expect(profiles.transactional).toBe(true)
    expect(where(profiles).map(w => w.slice(1))).toEqual([
      [1, 1, true],
      [5, 1, true],
    ])
    expect(index.transactional).toBe(true)
    expect(where(index)).toEqual([
      ['alter table public.profiles add column website text', 1, 1, true],
      ['create index concurrently profiles_username_idx on public.profiles (username)', 2, 1, false],
    ])
  })

  it('is found in supabase/migrations without config; a BEGIN in the file still holds the statement', async () => {
    const found = await inTree({
      'supabase/migrations/20240101000000_a.sql': 'begin;\ncreate index concurrently a_id on a (id);\ncommit;\n',
    })
    expect(found.migrations.map(m => [m.layout, m.up.map(s => s.inTransaction)])).toEqual([['supabase', [true, true, true]]])
  })
})

describe('config layout', () => {
  it('forces a layout on a folder', async () => {
    const found = await discover('sql', 'supabase')
    expect(found.migrations.map(m => [m.layout, m.transactional])).toEqual([
      ['supabase', true],
      ['supabase', true],
      ['supabase', true],
    ])
    expect(found.unknownFiles).toEqual(['sql/NOTES.md'])
  })

  it('forces kysely: SQL files beside the Kysely migrations are no migrations, and no usage error', async () => {
    const found = await inTree(
      {
        'migrations/001_users.ts':
          "import { Kysely } from 'kysely'\nexport async function up(db: Kysely<any>) { await db.schema.createTable('users').addColumn('id', 'int').execute() }\n",
        'migrations/000_legacy.sql': 'CREATE TABLE legacy (id int);',
      },
      'kysely',
    )
    expect(found.migrations.map(m => [m.id, m.layout])).toEqual([['migrations/001_users.ts', 'kysely']])
    expect(found.unknownFiles).toEqual(['migrations/000_legacy.sql'])
  })

  it('accepts every layout, kysely included, and suggests the nearest for a typo', () => {
    for (const layout of ['sql', 'golang-migrate', 'dbmate', 'diesel', 'prisma', 'drizzle', 'flyway', 'supabase', 'kysely']) {
      expect(validate({ layout }, 'c.json', new Set()).layout).toBe(layout)
    }
    expect(() => validate({ layout: 'flyaway' }, 'c.json', new Set())).toThrow(/"layout" must be one of .*kysely \(did you mean "flyway"\?\)/)
  })

  it('finds drizzle and Flyway folders without config', async () => {
    const drizzle = await inTree({ 'drizzle/0000_a.sql': 'CREATE TABLE a (id int);', 'drizzle/meta/_journal.json': '{"entries":[{"idx":0,"tag":"0000_a"}]}' })
    expect(drizzle.migrations.map(m => [m.id, m.layout])).toEqual([['drizzle/0000_a.sql', 'drizzle']])
    const flyway = await inTree({ 'src/main/resources/db/migration/V1__a.sql': 'CREATE TABLE a (id int);' })
    expect(flyway.migrations.map(m => [m.id, m.layout])).toEqual([['src/main/resources/db/migration/V1__a.sql', 'flyway']])
  })
})
