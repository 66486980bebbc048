import { expect, it } from 'vitest'
import rule from '../../rules/drop-column-data-loss.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text, token text);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE TABLE users_token_archive AS SELECT id, token FROM users;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int, b int);', sql: 'ALTER TABLE t DROP COLUMN b;' },
    { name: 'column added earlier in the release', setup, earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text;', sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nick;' },
    { name: 'column added by the same statement', setup, sql: 'ALTER TABLE users ADD COLUMN nick text, DROP COLUMN nick;' },
    { name: 'DROP TABLE is not a column drop', setup, sql: 'DROP TABLE users;' },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE users DROP COLUMN token;', findings: [{ messageId: 'dataLoss', line: 1, column: 1, endLine: 1, endColumn: 36 }] },
    {
      name: 'two columns, multi-line, after another statement',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users\n  DROP COLUMN email,\n  DROP token CASCADE;',
      findings: [
        { messageId: 'dataLoss', line: 2, column: 1, endLine: 4, endColumn: 21 },
        { messageId: 'dataLoss', line: 2, column: 1 },
      ],
    },
    { name: 'IF EXISTS', setup, sql: 'ALTER TABLE IF EXISTS users DROP COLUMN IF EXISTS token;', findings: [{ messageId: 'dataLoss', line: 1, column: 1 }] },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint, token text);',
      sql: 'ALTER TABLE app.users DROP COLUMN token;',
      findings: [{ messageId: 'dataLoss', line: 1, column: 1 }],
    },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy DROP COLUMN a;', findings: [{ messageId: 'dataLoss', line: 1, column: 1 }] },
    {
      name: 'column renamed before the release',
      setup: `${setup}\nALTER TABLE users RENAME COLUMN token TO secret;`,
      sql: 'ALTER TABLE users DROP COLUMN secret;',
      findings: [{ messageId: 'dataLoss', line: 1, column: 1 }],
    },
  ],
})

it('says the data is gone and a revert cannot bring it back', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE users DROP COLUMN token;' }, [rule])
  expect(finding.severity).toBe('info')
  expect(finding.message).toBe(
    'DROP COLUMN users.token deletes its data in every row: a revert of the code cannot bring it back, only a restore from backup can.',
  )
  expect(finding.help).toBe('If the data may still be needed, archive it first: CREATE TABLE users_token_archive AS SELECT <primary key>, token FROM users;')
})
