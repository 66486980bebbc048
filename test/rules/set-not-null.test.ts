import rule from '../../rules/set-not-null.js'
import { runRule } from '../rule-tester.js'

const setup = "CREATE TABLE users (id bigint PRIMARY KEY, email text, status text DEFAULT 'new');"
const sql = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;'

runRule(rule, {
  valid: [
    { name: 'column added in this release', earlierInRelease: 'ALTER TABLE users ADD COLUMN phone text;', setup, sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;' },
    { name: 'base code never writes it and its inserts set it', setup, sql, baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/a.ts:3' }], baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }] },
    { name: 'inserts omit a column that has a default', setup, sql: 'ALTER TABLE users ALTER COLUMN status SET NOT NULL;', baseInserts: [{ table: 'users', columns: ['id'], at: 'src/a.ts:9' }] },
    { name: 'already NOT NULL', setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);', sql },
    { name: 'table created in this release', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;' },
  ],
  invalid: [
    { name: 'no code scan', setup, sql, findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'base code updates the column',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users\n  ALTER COLUMN email SET NOT NULL;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'update', at: 'src/users.ts:12' }],
      findings: [{ messageId: 'writes', line: 2, column: 1, endLine: 3, endColumn: 34 }],
    },
    {
      name: 'base code inserts without the column',
      setup,
      sql,
      baseInserts: [{ table: 'users', columns: ['id'], at: 'src/users.ts:20' }],
      findings: [{ messageId: 'omits', line: 1, column: 1 }],
    },
  ],
})
