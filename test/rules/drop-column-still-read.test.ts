import { expect, it } from 'vitest'
import rule from '../../rules/drop-column-still-read.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, token text);'

runRule(rule, {
  valid: [
    { name: 'IF EXISTS of a column the migrations never made, with no code scanned', setup, sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nickname;' },
    { setup, sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int, b int);', sql: 'ALTER TABLE t DROP COLUMN b;' },
    { name: 'column added earlier in the release', setup, earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text;', sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nick;' },
    {
      name: 'column added and renamed in the release',
      setup,
      earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users RENAME COLUMN nick TO handle;',
      sql: 'ALTER TABLE users DROP COLUMN handle;',
    },
    { name: 'column added by the same statement', setup, sql: 'ALTER TABLE users ADD COLUMN nick text, DROP COLUMN nick;' },
    { name: 'DROP TABLE is another rule', setup, sql: 'DROP TABLE users;' },
    {
      name: 'the read stopped in an earlier release: neither base nor head code touches it',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;',
      baseUsage: [{ table: 'users', column: 'token', kind: 'select', at: 'src/users.ts:3' }, { table: 'users', column: '', kind: 'select', at: 'src/users.ts:3' }],
      headUsage: [],
    },
    // Issue 15: the release leaves the column there again, of the same type, so the old queries still run.
    { name: 'dropped and added back in the same statement (lemmy)', setup, sql: "ALTER TABLE users\n    DROP COLUMN email,\n    ADD COLUMN email text NOT NULL DEFAULT '';" },
    {
      name: 'dropped and added back by the next statement, the old code reading it (temporal)',
      setup,
      sql: "ALTER TABLE users DROP COLUMN token;\nALTER TABLE users ADD COLUMN token TEXT;",
      baseUsage: [{ table: 'users', column: 'token', kind: 'select', at: 'src/users.ts:3' }],
    },
    {
      name: 'another column renamed into the dropped name (lemmy inbox_url)',
      setup: setup + '\nALTER TABLE users ADD COLUMN shared_token text;',
      sql: 'ALTER TABLE users DROP COLUMN token;\nALTER TABLE users RENAME COLUMN shared_token TO token;',
    },
    {
      name: 'added back by a later migration of the release',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN token;',
      laterInRelease: 'ALTER TABLE users ADD COLUMN token text;',
      baseUsage: [{ table: 'users', column: 'token', kind: 'update', at: 'src/users.ts:9' }],
    },
    {
      name: 'added back with another type, read only by this release\'s code',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN token;\nALTER TABLE users ADD COLUMN token bytea;',
      baseUsage: [],
      headUsage: [{ table: 'users', column: 'token', kind: 'select', at: 'src/users.ts:3' }],
    },
  ],
  invalid: [
    {
      name: 'added back with another type: the old code meets the new type',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN token;\nALTER TABLE users ADD COLUMN token bytea;',
      baseUsage: [{ table: 'users', column: 'token', kind: 'select', at: 'src/users.ts:3' }],
      findings: [{ messageId: 'retyped', line: 1, column: 1, endLine: 1, endColumn: 36 }],
    },
    {
      name: 'added back with another type by a later migration, no code scanned',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users DROP COLUMN email;',
      laterInRelease: 'ALTER TABLE users ADD COLUMN email varchar(100);',
      findings: [{ messageId: 'retypedUnverified', line: 2, column: 1 }],
    },
    {
      name: 'added back, then the table is renamed: the old name is gone',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;\nALTER TABLE users ADD COLUMN email text NOT NULL;\nALTER TABLE users RENAME TO accounts;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'added back, then dropped again by a later migration',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN token;\nALTER TABLE users ADD COLUMN token text;',
      laterInRelease: 'ALTER TABLE users DROP COLUMN token;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'IF EXISTS of a column the model lacks, which the old code reads: the code wins over the model',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nickname;',
      baseUsage: [{ table: 'users', column: 'nickname', kind: 'select', at: 'src/users.ts:5' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    {
      // Issue 12: DROP TYPE … CASCADE drops every column of the type.
      name: 'DROP TYPE … CASCADE takes a column the previous release reads',
      setup: "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE people (id bigint, mood mood);",
      sql: 'DROP TYPE mood CASCADE;',
      baseUsage: [{ table: 'people', column: 'mood', kind: 'select', at: 'src/people.ts:4' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    { setup, sql: 'ALTER TABLE users DROP COLUMN email;', findings: [{ messageId: 'unverified', line: 1, column: 1, endLine: 1, endColumn: 36 }] },
    {
      name: 'the previous release selects it',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/users/repo.ts:42' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    {
      name: 'the previous release selects * from the table',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;',
      baseUsage: [{ table: 'users', column: '*', kind: 'selectAll', at: 'src/users/repo.ts:7' }],
      findings: [{ messageId: 'stillRead', line: 1, column: 1 }],
    },
    {
      name: "this release's code still writes it",
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;',
      baseUsage: [],
      headUsage: [{ table: 'users', column: 'email', kind: 'insert', at: 'src/signup.ts:11' }],
      findings: [{ messageId: 'headStillReads', line: 1, column: 1 }],
    },
    {
      name: 'two columns, multi-line, after another statement',
      setup,
      sql: 'SELECT 1;\n\n  ALTER TABLE users\n    DROP COLUMN email,\n    DROP token;',
      findings: [
        { messageId: 'unverified', line: 3, column: 3, endLine: 5, endColumn: 15 },
        { messageId: 'unverified', line: 3, column: 3 },
      ],
    },
    { name: 'IF EXISTS', setup, sql: 'ALTER TABLE IF EXISTS users DROP COLUMN IF EXISTS email;', findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint, email text);',
      sql: 'ALTER TABLE app.users DROP COLUMN email;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy DROP COLUMN a;', findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'the drop of an old column next to the add of its replacement',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN email_address text, DROP COLUMN email;',
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
  ],
})

it('says that no code scan proved the previous release stopped using the column', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE public.users DROP COLUMN email;' }, [rule])
  expect(finding.severity).toBe('error')
  expect(finding.message).toBe('DROP COLUMN users.email: no code scan proved that the previous release no longer reads or writes users.email.')
  expect(finding.help).toBe('Release N (this one): ship the code that stops reading and writing users.email; release N+1: ALTER TABLE users DROP COLUMN email;')
})

it('names the release and the place in its code (DESIGN §11)', () => {
  const [finding] = lintCase(
    { setup, sql: 'ALTER TABLE users DROP COLUMN email;', baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/users/repo.ts:42' }] },
    [rule],
  )
  expect(finding.message).toBe(
    'DROP COLUMN users.email: release v1.4 still reads it (src/users/repo.ts:42 selects users.email). Reverting the app to v1.4 after this migration breaks that query.',
  )
})
