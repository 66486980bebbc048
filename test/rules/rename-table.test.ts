import rule from '../../rules/rename-table.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);'

runRule(rule, {
  valid: [
    { name: 'old name kept by a view in the same migration', setup, sql: 'ALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM accounts;' },
    {
      name: 'old name kept by a schema-qualified view',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint);',
      sql: 'ALTER TABLE app.users RENAME TO accounts;\nCREATE OR REPLACE VIEW app.users AS SELECT id FROM app.accounts;',
    },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'ALTER TABLE t RENAME TO u;' },
    { name: 'a schema created in this release', earlierInRelease: 'CREATE SCHEMA app;\nCREATE TABLE app.t (a int);', sql: 'ALTER SCHEMA app RENAME TO shop;' },
    { name: 'a table created in this release moved to another schema', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'ALTER TABLE t SET SCHEMA archive;' },
    { name: 'a column rename is another rule', setup, sql: 'ALTER TABLE users RENAME COLUMN email TO mail;' },
    { name: 'a view rename is not a table rename', setup: `${setup}\nCREATE VIEW v AS SELECT id FROM users;`, sql: 'ALTER VIEW v RENAME TO w;' },
  ],
  invalid: [
    {
      name: 'the previous release reads the table: the message names where',
      setup,
      baseUsage: [{ table: 'users', column: '*', kind: 'selectAll', at: 'src/users.ts:9' }],
      sql: 'SELECT 1;\nALTER TABLE users RENAME TO accounts;',
      findings: [{ messageId: 'stillRead', line: 2, column: 1 }],
    },
    {
      name: "only this release's code still uses the old name",
      setup,
      baseUsage: [],
      headUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/users.ts:9' }],
      sql: 'ALTER TABLE users RENAME TO accounts;',
      findings: [{ messageId: 'headStillReads', line: 1, column: 1 }],
    },
    { name: 'code was read and none of it names the table', setup, baseUsage: [], sql: 'ALTER TABLE users RENAME TO accounts;', findings: [{ messageId: 'notNamed', line: 1, column: 1 }] },
    { setup, sql: 'ALTER TABLE users RENAME TO accounts;', findings: [{ messageId: 'renamed', line: 1, column: 1, endLine: 1, endColumn: 37 }] },
    {
      name: 'multi-line, after another statement',
      setup,
      sql: 'SELECT 1;\n-- new name\nALTER TABLE users\n  RENAME TO accounts;',
      findings: [{ messageId: 'renamed', line: 3, column: 1, endLine: 4, endColumn: 21 }],
    },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint);',
      sql: 'ALTER TABLE app.users RENAME TO accounts;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
    { name: 'IF EXISTS', setup, sql: 'ALTER TABLE IF EXISTS public.users RENAME TO accounts;', findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy RENAME TO archive;', findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
    {
      // Issue 12: old code names `users`; after SET SCHEMA it is `archive.users`.
      name: 'SET SCHEMA moves the table away from the name old code uses',
      setup: `${setup}\nCREATE SCHEMA archive;`,
      sql: 'ALTER TABLE users SET SCHEMA archive;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
    {
      name: "a schema's rename renames each of its tables",
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint);\nCREATE TABLE app.orders (id bigint);\nCREATE TABLE other (id bigint);',
      sql: 'ALTER SCHEMA app RENAME TO shop;',
      findings: [
        { messageId: 'renamed', line: 1, column: 1 },
        { messageId: 'renamed', line: 1, column: 1 },
      ],
    },
    {
      name: 'a view with the old name over another table does not keep it working',
      setup: `${setup}\nCREATE TABLE people (id bigint);`,
      sql: 'ALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS SELECT * FROM people;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
    {
      name: 'rename chain: renamed before the release, renamed again now',
      setup: `${setup}\nALTER TABLE users RENAME TO members;`,
      sql: 'ALTER TABLE members RENAME TO accounts;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
  ],
})
