import { expect, it } from 'vitest'
import rule from '../../rules/volatile-default.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { setup, sql: "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';" },
    { setup, sql: 'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();' },
    { setup, sql: 'ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT current_timestamp;' },
    { setup, sql: 'ALTER TABLE users ADD COLUMN token uuid;\nALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();' },
    { name: 'DEFAULT NULL stores no default, even before 11', setup, sql: 'ALTER TABLE users ADD COLUMN n int DEFAULT NULL::int;', config: { postgresVersion: 10 } },
    { name: 'no default before 11', setup, sql: 'ALTER TABLE users ADD COLUMN n int;', config: { postgresVersion: 10 } },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();' },
    {
      name: 'table created earlier in the release',
      earlierInRelease: 'CREATE TABLE t (id int);',
      sql: 'ALTER TABLE t ADD COLUMN n bigserial;',
    },
    {
      name: 'a function an earlier release created IMMUTABLE: Postgres stores the value, whatever the body does',
      setup: `${setup}\nCREATE FUNCTION next_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT md5(random()::text) $$;`,
      sql: 'ALTER TABLE users ADD COLUMN code text DEFAULT next_code();',
    },
    {
      name: 'a STABLE function created earlier in the same migration, called schema-qualified',
      setup,
      sql: "CREATE OR REPLACE FUNCTION public.tenant_default() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN 1; END $$;\nALTER TABLE users ADD COLUMN tenant int DEFAULT public.tenant_default();",
    },
    {
      name: 'declared volatile, then ALTER FUNCTION … IMMUTABLE',
      setup: `${setup}\nCREATE FUNCTION shard_of(bigint) RETURNS int LANGUAGE sql AS 'SELECT 1';\nALTER FUNCTION shard_of(bigint) IMMUTABLE;`,
      sql: 'ALTER TABLE users ADD COLUMN shard int DEFAULT shard_of(42);',
    },
  ],
  invalid: [
    {
      setup,
      sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      findings: [{ messageId: 'volatile', line: 1, column: 1, endLine: 1, endColumn: 66 }],
    },
    {
      name: 'multi-line, second command, at a later line',
      setup,
      sql: 'SELECT 1;\n\n  ALTER TABLE users\n    ADD COLUMN a int,\n    ADD COLUMN jitter float8 DEFAULT random();',
      findings: [{ messageId: 'volatile', line: 3, column: 3, endLine: 5, endColumn: 46 }],
    },
    { name: 'schema-qualified, IF EXISTS', setup, sql: 'ALTER TABLE IF EXISTS public.users ADD COLUMN t timestamptz DEFAULT clock_timestamp();', findings: [{ messageId: 'volatile', line: 1, column: 1 }] },
    { name: 'nextval', setup, sql: "ALTER TABLE users ADD COLUMN n bigint DEFAULT nextval('users_n_seq');", findings: [{ messageId: 'volatile', line: 1, column: 1 }] },
    { name: 'a function Postgres may not know as stable', setup, sql: 'ALTER TABLE users ADD COLUMN code text DEFAULT make_code();', findings: [{ messageId: 'volatile', line: 1, column: 1 }] },
    {
      name: 'a function created without a volatility is VOLATILE',
      setup: `${setup}\nCREATE FUNCTION make_code() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'x'; END $$;`,
      sql: 'SELECT 1;\nALTER TABLE users ADD COLUMN code text DEFAULT make_code();',
      findings: [{ messageId: 'volatile', line: 2, column: 1 }],
    },
    {
      name: 'replaced by a VOLATILE version of the same signature',
      setup: `${setup}\nCREATE FUNCTION make_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;`,
      sql: "CREATE OR REPLACE FUNCTION make_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;\nALTER TABLE users ADD COLUMN code text DEFAULT make_code();",
      findings: [{ messageId: 'volatile', line: 2, column: 1 }],
    },
    {
      name: 'one overload of the name is VOLATILE: the call may be that one',
      setup: `${setup}\nCREATE FUNCTION pick(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';\nCREATE FUNCTION pick(text) RETURNS int LANGUAGE sql AS 'SELECT 2';`,
      sql: 'ALTER TABLE users ADD COLUMN p int DEFAULT pick(1);',
      findings: [{ messageId: 'volatile', line: 1, column: 1 }],
    },
    {
      name: 'the IMMUTABLE function was dropped (another one may take its name)',
      setup: `${setup}\nCREATE FUNCTION next_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;`,
      earlierInRelease: 'DROP FUNCTION next_code();',
      sql: 'ALTER TABLE users ADD COLUMN code text DEFAULT next_code();',
      findings: [{ messageId: 'volatile', line: 1, column: 1 }],
    },
    { name: 'bigserial', setup, sql: 'ALTER TABLE users ADD COLUMN n bigserial;', findings: [{ messageId: 'volatile', line: 1, column: 1 }] },
    { name: 'identity', setup, sql: 'ALTER TABLE users ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY;', findings: [{ messageId: 'volatile', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy ADD COLUMN token uuid DEFAULT gen_random_uuid();', findings: [{ messageId: 'volatile', line: 1, column: 1 }] },
    {
      name: 'before Postgres 11 any default rewrites',
      setup,
      sql: "ALTER TABLE users ADD COLUMN status text DEFAULT 'active', ADD COLUMN created_at timestamptz DEFAULT now();",
      config: { postgresVersion: 10 },
      findings: [{ messageId: 'anyDefault', line: 1, column: 1 }, { messageId: 'anyDefault', line: 1, column: 1 }],
    },
    {
      name: 'before Postgres 11 a volatile default is still named as such',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      config: { postgresVersion: 9 },
      findings: [{ messageId: 'volatile', line: 1, column: 1 }],
    },
  ],
})

const first = (sql: string, postgresVersion = 15) => lintCase({ setup, sql, config: { postgresVersion } }, [rule])[0]

it('names the default and renders the add-then-default steps', () => {
  const finding = first('ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();')
  expect(finding.message).toBe(
    'ADD COLUMN users.token with the volatile default gen_random_uuid() rewrites every row of users under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole rewrite.',
  )
  expect(finding.help).toBe(
    'ALTER TABLE users ADD COLUMN token uuid;\n' +
      'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n' +
      '-- then backfill the existing rows in batches: UPDATE users SET token = gen_random_uuid() WHERE token IS NULL AND <next batch of keys>;\n' +
      '-- and add NOT NULL once every row is filled (through a NOT VALID check constraint).',
  )
})

it('renders a sequence for serial columns', () => {
  expect(first('ALTER TABLE users ADD COLUMN n serial;').help).toBe(
    'ALTER TABLE users ADD COLUMN n integer;\n' +
      'CREATE SEQUENCE users_n_seq OWNED BY users.n;\n' +
      "ALTER TABLE users ALTER COLUMN n SET DEFAULT nextval('users_n_seq');\n" +
      "-- then backfill the existing rows in batches: UPDATE users SET n = nextval('users_n_seq') WHERE n IS NULL AND <next batch of keys>;",
  )
})

it('names the functions of a default it cannot show', () => {
  expect(first('ALTER TABLE users ADD COLUMN r int DEFAULT (random() * 100)::int;').message).toContain('the volatile default (an expression calling random())')
})

it('says which Postgres version makes a constant default rewrite', () => {
  expect(first("ALTER TABLE users ADD COLUMN s text DEFAULT 'x';", 10).message).toBe(
    "ADD COLUMN users.s with DEFAULT 'x' rewrites every row of users under an ACCESS EXCLUSIVE lock on Postgres 10 (before 11, every default does).",
  )
})
