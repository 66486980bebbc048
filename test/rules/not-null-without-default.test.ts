import rule from '../../rules/not-null-without-default.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { setup, sql: "ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';" },
    { setup, sql: 'ALTER TABLE users ADD COLUMN email text;' },
    { setup, sql: 'ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;' },
    { setup, sql: 'ALTER TABLE users ADD COLUMN n bigserial NOT NULL;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int NOT NULL;' },
    { name: 'table created earlier in the same release', earlierInRelease: 'CREATE TABLE t (id int);', sql: 'ALTER TABLE t ADD COLUMN x int NOT NULL;' },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE users ADD COLUMN email text NOT NULL;', findings: [{ messageId: 'notNull', line: 1, column: 1, endLine: 1, endColumn: 49 }] },
    {
      name: 'second statement, second command',
      setup,
      sql: 'SELECT 1;\n\n  ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int NOT NULL;',
      findings: [{ messageId: 'notNull', line: 3, column: 3 }],
    },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy ADD COLUMN x int NOT NULL;', findings: [{ messageId: 'notNull', line: 1, column: 1 }] },
    { name: 'schema-qualified', setup, sql: 'ALTER TABLE public.users ADD COLUMN x int PRIMARY KEY;', findings: [{ messageId: 'notNull', line: 1, column: 1 }] },
  ],
})
