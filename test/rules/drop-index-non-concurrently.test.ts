import { expect, it } from 'vitest'
import rule from '../../rules/drop-index-non-concurrently.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);'

runRule(rule, {
  valid: [
    { setup, sql: 'DROP INDEX CONCURRENTLY users_email_idx;' },
    { setup, sql: 'DROP INDEX CONCURRENTLY IF EXISTS public.users_email_idx;' },
    { name: 'IF EXISTS of an index the migrations never made: no lock is taken', setup, sql: 'DROP INDEX IF EXISTS users_name_idx, public.users_old_idx;' },
    {
      name: 'IF EXISTS, unqualified, when every table the migrations know is in another schema they made whole',
      setup: 'CREATE SCHEMA auth;\nCREATE TABLE auth.users (id uuid PRIMARY KEY, confirmation_token text);',
      sql: 'DROP INDEX IF EXISTS confirmation_token_idx;\nCREATE UNIQUE INDEX IF NOT EXISTS confirmation_token_idx ON auth.users (confirmation_token);',
    },
    { name: 'not an index', setup, sql: 'DROP TABLE users;' },
    { name: 'index on a table created in the same migration', sql: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nDROP INDEX t_id;' },
    {
      name: 'index on a table created earlier in the release',
      earlierInRelease: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);',
      sql: 'DROP INDEX t_id;',
    },
  ],
  invalid: [
    {
      name: 'IF EXISTS where the migrations start from tables made elsewhere: the index may be there',
      setup: `${setup}\nALTER TABLE legacy_accounts ADD COLUMN note text;`,
      sql: 'DROP INDEX IF EXISTS legacy_accounts_note_idx;',
      findings: [{ messageId: 'unknownTable', line: 1, column: 1 }],
    },
    {
      name: 'IF EXISTS of a name Postgres may have given an unnamed index of an expression',
      setup: `${setup}\nCREATE INDEX ON users (lower(email));`,
      sql: 'DROP INDEX IF EXISTS users_lower_idx;',
      findings: [{ messageId: 'unknownTable', line: 1, column: 1 }],
    },
    { setup, sql: 'DROP INDEX users_email_idx;', findings: [{ messageId: 'plain', line: 1, column: 1, endLine: 1, endColumn: 27 }] },
    {
      name: 'multi-line, at a later line',
      setup,
      sql: 'SELECT 1;\n\n  DROP INDEX IF EXISTS\n    users_email_idx;',
      findings: [{ messageId: 'plain', line: 3, column: 3, endLine: 4, endColumn: 20 }],
    },
    { name: 'schema-qualified', setup, sql: 'DROP INDEX public.users_email_idx;', findings: [{ messageId: 'plain', line: 1, column: 1 }] },
    { name: 'index unknown to the model', sql: 'DROP INDEX IF EXISTS legacy_idx;', findings: [{ messageId: 'unknownTable', line: 1, column: 1 }] },
    {
      name: 'one finding per index',
      setup,
      sql: 'DROP INDEX users_email_idx, legacy_idx CASCADE;',
      findings: [{ messageId: 'plain', line: 1, column: 1 }, { messageId: 'unknownTable', line: 1, column: 1 }],
    },
    {
      name: 'index created in the release on a table that existed before',
      setup,
      earlierInRelease: 'CREATE INDEX CONCURRENTLY users_id_email ON users (id, email);',
      sql: 'DROP INDEX users_id_email;',
      findings: [{ messageId: 'plain', line: 1, column: 1 }],
    },
  ],
})

it('names the table and renders the concurrent drop', () => {
  const [finding] = lintCase({ setup, sql: 'DROP INDEX IF EXISTS users_email_idx;' }, [rule])
  expect(finding.message).toBe(
    'DROP INDEX users_email_idx without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on users: every read and write of users queues behind it.',
  )
  expect(finding.help).toMatch(/^DROP INDEX CONCURRENTLY IF EXISTS users_email_idx; — in a migration that does not run inside a transaction\.$/)
})

it('is an error on a large table', () => {
  const [finding] = lintCase({ setup, sql: 'DROP INDEX users_email_idx;', config: { tables: { users: { large: true } } } }, [rule])
  expect(finding.severity).toBe('error')
})

it('warns that CONCURRENTLY cannot CASCADE', () => {
  const [finding] = lintCase({ setup, sql: 'DROP INDEX users_email_idx CASCADE;' }, [rule])
  expect(finding.help).toContain('does not allow CASCADE')
})
