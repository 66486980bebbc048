import { expect, it } from 'vitest'
import rule from '../../rules/alter-domain-constraint.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE DOMAIN amount AS numeric;\n' +
  'CREATE TABLE payments (id bigint PRIMARY KEY, value amount);\n' +
  'CREATE TABLE refunds (id bigint PRIMARY KEY, value amount, fee amount);'

runRule(rule, {
  valid: [
    { name: 'NOT VALID checks new values only', setup, sql: 'ALTER DOMAIN amount ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;' },
    { name: 'dropping a constraint or a default scans nothing', setup, sql: 'ALTER DOMAIN amount DROP CONSTRAINT positive;\nALTER DOMAIN amount SET DEFAULT 0;\nALTER DOMAIN amount DROP NOT NULL;' },
    { name: 'domain created in the same migration', sql: 'CREATE DOMAIN d AS int;\nALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0);' },
    {
      name: 'a domain only tables of the release use',
      earlierInRelease: 'CREATE DOMAIN d AS int;\nCREATE TABLE t (x d);',
      sql: 'ALTER DOMAIN d SET NOT NULL;',
    },
  ],
  invalid: [
    { setup, sql: 'ALTER DOMAIN amount ADD CONSTRAINT positive CHECK (VALUE > 0);', findings: [{ messageId: 'addConstraint', line: 1, column: 1, endLine: 1, endColumn: 62 }] },
    { setup, sql: 'SELECT 1;\nALTER DOMAIN public.amount\n  SET NOT NULL;', findings: [{ messageId: 'setNotNull', line: 2, column: 1 }] },
    {
      name: "VALIDATE blocks writes too, unlike a table's",
      setup: `${setup}\nALTER DOMAIN amount ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;`,
      sql: 'ALTER DOMAIN amount VALIDATE CONSTRAINT positive;',
      findings: [{ messageId: 'validate', line: 1, column: 1 }],
    },
    { name: 'a NOT NULL constraint by name', setup, sql: 'ALTER DOMAIN amount ADD CONSTRAINT amount_nn NOT NULL;', findings: [{ messageId: 'addConstraint', line: 1, column: 1 }] },
    { name: 'a domain the migrations never made', sql: 'ALTER DOMAIN legacy ADD CHECK (VALUE <> \'\');', findings: [{ messageId: 'addConstraint', line: 1, column: 1 }] },
    {
      name: 'an old table took a column of a domain of the release',
      setup,
      earlierInRelease: 'CREATE DOMAIN code AS text;\nALTER TABLE payments ADD COLUMN currency code;',
      sql: 'ALTER DOMAIN code ADD CONSTRAINT code_len CHECK (length(VALUE) = 3);',
      findings: [{ messageId: 'addConstraint', line: 1, column: 1 }],
    },
  ],
})

it('names every column of the domain and the tables whose writes wait', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER DOMAIN amount ADD CONSTRAINT positive CHECK (VALUE > 0);' }, [rule])
  expect(finding.message).toBe(
    'ALTER DOMAIN amount ADD CONSTRAINT positive checks every value of payments.value, refunds.value, refunds.fee under a SHARE lock: no writes to payments, refunds until the scan ends.',
  )
  const [unknown] = lintCase({ sql: 'ALTER DOMAIN legacy SET NOT NULL;' }, [rule])
  expect(unknown.message).toBe('ALTER DOMAIN legacy SET NOT NULL checks every value of every column of type legacy under a SHARE lock: no writes to their tables until the scan ends.')
})
