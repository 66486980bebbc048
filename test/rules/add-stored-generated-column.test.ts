import { expect, it } from 'vitest'
import rule from '../../rules/add-stored-generated-column.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE orders (id bigint PRIMARY KEY, net numeric, tax numeric);'

runRule(rule, {
  valid: [
    { name: 'VIRTUAL is computed when read (Postgres 18)', setup, sql: 'ALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) VIRTUAL;' },
    { name: 'an identity column is volatile-default\'s', setup, sql: 'ALTER TABLE orders ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;' },
    { name: 'a plain column', setup, sql: 'ALTER TABLE orders ADD COLUMN gross numeric;' },
    { name: 'in CREATE TABLE there are no rows', sql: 'CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED);' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'ALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED;' },
  ],
  invalid: [
    {
      setup,
      sql: 'ALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) STORED;',
      findings: [{ messageId: 'added', line: 1, column: 1, endLine: 1, endColumn: 83 }],
    },
    {
      name: 'two in one statement, on a later line, schema-qualified',
      setup,
      sql: 'SELECT 1;\nALTER TABLE public.orders\n  ADD COLUMN a numeric GENERATED ALWAYS AS (net * 2) STORED,\n  ADD COLUMN b numeric GENERATED ALWAYS AS (tax * 2) STORED;',
      findings: [{ messageId: 'added', line: 2, column: 1 }, { messageId: 'added', line: 2, column: 1 }],
    },
    { name: 'a table the migrations never made', sql: 'ALTER TABLE legacy ADD COLUMN b int GENERATED ALWAYS AS (a + 1) STORED;', findings: [{ messageId: 'added', line: 1, column: 1 }] },
    {
      name: 'a new expression rewrites again',
      setup: `${setup}\nALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) STORED;`,
      sql: 'ALTER TABLE orders ALTER COLUMN gross SET EXPRESSION AS (net + tax + 1);',
      findings: [{ messageId: 'expression', line: 1, column: 1 }],
    },
  ],
})

it('suggests VIRTUAL from Postgres 18 on, a trigger before', () => {
  const sql = 'ALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) STORED;'
  expect(lintCase({ setup, sql, config: { postgresVersion: 18 } }, [rule])[0].help).toMatch(/^Declare it VIRTUAL instead of STORED/)
  expect(lintCase({ setup, sql, config: { postgresVersion: 16 } }, [rule])[0].help).toMatch(/BEFORE INSERT OR UPDATE trigger/)
  expect(lintCase({ setup, sql }, [rule])[0].message).toBe(
    'ADD COLUMN orders.gross GENERATED ALWAYS AS (…) STORED computes and writes the value of every existing row: Postgres ' +
      'rewrites all of orders under an ACCESS EXCLUSIVE lock, and reads and writes wait for it.',
  )
})
