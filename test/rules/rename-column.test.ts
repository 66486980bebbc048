import { describe, expect, it } from 'vitest'
import rule from '../../rules/rename-column.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);'

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE users ADD COLUMN email_address text;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'ALTER TABLE t RENAME COLUMN a TO b;' },
    { name: 'column added earlier in the release', setup, earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text;', sql: 'ALTER TABLE users RENAME COLUMN nick TO handle;' },
    {
      name: 'column added in the release, then renamed twice',
      setup,
      earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users RENAME COLUMN nick TO alias;',
      sql: 'ALTER TABLE users RENAME COLUMN alias TO handle;',
    },
    { name: 'a view column is not a table column', setup: `${setup}\nCREATE VIEW v AS SELECT email FROM users;`, sql: 'ALTER VIEW v RENAME COLUMN email TO mail;' },
    { name: 'renaming the table is another rule', setup, sql: 'ALTER TABLE users RENAME TO accounts;' },
  ],
  invalid: [
    {
      name: 'the previous release selects the column: the message names where',
      setup,
      baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/users.ts:42' }],
      sql: 'SELECT 1;\nALTER TABLE users RENAME COLUMN email TO email_address;',
      findings: [{ messageId: 'stillRead', line: 2, column: 1 }],
    },
    {
      name: "only this release's code still uses the old name",
      setup,
      baseUsage: [],
      headUsage: [{ table: 'users', column: 'email', kind: 'where', at: 'src/login.ts:7' }],
      sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
      findings: [{ messageId: 'headStillReads', line: 1, column: 1 }],
    },
    {
      name: 'code was read and none of it names the column: said so, not "still reads"',
      setup,
      baseUsage: [{ table: 'users', column: 'id', kind: 'select', at: 'src/users.ts:3' }],
      sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
      findings: [{ messageId: 'notNamed', line: 1, column: 1 }],
    },
    {
      setup,
      sql: 'ALTER TABLE users RENAME COLUMN email TO email_address;',
      findings: [{ messageId: 'renamed', line: 1, column: 1, endLine: 1, endColumn: 55 }],
    },
    { name: 'without the COLUMN keyword', setup, sql: 'ALTER TABLE users RENAME email TO mail;', findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
    {
      name: 'multi-line, after another statement',
      setup,
      sql: 'SELECT 1;\n\n  ALTER TABLE users\n    RENAME COLUMN email\n    TO mail;',
      findings: [{ messageId: 'renamed', line: 3, column: 3, endLine: 5, endColumn: 12 }],
    },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint, email text);',
      sql: 'ALTER TABLE app.users RENAME COLUMN email TO mail;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
    { name: 'public. meets the unqualified table', setup, sql: 'ALTER TABLE public.users RENAME COLUMN email TO mail;', findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
    { name: 'IF EXISTS', setup, sql: 'ALTER TABLE IF EXISTS users RENAME COLUMN email TO mail;', findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy RENAME COLUMN a TO b;', findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
    {
      name: 'rename chain: renamed before the release, renamed again now',
      setup: `${setup}\nALTER TABLE users RENAME COLUMN email TO mail;`,
      sql: 'ALTER TABLE users RENAME COLUMN mail TO contact_email;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
    {
      name: 'rename chain within the migration: the second rename still breaks old code',
      setup,
      sql: 'ALTER TABLE users RENAME COLUMN email TO mail;\nALTER TABLE users RENAME COLUMN mail TO contact_email;',
      findings: [
        { messageId: 'renamed', line: 1, column: 1 },
        { messageId: 'renamed', line: 2, column: 1 },
      ],
    },
    {
      name: 'table renamed before the release',
      setup: `${setup}\nALTER TABLE users RENAME TO accounts;`,
      sql: 'ALTER TABLE accounts RENAME COLUMN email TO mail;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
  ],
})

describe('rename-column messages say what is known of the old code', () => {
  const rename = 'ALTER TABLE users RENAME COLUMN email TO email_address;'
  const messages = (c: Parameters<typeof lintCase>[0]) => lintCase(c, [rule]).map(f => f.message)

  it('no code scanned: no claim that it still reads the column', () => {
    expect(messages({ setup, sql: rename })).toEqual([expect.stringContaining('no code was scanned')])
    expect(messages({ setup, sql: rename })[0]).not.toContain('still reads')
  })

  it('code that names it: at file:line', () => {
    const baseUsage = [{ table: 'users', column: 'email', kind: 'select' as const, at: 'src/users.ts:42' }]
    expect(messages({ setup, sql: rename, baseUsage })).toEqual([expect.stringContaining('release v1.4 still uses users.email (src/users.ts:42 selects users.email)')])
  })
})
