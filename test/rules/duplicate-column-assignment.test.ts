import { expect, it } from 'vitest'
import rule from '../../rules/duplicate-column-assignment.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE t (id int PRIMARY KEY, a int, b int[]);'

// Each case was run on Postgres 18 (PGlite): the invalid ones fail, the valid ones pass.
runRule(rule, {
  valid: [
    { setup, sql: 'UPDATE t SET a = 1, b = NULL;' },
    { name: 'parts of one array column', setup, sql: 'UPDATE t SET b[1] = 1, b[2] = 2;' },
    { name: 'IF NOT EXISTS skips the second', setup, sql: 'ALTER TABLE t ADD COLUMN IF NOT EXISTS d int, ADD COLUMN IF NOT EXISTS d int;' },
    { name: 'the same name in two tables', sql: 'CREATE TABLE u (a int, b int);\nCREATE TABLE v (a int);' },
    { name: 'INSERT naming each column once', setup, sql: 'INSERT INTO t (id, a) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET a = excluded.a;' },
  ],
  invalid: [
    { setup, sql: 'UPDATE t SET a = 1, a = 2;', findings: [{ messageId: 'assigned', line: 1, column: 1, endLine: 1, endColumn: 26 }] },
    { name: 'a whole column next to a part of it', setup, sql: 'UPDATE t SET b = NULL, b[1] = 2;', findings: [{ messageId: 'assigned', line: 1, column: 1 }] },
    { name: 'in a row assignment', setup, sql: 'SELECT 1;\nUPDATE t\n  SET (a, a) = (1, 2);', findings: [{ messageId: 'assigned', line: 2, column: 1 }] },
    { setup, sql: 'INSERT INTO t (a, a) VALUES (1, 2);', findings: [{ messageId: 'listed', line: 1, column: 1 }] },
    {
      name: 'in ON CONFLICT DO UPDATE',
      setup,
      sql: 'INSERT INTO t (id, a) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET a = 1, a = 2;',
      findings: [{ messageId: 'assigned', line: 1, column: 1 }],
    },
    { sql: 'CREATE TABLE u (a int, b text, a bigint);', findings: [{ messageId: 'listed', line: 1, column: 1 }] },
    { setup, sql: 'ALTER TABLE t ADD COLUMN c int, ADD COLUMN c int;', findings: [{ messageId: 'added', line: 1, column: 1 }] },
  ],
})

it('names the statement and the column', () => {
  const [finding] = lintCase({ setup, sql: 'UPDATE public.t SET a = 1, a = 2;' }, [rule])
  expect(finding.message).toBe('UPDATE t assigns a more than once: Postgres refuses the statement ("multiple assignments to same column").')
})
