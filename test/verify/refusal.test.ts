// Issue 14: verify never runs a statement that acts beyond its database, nor code it cannot read
// through, nor text that is no SQL; it reports each as verify-statement-failed at its line and stops
// that migration there. On PGlite, which runs in this process: the refused statement must not run.
import { describe, expect, it } from 'vitest'
import { databaseUrlFromEnv, serverLabel } from '../../src/verify/database-url.js'
import { refusalOfSql } from '../../src/verify/refusal.js'
import { isLeftover, LEFTOVER_AGE_S, throwAwayName } from '../../src/verify/server-engine.js'
import { verifyMigrations } from '../../src/verify/verify-migrations.js'
import { added, engineForThisFile, shipped } from './shared-engine.js'

const pg = engineForThisFile()

const users = shipped('migrations/001_users.sql', '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- migrate:down\nDROP TABLE users;\n')
const verify = (...release: ReturnType<typeof added>[]) => verifyMigrations(pg.engine, { shipped: [users], added: release, baseCode: null })
const refused = (result: Awaited<ReturnType<typeof verify>>) =>
  result.findings.map(f => ({ ruleId: f.ruleId, file: f.file, line: f.line, severity: f.severity, message: f.message }))
const roleSettings = async () => (await pg.engine.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_db_role_setting'))[0].n
const databases = async () => (await pg.engine.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY 1')).map(r => r.datname)
const tables = async () => (await pg.engine.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1")).map(r => r.relname)

describe('statements that act beyond the database are refused, reported, never run', () => {
  it('ALTER ROLE … SET and CREATE DATABASE: not run, the replay of the migration stops there', async () => {
    const settings = await roleSettings()
    const before = await databases()
    const result = await verify(
      added('migrations/002_role.sql', "CREATE TABLE a (id int);\nALTER ROLE CURRENT_USER SET work_mem = '1MB';\nCREATE TABLE b (id int);\n"),
      added('migrations/003_db.sql', 'CREATE DATABASE other;\n', 11),
    )
    expect(refused(result)).toEqual([
      {
        ruleId: 'verify-statement-failed',
        file: 'migrations/002_role.sql',
        line: 2,
        severity: 'error',
        message: expect.stringMatching(
          /^verify did not run this statement on PGlite \(PostgreSQL [\d.]+\): ALTER ROLE CURRENT_USER SET acts beyond the database verify made for the replay, on roles, which every database on the server shares\. The replay of migrations\/002_role\.sql stopped here \(1 statement after it not run\)\.$/,
        ),
      },
      expect.objectContaining({ ruleId: 'verify-statement-failed', file: 'migrations/003_db.sql', line: 1, message: expect.stringContaining('CREATE DATABASE other acts beyond') }),
    ])
    expect(await roleSettings()).toBe(settings)
    expect(await databases()).toEqual(before)
    expect(await tables()).toEqual(['a', 'users'])
    expect(result.locks.map(l => `${l.line} ${l.statement}`)).toEqual(['1 CREATE TABLE a (id int)'])
  })

  it('file and session functions anywhere in a statement, COPY to a program', async () => {
    const result = await verify(
      added('migrations/002_read.sql', "ALTER TABLE users ADD COLUMN secret text DEFAULT pg_read_file('/etc/hostname');\n"),
      added('migrations/003_kill.sql', 'SELECT 1;\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity;\n', 11),
      added('migrations/004_copy.sql', "COPY users TO PROGRAM 'id';\n", 12),
    )
    expect(refused(result).map(f => `${f.file}:${f.line}`)).toEqual(['migrations/002_read.sql:1', 'migrations/003_kill.sql:2', 'migrations/004_copy.sql:1'])
    expect(result.findings[0].message).toContain("pg_read_file() acts beyond the database verify made for the replay, on the server's file system")
    expect((await pg.engine.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.columns WHERE column_name = 'secret'"))[0].n).toBe(0)
  })

  it('inside a DO block: a static ALTER ROLE, and dynamic SQL that cannot be proven to stay inside', async () => {
    const settings = await roleSettings()
    const result = await verify(
      added('migrations/002_do.sql', "DO $$\nBEGIN\n  ALTER ROLE CURRENT_USER SET work_mem = '1MB';\nEND $$;\n"),
      added('migrations/003_dynamic.sql', "DO $$\nBEGIN\n  EXECUTE 'ALTER ROLE ' || current_user || ' SET work_mem = ''1MB''';\nEND $$;\n", 11),
      added('migrations/004_perform.sql', "DO $$ BEGIN PERFORM pg_reload_conf(); END $$;\n", 12),
    )
    expect(refused(result).map(f => `${f.file}:${f.line}`)).toEqual(['migrations/002_do.sql:1', 'migrations/003_dynamic.sql:1', 'migrations/004_perform.sql:1'])
    expect(result.findings[1].message).toContain("the DO block runs SQL built at run time (EXECUTE 'ALTER ROLE ' || current_user || ' SE...): it cannot be proven to stay in the database")
    expect(result.findings[2].message).toContain("pg_reload_conf() acts beyond the database")
    expect(await roleSettings()).toBe(settings)
  })

  it('a function made to reach out later is refused when it is made', async () => {
    const result = await verify(
      added('migrations/002_fn.sql', "CREATE FUNCTION leak() RETURNS text LANGUAGE sql AS $$ SELECT pg_read_file('/etc/hostname') $$;\nSELECT leak();\n"),
    )
    expect(refused(result).map(f => `${f.file}:${f.line}`)).toEqual(['migrations/002_fn.sql:1'])
  })

  it('COPY rows and text that does not parse are not sent as SQL', async () => {
    const result = await verify(added('migrations/002_copy.sql', "COPY users (id, email) FROM stdin;\n1\ta@x\nDROP TABLE users;\n\\.\n"))
    expect(refused(result).map(f => `${f.file}:${f.line}`)).toEqual(['migrations/002_copy.sql:1'])
    expect(result.findings[0].message).toContain('COPY … FROM STDIN takes its rows from psql, which verify does not replay')
    expect(await tables()).toEqual(['users'])
  })

  it('a down migration that reaches out is refused in the round trip', async () => {
    const result = await verify(added('migrations/002_t.sql', '-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\nDROP ROLE someone;\n'))
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'verify-statement-failed', line: 5, message: expect.stringMatching(/^verify did not run this statement of the down migration on PGlite.*DROP ROLE acts beyond/) })])
  })
})

describe('units', () => {
  it('refusalOfSql: every statement of a batch, with $n parameters', () => {
    expect(refusalOfSql('INSERT INTO t VALUES ($1); DROP DATABASE x')).toMatch(/^DROP DATABASE x acts beyond/)
    expect(refusalOfSql('begin')).toBeNull()
    expect(refusalOfSql('select * from "users" where "id" = $1')).toBeNull()
    expect(refusalOfSql('not sql at all')).toBe('it does not parse, so what it would do was never checked')
  })

  it('throw-away names carry the server time; only an exact name over an hour old is a leftover', () => {
    const now = 1_767_225_600
    expect(throwAwayName(now)).toMatch(/^migrate_lint_1767225600_[0-9a-f]{12}$/)
    expect(isLeftover(`migrate_lint_${now - LEFTOVER_AGE_S - 1}_0123456789ab`, now)).toBe(true)
    expect(isLeftover(`migrate_lint_${now - 60}_0123456789ab`, now)).toBe(false)
    for (const name of [`migrate_lint_${now - 7200}_0123456789abc`, `migrate_lint_${now - 7200}_0123456789AB`, 'migrate_lint_0123456789ab', `xmigrate_lint_${now - 7200}_0123456789ab`, 'app']) {
      expect(isLeftover(name, now)).toBe(false)
    }
  })

  it('a password never shows in the server label, in the URL or its query string', () => {
    expect(serverLabel('postgres://app:s3cret@db:5432/app?sslmode=require&password=s3cret')).toBe('postgres://app@db:5432/app?sslmode=require&password=redacted')
  })

  it('MIGRATE_LINT_DATABASE_URL is read once and taken out of the environment', () => {
    const env: NodeJS.ProcessEnv = { MIGRATE_LINT_DATABASE_URL: ' postgres://u:p@h/db ', HOME: '/root' }
    expect(databaseUrlFromEnv(env)).toBe('postgres://u:p@h/db')
    expect(env).toEqual({ HOME: '/root' })
    expect(databaseUrlFromEnv(env)).toBeUndefined()
  })
})
