import { expect, it } from 'vitest'
import rule from '../../rules/drop-table-still-read.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE sessions (id bigint PRIMARY KEY);\nCREATE TABLE tokens (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { setup, sql: "COMMENT ON TABLE sessions IS 'unused; dropped in the next release';" },
    { name: 'no code of either release uses it', setup, sql: 'DROP TABLE sessions;', baseUsage: [{ table: 'tokens', column: 'id', kind: 'select', at: 'src/a.ts:1' }] },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nDROP TABLE t;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'DROP TABLE IF EXISTS t;' },
    {
      name: 'table created and renamed in the release',
      earlierInRelease: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;',
      sql: 'DROP TABLE u;',
    },
    { name: 'dropping a view or an index is not dropping a table', setup: `${setup}\nCREATE VIEW v AS SELECT id FROM sessions;`, sql: 'DROP VIEW v;\nDROP INDEX sessions_pkey;' },
    { name: 'a column drop is another rule', setup, sql: 'ALTER TABLE sessions DROP COLUMN id;' },
  ],
  invalid: [
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
