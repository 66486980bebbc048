import rule from '../../rules/drop-not-null.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL);'

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;' },
    { name: 'a column added in the release', setup, earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text NOT NULL DEFAULT \'\';', sql: 'ALTER TABLE users ALTER COLUMN nick DROP NOT NULL;' },
    { name: 'a table created in the same migration', sql: 'CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;' },
    // Issue 15 (kratos …000028_network:1): a no-op, the column was never NOT NULL.
    { name: 'a column added nullable by an earlier release', setup: `${setup}\nALTER TABLE users ADD COLUMN nid uuid;`, sql: 'ALTER TABLE users ALTER COLUMN nid DROP NOT NULL;' },
    {
      name: 'a nullable column, in the TYPE-then-DROP NOT NULL pair ORM generators emit',
      setup: `${setup}\nALTER TABLE users ADD COLUMN ui json;`,
      sql: 'SELECT 1;\nALTER TABLE users ALTER COLUMN ui TYPE jsonb, ALTER COLUMN ui DROP NOT NULL;',
    },
    { name: 'a column whose NOT NULL an earlier release dropped', setup: `${setup}\nALTER TABLE users ALTER COLUMN name DROP NOT NULL;`, sql: 'ALTER TABLE users ALTER COLUMN name DROP NOT NULL;' },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', findings: [{ messageId: 'dropped', line: 1, column: 1, endLine: 1, endColumn: 51 }] },
    {
      name: 'two columns in one statement, on a later line',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users\n  ALTER email DROP NOT NULL,\n  ALTER COLUMN name DROP NOT NULL;',
      findings: [{ messageId: 'dropped', line: 2, column: 1 }, { messageId: 'dropped', line: 2, column: 1 }],
    },
    { name: 'a table the migrations never made', sql: 'ALTER TABLE legacy ALTER COLUMN a DROP NOT NULL;', findings: [{ messageId: 'dropped', line: 1, column: 1 }] },
    {
      name: 'only the NOT NULL column of two, the nullable one beside it is a no-op',
      setup: `${setup}\nALTER TABLE users ADD COLUMN nid uuid;`,
      sql: '\nALTER TABLE users ALTER COLUMN nid DROP NOT NULL, ALTER COLUMN email DROP NOT NULL;',
      findings: [{ messageId: 'dropped', line: 2, column: 1 }],
    },
    {
      name: 'a column an earlier release set NOT NULL',
      setup: `${setup}\nALTER TABLE users ADD COLUMN nid uuid;\nALTER TABLE users ALTER COLUMN nid SET NOT NULL;`,
      sql: 'ALTER TABLE users ALTER COLUMN nid DROP NOT NULL;',
      findings: [{ messageId: 'dropped', line: 1, column: 1 }],
    },
    {
      name: 'a column of a known table the model does not know (added outside the migrations)',
      setup,
      sql: 'ALTER TABLE users ALTER COLUMN legacy_flag DROP NOT NULL;',
      findings: [{ messageId: 'dropped', line: 1, column: 1 }],
    },
  ],
})
