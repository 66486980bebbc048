import { expect, it } from 'vitest'
import rule from '../../rules/rename-schema.js'
import renameTable from '../../rules/rename-table.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { name: 'its tables the migrations made are rename-table\'s, one finding each', setup, sql: 'ALTER SCHEMA billing RENAME TO finance;' },
    { name: 'schema created in the same migration', sql: 'CREATE SCHEMA tmp;\nALTER SCHEMA tmp RENAME TO staging;' },
    {
      name: 'schema whose tables are all new in the release',
      earlierInRelease: 'CREATE SCHEMA tmp;\nCREATE TABLE tmp.t (id int);',
      sql: 'ALTER SCHEMA tmp RENAME TO staging;',
    },
    { name: 'renaming a table of the schema is another rule', setup, sql: 'ALTER TABLE billing.invoices RENAME TO bills;' },
  ],
  invalid: [
    { sql: 'ALTER SCHEMA legacy RENAME TO archive;', findings: [{ messageId: 'renamed', line: 1, column: 1, endLine: 1, endColumn: 38 }] },
    {
      name: 'a schema with only functions and types in the migrations, on a later line',
      sql: "CREATE FUNCTION reports.total() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\nALTER SCHEMA reports\n  RENAME TO analytics;",
      findings: [{ messageId: 'renamed', line: 3, column: 1, endLine: 4, endColumn: 22 }],
    },
  ],
})

it('leaves the tables it knows to rename-table, which reports each', () => {
  const found = lintCase({ setup, sql: 'ALTER SCHEMA billing RENAME TO finance;' }, [rule, renameTable]).map(f => `${f.ruleId} ${f.line}`)
  expect(found).toEqual(['rename-table 1'])
  const [finding] = lintCase({ sql: 'ALTER SCHEMA legacy RENAME TO archive;' }, [rule])
  expect(finding.message).toBe(
    'ALTER SCHEMA legacy RENAME TO archive: the migrations show none of its tables, so its objects were made elsewhere, ' +
      'and code of the previous release that names legacy.… fails during the deploy and after a revert (relation does not exist).',
  )
})
