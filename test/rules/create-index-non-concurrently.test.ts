import rule from '../../rules/create-index-non-concurrently.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (id int);', sql: 'CREATE INDEX t_id ON t (id);' },
    {
      name: 'a materialized view made in the same migration: nobody reads it yet',
      setup,
      sql: 'CREATE MATERIALIZED VIEW user_emails AS SELECT id, email FROM users;\nCREATE UNIQUE INDEX user_emails_id ON user_emails (id);',
    },
    { name: 'a table made by SELECT … INTO in the same migration', setup, sql: 'SELECT id, email INTO users_copy FROM users;\nCREATE INDEX users_copy_email ON users_copy (email);' },
    { name: 'a table made by CREATE TABLE … AS earlier in the release', setup, earlierInRelease: 'CREATE TABLE users_copy AS SELECT * FROM users;', sql: 'CREATE INDEX i ON users_copy (email);' },
  ],
  invalid: [
    {
      name: 'a materialized view that shipped before the release is read by others',
      setup: `${setup}\nCREATE MATERIALIZED VIEW user_emails AS SELECT id, email FROM users;`,
      sql: 'SELECT 1;\nCREATE INDEX user_emails_email ON user_emails (email);',
      findings: [{ messageId: 'plain', line: 2, column: 1 }],
    },
    { setup, sql: 'CREATE INDEX users_email_idx ON users (email);', findings: [{ messageId: 'plain', line: 1, column: 1 }] },
    { setup, sql: '-- speed up login\nCREATE UNIQUE INDEX users_email_key\n  ON users (lower(email));', findings: [{ messageId: 'plain', line: 2, column: 1, endLine: 3, endColumn: 26 }] },
    {
      name: 'on a large table it is an error',
      setup,
      sql: 'CREATE INDEX i ON users (email);',
      config: { tables: { users: { large: true } } },
      findings: [{ messageId: 'plain', line: 1, column: 1 }],
    },
  ],
})
