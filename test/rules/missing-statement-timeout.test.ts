import { expect, it } from 'vitest'
import rule from '../../rules/missing-statement-timeout.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' +
  'CREATE INDEX users_email_idx ON users (email);'

runRule(rule, {
  valid: [
    { setup, sql: "SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN x int;" },
    { setup, inTransaction: true, sql: "SET LOCAL statement_timeout = '1min';\nCREATE INDEX users_x ON users (email);" },
    { setup, sql: "SELECT set_config('statement_timeout', '30s', false);\nDROP TABLE orders;" },
    { name: 'no blocking lock needs no timeout', setup, sql: 'CREATE INDEX CONCURRENTLY users_x ON users (email);\nALTER TABLE orders VALIDATE CONSTRAINT c;' },
    { name: 'storage parameters take SHARE UPDATE EXCLUSIVE', setup, sql: 'ALTER TABLE users SET (fillfactor = 80);' },
    { name: 'DML and new tables', setup, sql: 'UPDATE users SET email = lower(email);\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (id int);', sql: 'CREATE INDEX t_id ON t (id);' },
  ],
  invalid: [
    {
      name: 'lock_timeout alone does not bound how long the lock is held',
      setup,
      sql: "SET lock_timeout = '5s';\nCREATE INDEX users_lower ON users (lower(email));",
      findings: [{ messageId: 'missing', line: 2, column: 1, endLine: 2, endColumn: 49 }],
    },
    {
      name: 'once per migration, at the first blocking statement',
      setup,
      sql: 'CREATE TABLE t (id int);\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;',
      findings: [{ messageId: 'missing', line: 2, column: 1 }],
    },
    { name: '0 means no timeout', setup, sql: 'SET statement_timeout = 0;\nDROP INDEX users_email_idx;', findings: [{ messageId: 'ineffective', line: 2, column: 1 }] },
    {
      name: 'SET LOCAL outside a transaction does nothing',
      setup,
      sql: "SET LOCAL statement_timeout = '5s';\nTRUNCATE orders;",
      findings: [{ messageId: 'ineffective', line: 2, column: 1 }],
    },
  ],
})

it('names the operation and tells which SET to write', () => {
  const [finding] = lintCase({ setup, inTransaction: true, sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;' }, [rule])
  expect(finding.message).toBe(
    'ALTER TABLE takes a lock that blocks reads and writes on users, and no statement_timeout is set before it: ' +
      'however long it runs, every other query on users waits for it.',
  )
  expect(finding.help).toBe("Start the migration with SET LOCAL statement_timeout = '60s'; and make the change in smaller steps when it times out.")
})
