import { expect, it } from 'vitest'
import rule from '../../rules/rename-schema.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY);\nCREATE TABLE billing.payments (id bigint);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE SCHEMA finance;' },
    { name: 'schema created in the same migration', sql: 'CREATE SCHEMA tmp;\nALTER SCHEMA tmp RENAME TO staging;' },
    {
      name: 'schema whose tables are all new in the release',
      earlierInRelease: 'CREATE SCHEMA tmp;\nCREATE TABLE tmp.t (id int);',
      sql: 'ALTER SCHEMA tmp RENAME TO staging;',
    },
    { name: 'renaming a table of the schema is another rule', setup, sql: 'ALTER TABLE billing.invoices RENAME TO bills;' },
  ],
  invalid: [
    { setup, sql: 'ALTER SCHEMA billing RENAME TO finance;', findings: [{ messageId: 'renamed', line: 1, column: 1, endLine: 1, endColumn: 39 }] },
    {
      name: 'a schema the migrations never created, on a later line',
      sql: 'SELECT 1;\n\nALTER SCHEMA legacy\n  RENAME TO archive;',
      findings: [{ messageId: 'renamed', line: 3, column: 1, endLine: 4, endColumn: 20 }],
    },
    {
      name: 'an old table in the schema makes it old, whatever the release added',
      setup,
      earlierInRelease: 'CREATE TABLE billing.refunds (id int);',
      sql: 'ALTER SCHEMA billing RENAME TO finance;',
      findings: [{ messageId: 'renamed', line: 1, column: 1 }],
    },
  ],
})

it('names the tables that move', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER SCHEMA billing RENAME TO finance;' }, [rule])
  expect(finding.message).toBe(
    'ALTER SCHEMA billing RENAME TO finance: code of the previous release that names billing.… (billing.invoices, ' +
      'billing.payments) fails during the deploy and after a revert (relation does not exist).',
  )
})
