import rule from '../../rules/drop-default-still-used.js'
import { runRule } from '../rule-tester.js'

const setup = "CREATE TABLE users (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'active', note text DEFAULT '');"
const sql = 'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;'

runRule(rule, {
  valid: [
    { name: 'every base insert sets the column', setup, sql, baseInserts: [{ table: 'users', columns: ['id', 'status'], at: 'src/a.ts:4' }] },
    { name: 'nullable column: old inserts get NULL, not an error', setup, sql: 'ALTER TABLE users ALTER COLUMN note DROP DEFAULT;' },
    { name: 'SET DEFAULT is not a drop', setup, sql: "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';" },
    { name: 'column added in this release, no code scan', setup, earlierInRelease: "ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'x';", sql: 'ALTER TABLE users ALTER COLUMN kind DROP DEFAULT;' },
  ],
  invalid: [
    { name: 'no code scan', setup, sql, findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'a base insert leaves it out',
      setup,
      sql: '-- tidy up\nALTER TABLE users ALTER COLUMN status DROP DEFAULT;',
      baseInserts: [{ table: 'users', columns: ['id', 'status'], at: 'src/a.ts:4' }, { table: 'users', columns: ['id'], at: 'src/b.ts:8' }],
      findings: [{ messageId: 'omitted', line: 2, column: 1, endLine: 2, endColumn: 51 }],
    },
    {
      // Issue 12: a default added and dropped in one release; no INSERT of the previous release can set the new column.
      name: 'column added in this release with a default that is then dropped',
      setup,
      earlierInRelease: "ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'x';",
      sql: 'ALTER TABLE users ALTER COLUMN kind DROP DEFAULT;',
      baseInserts: [{ table: 'users', columns: null, at: 'src/a.ts:4' }],
      findings: [{ messageId: 'omitted', line: 1, column: 1 }],
    },
  ],
})
