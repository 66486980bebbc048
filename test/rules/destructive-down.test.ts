import { beforeAll, describe, expect, it } from 'vitest'
import rule from '../../rules/destructive-down.js'
import { loadParser } from '../../src/parse/sql.js'
import { lintHistory } from '../lint-history.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);'
const migration = (up: string, down: string) => `-- migrate:up\n${up}\n-- migrate:down\n${down}`

runRule(rule, {
  valid: [
    { sql: '-- migrate:up\nCREATE TABLE audit (id int);\n-- migrate:down\nDROP TABLE audit;' },
    { sql: '-- migrate:up\nALTER TABLE users ADD COLUMN nick text;\n-- migrate:down\nALTER TABLE users DROP COLUMN nick;' },
    { name: 'no down at all is another rule', sql: '-- migrate:up\nALTER TABLE users RENAME COLUMN a TO b;' },
    { name: 'a column the up added to a shipped table', setup, sql: migration('ALTER TABLE users ADD COLUMN nick text;', 'ALTER TABLE users DROP COLUMN nick;') },
    {
      name: 'a column the up added to a table it then renamed',
      setup,
      sql: migration('ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users RENAME TO members;', 'ALTER TABLE members DROP COLUMN nick;\nALTER TABLE members RENAME TO users;'),
    },
    {
      // ory/kratos splits one change over numbered files whose downs undo the next file's up: the down of N runs
      // only after the down of N+1, and drops what N+1 made.
      name: "a table no migration so far made, which the up does not touch (the next migration's)",
      setup,
      sql: migration('CREATE UNIQUE INDEX users_name_idx ON users (name);', 'DROP TABLE identity_credentials;'),
    },
    {
      name: "a column of a shipped table that no migration so far added (the next migration's)",
      setup,
      sql: migration('ALTER TABLE users ADD COLUMN nick text;', 'ALTER TABLE users DROP COLUMN messages;'),
    },
    {
      // LemmyNet/lemmy restores the column order in its downs: add x_new, copy, drop x, rename x_new to x.
      name: 'a column reorder: the data is copied into the new column before the old one is dropped',
      setup,
      sql: migration(
        'ALTER TABLE users DROP COLUMN name;',
        'ALTER TABLE users ADD COLUMN name text, ADD COLUMN email_new text;\n' +
          'UPDATE users SET email_new = email::text;\n' +
          'ALTER TABLE users DROP COLUMN email;\n' +
          'ALTER TABLE users RENAME COLUMN email_new TO email;',
      ),
    },
    {
      name: 'a reorder of several columns copied by one row assignment',
      setup,
      sql: migration(
        'ALTER TABLE users ADD COLUMN nick text;',
        'ALTER TABLE users ADD COLUMN name_new text, ADD COLUMN email_new text;\n' +
          'UPDATE users SET (name_new, email_new) = (name, email);\n' +
          'ALTER TABLE users DROP COLUMN nick, DROP COLUMN name, DROP COLUMN email;',
      ),
    },
    {
      name: 'a table rebuilt: renamed aside, made again, its rows copied back, then the old one dropped',
      setup,
      sql: migration(
        'ALTER TABLE users ADD COLUMN nick text;',
        'ALTER TABLE users RENAME TO users_old;\n' +
          'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n' +
          'INSERT INTO users (id, name, email) SELECT id, name, email FROM users_old;\n' +
          'DROP TABLE users_old;',
      ),
    },
  ],
  invalid: [
    {
      name: 'the up renamed the column; the down drops it (a table the migrations never made, but the up uses)',
      sql: '-- migrate:up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- migrate:down\nALTER TABLE users DROP COLUMN full_name;',
      findings: [{ messageId: 'column', line: 4, column: 1, endLine: 4, endColumn: 40 }],
    },
    {
      name: 'a shipped table',
      setup,
      sql: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\nDROP TABLE users;',
      findings: [{ messageId: 'table', line: 5, column: 1 }],
    },
    {
      name: 'a table the migrations never made, which the up altered',
      sql: migration('ALTER TABLE legacy ADD COLUMN y int;', 'DROP TABLE legacy;'),
      findings: [{ messageId: 'table', line: 4, column: 1 }],
    },
    {
      name: 'a new column made in the down, but the old one dropped without a copy',
      setup,
      sql: migration('ALTER TABLE users ADD COLUMN nick text;', 'ALTER TABLE users ADD COLUMN email_new text;\nALTER TABLE users DROP COLUMN email;\nALTER TABLE users RENAME COLUMN email_new TO email;'),
      findings: [{ messageId: 'column', line: 5, column: 1 }],
    },
    {
      name: 'what the down writes is computed from the column, not the column itself',
      setup,
      sql: migration('ALTER TABLE users ADD COLUMN nick text;', 'ALTER TABLE users ADD COLUMN email_new text;\nUPDATE users SET email_new = lower(email);\nALTER TABLE users DROP COLUMN email;'),
      findings: [{ messageId: 'column', line: 6, column: 1 }],
    },
    {
      name: 'a shipped column the down renames before dropping it',
      setup,
      sql: migration('ALTER TABLE users ADD COLUMN nick text;', 'ALTER TABLE users RENAME COLUMN name TO old_name;\nALTER TABLE users DROP COLUMN old_name;'),
      findings: [{ messageId: 'column', line: 5, column: 1 }],
    },
  ],
})

// ory/kratos splits one change into files <timestamp><part>_<name>; each part's down undoes another part's up.
describe('destructive-down on the parts of one change', () => {
  beforeAll(() => loadParser())
  const lint = (files: [id: string, text: string][]) => lintHistory(rule, files)

  it('lets a part drop what another part of the same change made', () => {
    expect(
      lint([
        ['m/20191100000002000000_requests.postgres', migration('CREATE TABLE login_requests (id uuid);', 'DROP TABLE login_request_methods;')],
        ['m/20191100000002000001_requests.postgres', migration('CREATE TABLE login_request_methods (id uuid);', 'DROP TABLE login_requests;')],
      ]),
    ).toEqual([])
  })

  it('still flags a drop of what an earlier change made', () => {
    expect(
      lint([
        ['m/20191100000001000000_identities.postgres', migration('CREATE TABLE identities (id uuid);', 'DROP TABLE identities;')],
        ['m/20191100000002000000_requests.postgres', migration('CREATE TABLE login_requests (id uuid);', 'DROP TABLE identities;')],
        ['m/20191100000002999999_other.postgres', migration('CREATE TABLE flows (id uuid);', 'DROP TABLE login_requests;')],
      ]),
    ).toEqual(['destructive-down table m/20191100000002000000_requests.postgres:4', 'destructive-down table m/20191100000002999999_other.postgres:4'])
  })
})
