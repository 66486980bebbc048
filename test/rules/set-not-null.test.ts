import rule from '../../rules/set-not-null.js'
import { runRule } from '../rule-tester.js'

const setup = "CREATE TABLE users (id bigint PRIMARY KEY, email text, status text DEFAULT 'new');"
const sql = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;'

runRule(rule, {
  valid: [
    { name: 'column added in this release, no code scan', earlierInRelease: 'ALTER TABLE users ADD COLUMN phone text;', setup, sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;' },
    {
      name: 'column added in this release with a default: old INSERTs get the default',
      earlierInRelease: "ALTER TABLE users ADD COLUMN phone text DEFAULT '';",
      setup,
      sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }],
    },
    {
      name: 'column added in this release, old code never inserts into the table',
      earlierInRelease: 'ALTER TABLE users ADD COLUMN phone text;',
      setup,
      sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/a.ts:3' }],
    },
    { name: 'base code never writes it and its inserts set it', setup, sql, baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/a.ts:3' }], baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }] },
    { name: 'inserts omit a column that has a default', setup, sql: 'ALTER TABLE users ALTER COLUMN status SET NOT NULL;', baseInserts: [{ table: 'users', columns: ['id'], at: 'src/a.ts:9' }] },
    { name: 'already NOT NULL', setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);', sql },
    { name: 'table created in this release', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;' },
  ],
  invalid: [
    { name: 'no code scan', setup, sql, findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      // Issue 12 case 1: add nullable, backfill, SET NOT NULL in one release; the old INSERT cannot name the new column.
      name: 'column added earlier in this release, old code inserts into the table (even with unknown columns)',
      setup,
      earlierInRelease: 'ALTER TABLE users ADD COLUMN space_id uuid;\nUPDATE users SET space_id = gen_random_uuid();',
      sql: 'ALTER TABLE users ALTER COLUMN space_id SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: null, at: 'src/comments.ts:14' }],
      findings: [{ messageId: 'newColumn', line: 1, column: 1 }],
    },
    {
      name: 'column added in the same migration',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN space_id uuid;\nALTER TABLE users ALTER COLUMN space_id SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/users.ts:20' }],
      findings: [{ messageId: 'newColumn', line: 2, column: 1 }],
    },
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
