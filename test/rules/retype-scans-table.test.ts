import { expect, it } from 'vitest'
import rule from '../../rules/retype-scans-table.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE orders (id bigint PRIMARY KEY, total int, note varchar(100), code varchar(10), ' +
  'CONSTRAINT orders_note_nonempty CHECK (length(note) > 0));\n' +
  'ALTER TABLE orders ADD CONSTRAINT orders_code_upper CHECK (code = upper(code)) NOT VALID;'

runRule(rule, {
  valid: [
    { name: 'an in-place widening no CHECK reads', setup, sql: 'ALTER TABLE orders ALTER COLUMN code TYPE varchar(20);\nALTER TABLE orders ALTER COLUMN total TYPE int;' },
    { name: 'an old column rewritten is change-column-type\'s', setup, sql: 'ALTER TABLE orders ALTER COLUMN total TYPE bigint;' },
    { name: 'a new column given its type at once', setup, sql: 'ALTER TABLE orders ADD COLUMN qty bigint;' },
    { name: 'a new column widened in place', setup, earlierInRelease: 'ALTER TABLE orders ADD COLUMN tag varchar(10);', sql: 'ALTER TABLE orders ALTER COLUMN tag TYPE text;' },
    { name: 'a table of the release', earlierInRelease: 'CREATE TABLE t (a int CHECK (a > 0));', sql: 'ALTER TABLE t ALTER COLUMN a TYPE bigint;\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ALTER COLUMN b TYPE bigint;' },
    {
      name: 'the check dropped first, added back NOT VALID',
      setup,
      sql: 'ALTER TABLE orders DROP CONSTRAINT orders_note_nonempty;\nALTER TABLE orders ALTER COLUMN note TYPE text;\nALTER TABLE orders ADD CONSTRAINT orders_note_nonempty CHECK (length(note) > 0) NOT VALID;',
    },
    { name: 'timestamp → timestamptz depends on the session time zone', setup: 'CREATE TABLE e (at timestamp CHECK (at > \'2000-01-01\'));', sql: 'ALTER TABLE e ALTER COLUMN at TYPE timestamptz;' },
  ],
  invalid: [
    {
      name: 'a column added, then retyped, in one migration',
      setup,
      sql: 'ALTER TABLE orders ADD COLUMN qty int;\nALTER TABLE orders ALTER COLUMN qty TYPE bigint;',
      findings: [{ messageId: 'newColumn', line: 2, column: 1, endLine: 2, endColumn: 48 }],
    },
    {
      name: 'added and retyped in the same statement',
      setup,
      sql: 'ALTER TABLE orders ADD COLUMN qty int, ALTER COLUMN qty TYPE bigint;',
      findings: [{ messageId: 'newColumn', line: 1, column: 1 }],
    },
    {
      name: 'added earlier in the release',
      setup,
      earlierInRelease: 'ALTER TABLE orders ADD COLUMN qty int;',
      sql: 'SELECT 1;\nALTER TABLE orders ALTER COLUMN qty TYPE numeric(12,2);',
      findings: [{ messageId: 'newColumn', line: 2, column: 1 }],
    },
    {
      name: 'an in-place widening re-validates the CHECK that reads the column',
      setup,
      sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(200);',
      findings: [{ messageId: 'recheck', line: 1, column: 1 }],
    },
    {
      name: 'a column-level CHECK, through text',
      setup: 'CREATE TABLE p (name varchar(50) CHECK (name <> \'\'));',
      sql: 'ALTER TABLE p ALTER COLUMN name TYPE text;',
      findings: [{ messageId: 'recheck', line: 1, column: 1 }],
    },
  ],
})

it('names the checks and how to drop them', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE orders ALTER COLUMN note TYPE text;' }, [rule])
  expect(finding.message).toBe(
    'ALTER COLUMN orders.note TYPE varchar(100) → text keeps the rows, but re-validates CHECK orders_note_nonempty against every row of orders under an ACCESS EXCLUSIVE lock.',
  )
  expect(finding.help).toBe(
    'ALTER TABLE orders DROP CONSTRAINT orders_note_nonempty; then change the type, add the checks back NOT VALID, and VALIDATE them in a later migration.',
  )
})
