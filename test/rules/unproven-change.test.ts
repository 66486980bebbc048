import rule from '../../rules/unproven-change.js'
import { runRule } from '../rule-tester.js'

const setup = "CREATE TABLE users (id bigint PRIMARY KEY, email text, status text NOT NULL DEFAULT 'new');"
const moods = "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE people (id bigint, mood mood);"
const sadMention = { name: "'sad'", at: 'src/people.ts:7', why: "spells 'sad' no reader follows values" }
const goMention = { name: 'users.email', at: 'cmd/report/main.go:12', why: 'names users.email in code no reader understands' }
const tableMention = { name: 'users', at: 'app/models/user.rb:3', why: 'names users in code no reader understands' }

runRule(rule, {
  valid: [
    {
      name: 'IF EXISTS of a table the migrations never made: a mention of its name proves no use',
      setup,
      sql: 'DROP TABLE IF EXISTS users_old;\nALTER TABLE users DROP COLUMN IF EXISTS nickname;',
      unestablished: [{ name: 'users_old', at: 'app/models/user.rb:3', why: 'names users_old in code no reader understands' }, { name: 'users.nickname', at: 'cmd/main.go:4', why: 'names users.nickname in code no reader understands' }],
    },
    { name: 'no code scan: the other revert-safety rules say what they could not check', setup, sql: 'ALTER TABLE users DROP COLUMN email;' },
    { name: 'nothing in the previous release names the column', setup, sql: 'ALTER TABLE users DROP COLUMN email;', baseUsage: [] },
    {
      name: 'a reader established the use: drop-column-still-read reports it',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/users.ts:4' }],
      unestablished: [goMention],
    },
    { name: 'a column this release adds', setup, sql: 'ALTER TABLE users ADD COLUMN phone text;\nALTER TABLE users DROP COLUMN phone;', unestablished: [goMention] },
    { name: 'a table this release creates', sql: 'CREATE TABLE users (id int, email text);\nDROP TABLE users;', unestablished: [tableMention], baseUsage: [] },
    { name: 'adding is not taking away', setup, sql: 'ALTER TABLE users ADD COLUMN phone text;', unestablished: [goMention, tableMention] },
    { name: 'SET NOT NULL on a column with a default: old INSERTs get it', setup, sql: 'ALTER TABLE users ALTER COLUMN status SET NOT NULL;', unestablished: [tableMention] },
    { name: 'an enum label no code of the previous release spells', setup: moods, sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';", baseUsage: [] },
    { name: 'an enum this release creates', earlierInRelease: moods, sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';", unestablished: [sadMention] },
    { name: 'adding a label takes nothing away', setup: moods, sql: "ALTER TYPE mood ADD VALUE 'glad';", unestablished: [sadMention] },
  ],
  invalid: [
    {
      name: 'a dropped column named by Go code',
      setup,
      sql: 'ALTER TABLE users DROP COLUMN email;',
      unestablished: [goMention],
      findings: [{ messageId: 'mayUse', line: 1, column: 1 }],
    },
    {
      name: 'a dropped table named by Ruby code',
      setup,
      sql: '\nDROP TABLE users;',
      unestablished: [tableMention],
      findings: [{ messageId: 'mayUse', line: 2, column: 1 }],
    },
    {
      name: 'SET NOT NULL on a new column of a table that code no reader understands inserts into',
      setup,
      earlierInRelease: 'ALTER TABLE users ADD COLUMN space_id uuid;',
      sql: 'ALTER TABLE users ALTER COLUMN space_id SET NOT NULL;',
      unestablished: [tableMention],
      findings: [{ messageId: 'mayUse', line: 1, column: 1 }],
    },
    {
      name: "Postgres 18 ADD CONSTRAINT … NOT NULL … NOT VALID on a column of a table that code no reader understands writes",
      setup,
      sql: 'SELECT 1;\nALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;',
      unestablished: [tableMention],
      findings: [{ messageId: 'mayUse', line: 2, column: 1 }],
    },
    {
      name: 'DROP DEFAULT on a NOT NULL column',
      setup,
      sql: 'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;',
      unestablished: [tableMention],
      findings: [{ messageId: 'mayUse', line: 1, column: 1 }],
    },
    {
      name: 'a view made again from SELECT *: its columns cannot be told',
      setup: `${setup}\nCREATE VIEW people AS SELECT id, email FROM users;`,
      sql: 'DROP VIEW people;\nCREATE VIEW people AS SELECT * FROM users;',
      baseUsage: [{ table: 'people', column: 'email', kind: 'select', at: 'src/people.ts:5' }],
      findings: [{ messageId: 'viewShapeUnknown', line: 1, column: 1 }],
    },
    {
      name: 'a dropped view named by code no reader understands',
      setup: `${setup}\nCREATE VIEW people AS SELECT id, email FROM users;`,
      sql: 'DROP VIEW people;',
      unestablished: [{ name: 'people', at: 'report/people.py:4', why: 'names people in code no reader understands' }],
      findings: [{ messageId: 'mayUse', line: 1, column: 1 }],
    },
    {
      name: 'a dropped function the previous release may call (supabase.rpc, SELECT fn())',
      setup,
      sql: 'DROP FUNCTION get_stats(int);',
      unestablished: [{ name: 'get_stats', at: 'src/stats.ts:2', why: 'names get_stats in code no reader understands' }],
      findings: [{ messageId: 'mayUse', line: 1, column: 1 }],
    },
    {
      name: 'an enum label renamed while code of the previous release spells it',
      setup: moods,
      sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';",
      unestablished: [sadMention],
      findings: [{ messageId: 'mayUse', line: 1, column: 1 }],
    },
  ],
})
