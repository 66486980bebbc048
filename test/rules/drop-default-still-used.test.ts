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
    {
      name: 'the default is dropped for a type change and set again after it: old INSERTs get the new one',
      setup,
      sql:
        "CREATE TYPE user_status AS ENUM ('active', 'gone');\n" +
        'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\n' +
        'ALTER TABLE users ALTER COLUMN status TYPE user_status USING status::user_status;\n' +
        "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';",
      baseInserts: [{ table: 'users', columns: ['id'], at: 'src/b.ts:8' }],
    },
    {
      name: 'replaced within one statement',
      setup,
      sql: "ALTER TABLE users ALTER COLUMN status DROP DEFAULT, ALTER COLUMN status SET DEFAULT 'new';",
      baseInserts: [{ table: 'users', columns: ['id'], at: 'src/b.ts:8' }],
    },
    {
      name: 'set again under the names a later rename gives the column and the table',
      setup,
      sql:
        'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\n' +
        'ALTER TABLE users RENAME COLUMN status TO state;\n' +
        'ALTER TABLE users RENAME TO accounts;\n' +
        "ALTER TABLE accounts ALTER COLUMN state SET DEFAULT 'active';",
    },
  ],
  invalid: [
    { name: 'no code scan', setup, sql, findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'set again, then dropped for good: the last drop is the one old INSERTs meet',
      setup,
      sql: "ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\nALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';\nALTER TABLE users ALTER COLUMN status DROP DEFAULT;",
      baseInserts: [{ table: 'users', columns: ['id'], at: 'src/b.ts:8' }],
      findings: [{ messageId: 'omitted', line: 3, column: 1 }],
    },
    {
      name: 'a later SET DEFAULT on another column, or on the same name in another table',
      setup: `${setup}\nCREATE TABLE teams (id bigint PRIMARY KEY, status text);`,
      sql: "ALTER TABLE users ALTER COLUMN status DROP DEFAULT;\nALTER TABLE users ALTER COLUMN note SET DEFAULT 'x';\nALTER TABLE teams ALTER COLUMN status SET DEFAULT 'x';",
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'a SET DEFAULT before the drop does not replace it',
      setup,
      sql: "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';\nALTER TABLE users ALTER COLUMN status DROP DEFAULT;",
      findings: [{ messageId: 'unverified', line: 2, column: 1 }],
    },
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
