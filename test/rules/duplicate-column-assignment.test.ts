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
    { name: 'a view whose column list renames the query\'s twin names', sql: 'CREATE VIEW v (first, second) AS SELECT 1 AS x, 2 AS x;' },
    { name: 'a list shorter than the query, the rest named apart', sql: 'CREATE VIEW v (only_one) AS SELECT 1, 2;' },
    { name: 'the same column of two tables joined, unnamed: only * could clash, and * is left alone', setup, sql: 'CREATE VIEW v AS SELECT l.id, r.a FROM t l JOIN t r USING (id);' },
    { name: 'CREATE TABLE AS with a column list', sql: 'CREATE TABLE z (x, y) AS SELECT 1 AS a, 2 AS a;' },
    { name: 'a plain SELECT makes no relation', sql: 'SELECT 1, 2;' },
    {
      name: 'MERGE … INSERT of two fields of one composite column',
      setup: 'CREATE TYPE pair AS (x int, y int);\nCREATE TABLE k (id int PRIMARY KEY, p pair);',
      sql: 'MERGE INTO k USING (SELECT 1 AS id) s ON k.id = s.id WHEN NOT MATCHED THEN INSERT (id, p.x, p.y) VALUES (1, 2, 3);',
    },
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
    { name: 'a foreign table', sql: 'CREATE FOREIGN TABLE f (a int, a text) SERVER remote;', findings: [{ messageId: 'listed', line: 1, column: 1 }] },
    { name: 'a view\'s column list', sql: 'SELECT 1;\nCREATE VIEW v (a, a) AS SELECT 1, 2;', findings: [{ messageId: 'yielded', line: 2, column: 1 }] },
    { name: 'two constants: both are "?column?"', sql: 'CREATE VIEW v AS SELECT 1, 2;', findings: [{ messageId: 'yielded', line: 1, column: 1 }] },
    { name: 'two aliases alike', sql: 'CREATE VIEW v AS SELECT 1 AS a, 2 AS a;', findings: [{ messageId: 'yielded', line: 1, column: 1 }] },
    { name: 'one column read twice', setup, sql: 'CREATE VIEW v AS SELECT t.a, a FROM t;', findings: [{ messageId: 'yielded', line: 1, column: 1 }] },
    { name: 'two calls of one function', sql: 'CREATE MATERIALIZED VIEW v AS SELECT now(), now();', findings: [{ messageId: 'yielded', line: 1, column: 1 }] },
    { name: 'CREATE TABLE AS', sql: 'CREATE TABLE z AS SELECT 1 AS a, 2 AS a;', findings: [{ messageId: 'yielded', line: 1, column: 1 }] },
    { name: 'SELECT INTO', sql: 'SELECT 1 AS a, 2 AS a INTO z;', findings: [{ messageId: 'yielded', line: 1, column: 1 }] },
    {
      name: 'MERGE … INSERT and UPDATE',
      setup,
      sql: 'MERGE INTO t USING (SELECT 1 AS id) s ON t.id = s.id\n  WHEN NOT MATCHED THEN INSERT (a, a) VALUES (1, 2)\n  WHEN MATCHED THEN UPDATE SET a = 1, a = 2;',
      findings: [{ messageId: 'listed', line: 1, column: 1 }, { messageId: 'assigned', line: 1, column: 1 }],
    },
  ],
})

it('names the view and the column Postgres would name twice', () => {
  const [finding] = lintCase({ sql: 'CREATE VIEW v AS SELECT 1, 2;' }, [rule])
  expect(finding.message).toBe('CREATE VIEW v makes two columns named ?column?: Postgres refuses the statement ("column … specified more than once"). Give them distinct names (AS …) or a column list.')
})

it('names the statement and the column', () => {
  const [finding] = lintCase({ setup, sql: 'UPDATE public.t SET a = 1, a = 2;' }, [rule])
  expect(finding.message).toBe('UPDATE t assigns a more than once: Postgres refuses the statement ("multiple assignments to same column").')
})
