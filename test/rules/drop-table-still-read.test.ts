import { expect, it } from 'vitest'
import rule from '../../rules/drop-table-still-read.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE sessions (id bigint PRIMARY KEY);\nCREATE TABLE tokens (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { name: 'IF EXISTS of relations the migrations never made, with no code scanned', setup, sql: 'DROP TABLE IF EXISTS sessions_old;\nDROP VIEW IF EXISTS active_sessions;' },
    {
      name: 'IF EXISTS of a scratch table the migration makes again, on top of tables made elsewhere',
      setup: `${setup}\nALTER TABLE events ADD COLUMN processed boolean;`,
      sql: 'DROP TABLE IF EXISTS _sessions_to_check;\nCREATE TABLE _sessions_to_check AS SELECT id FROM sessions;',
    },
    { setup, sql: "COMMENT ON TABLE sessions IS 'unused; dropped in the next release';" },
    { name: 'no code of either release uses it', setup, sql: 'DROP TABLE sessions;', baseUsage: [{ table: 'tokens', column: 'id', kind: 'select', at: 'src/a.ts:1' }] },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nDROP TABLE t;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'DROP TABLE IF EXISTS t;' },
    {
      name: 'table created and renamed in the release',
      earlierInRelease: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;',
      sql: 'DROP TABLE u;',
    },
    { name: 'an index is no relation the code reads', setup, sql: 'DROP INDEX sessions_pkey;' },
    {
      name: 'a view no code of either release reads',
      setup: `${setup}\nCREATE VIEW v AS SELECT id FROM sessions;`,
      sql: 'DROP VIEW v;',
      baseUsage: [{ table: 'sessions', column: 'id', kind: 'select', at: 'src/a.ts:1' }],
    },
    {
      name: 'a view dropped and made again with the columns old code reads',
      setup: `${setup}\nCREATE VIEW active AS SELECT id FROM sessions;`,
      sql: 'DROP VIEW active;\nCREATE VIEW active AS SELECT s.id, 1 AS weight FROM sessions s;',
      baseUsage: [{ table: 'active', column: 'id', kind: 'select', at: 'src/a.ts:3' }],
    },
    {
      name: 'a materialized view rebuilt under a new name and renamed into place',
      setup: `${setup}\nCREATE MATERIALIZED VIEW stats AS SELECT count(*) AS total FROM sessions;`,
      sql:
        'CREATE MATERIALIZED VIEW stats_new AS SELECT count(*) AS total, max(id) AS newest FROM sessions;\n' +
        'DROP MATERIALIZED VIEW stats;\nALTER MATERIALIZED VIEW stats_new RENAME TO stats;',
      baseUsage: [{ table: 'stats', column: 'total', kind: 'select', at: 'src/a.ts:3' }],
    },
    { name: 'a column drop is another rule', setup, sql: 'ALTER TABLE sessions DROP COLUMN id;' },
  ],
  invalid: [
    {
      name: 'a shipped table dropped and made again is still dropped: its rows and columns are gone',
      setup,
      sql: 'DROP TABLE IF EXISTS sessions;\nCREATE TABLE sessions (id bigint PRIMARY KEY);',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'IF EXISTS in a schema the migrations never made tables in',
      setup,
      sql: 'DROP TABLE IF EXISTS auth.sessions;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'IF EXISTS where the migrations reference a table made elsewhere (a baseline)',
      setup: `${setup}\nCREATE INDEX accounts_email ON accounts (email);`,
      sql: 'DROP TABLE IF EXISTS sessions_old;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      // Issue 12: a CASCADE takes the schema's tables with it.
      name: 'DROP SCHEMA … CASCADE of a schema whose table the previous release reads',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.orders (id bigint);\nCREATE TABLE app.items (id bigint);',
      sql: 'DROP SCHEMA app CASCADE;',
      baseUsage: [{ table: 'app.orders', column: 'id', kind: 'select', at: 'src/a.ts:3' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    {
      // Issue 12: a view is a relation the old code reads like a table.
      name: 'a view the previous release reads, dropped',
      setup: `${setup}\nCREATE VIEW active AS SELECT id FROM sessions;`,
      sql: 'DROP VIEW active;',
      baseUsage: [{ table: 'active', column: 'id', kind: 'select', at: 'src/a.ts:3' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    {
      name: 'a materialized view made again without a column old code reads',
      setup: `${setup}\nCREATE MATERIALIZED VIEW stats AS SELECT count(*) AS total, max(id) AS newest FROM sessions;`,
      sql: 'DROP MATERIALIZED VIEW stats;\nCREATE MATERIALIZED VIEW stats AS SELECT count(*) AS total FROM sessions;',
      baseUsage: [{ table: 'stats', column: 'newest', kind: 'select', at: 'src/a.ts:3' }],
      findings: [{ messageId: 'viewColumnsGone', line: 1, column: 1 }],
    },
    { setup, sql: 'DROP TABLE sessions;', findings: [{ messageId: 'unverified', line: 1, column: 1, endLine: 1, endColumn: 20 }] },
    {
      name: 'the previous release still reads it',
      setup,
      sql: 'DROP TABLE sessions;',
      baseUsage: [{ table: 'sessions', column: '', kind: 'select', at: 'src/auth.ts:7' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    {
      name: "this release's code still reads it",
      setup,
      sql: 'DROP TABLE sessions;',
      baseUsage: [],
      headUsage: [{ table: 'sessions', column: 'id', kind: 'where', at: 'src/auth.ts:9' }],
      findings: [{ messageId: 'headStillReads', line: 1, column: 1 }],
    },
    {
      name: 'one finding per pre-existing table, multi-line, after another statement',
      setup,
      earlierInRelease: 'CREATE TABLE scratch (a int);',
      sql: 'SELECT 1;\nDROP TABLE\n  sessions,\n  scratch,\n  tokens CASCADE;',
      findings: [
        { messageId: 'unverified', line: 2, column: 1, endLine: 5, endColumn: 17 },
        { messageId: 'unverified', line: 2, column: 1 },
      ],
    },
    { name: 'IF EXISTS', setup, sql: 'DROP TABLE IF EXISTS sessions;', findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.sessions (id bigint);',
      sql: 'DROP TABLE app.sessions;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    { name: 'public. meets the unqualified table', setup, sql: 'DROP TABLE public.sessions;', findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'DROP TABLE legacy;', findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'table renamed before the release',
      setup: `${setup}\nALTER TABLE sessions RENAME TO sessions_old;`,
      sql: 'DROP TABLE sessions_old;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
  ],
})

it('names each pre-existing table and says no code scan proved it unused', () => {
  const found = lintCase({ setup, earlierInRelease: 'CREATE TABLE scratch (a int);', sql: 'DROP TABLE sessions, scratch, public.tokens;' }, [rule])
  expect(found.map(f => [f.severity, f.message, f.help])).toEqual([
    [
      'error',
      'DROP TABLE sessions: no code scan proved that the previous release no longer reads or writes sessions.',
      'Release N (this one): ship the code that stops reading and writing sessions; release N+1: DROP TABLE sessions;',
    ],
    [
      'error',
      'DROP TABLE tokens: no code scan proved that the previous release no longer reads or writes tokens.',
      'Release N (this one): ship the code that stops reading and writing tokens; release N+1: DROP TABLE tokens;',
    ],
  ])
})
