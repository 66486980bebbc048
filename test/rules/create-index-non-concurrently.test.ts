import rule from '../../rules/create-index-non-concurrently.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (id int);', sql: 'CREATE INDEX t_id ON t (id);' },
  ],
  invalid: [
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
