import { expect, it } from 'vitest'
import rule from '../../rules/identifier-too-long.js'
import { lintCase, runRule } from '../rule-tester.js'

const long = `c_${'x'.repeat(62)}`

runRule(rule, {
  valid: [
    { sql: `CREATE TABLE t (${'a'.repeat(63)} int);` },
    { name: 'long names that are only referenced', sql: `SELECT ${long} FROM t;` },
  ],
  invalid: [
    { sql: `CREATE TABLE t (\n  id int,\n  ${long} int\n);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { setup: 'CREATE TABLE t (a int);', sql: `SELECT 1;\nALTER TABLE t ADD CONSTRAINT ${long} CHECK (a > 0) NOT VALID;`, findings: [{ messageId: 'tooLong', line: 2, column: 1 }] },
    { setup: 'CREATE TABLE t (a int);', sql: `ALTER TABLE t RENAME COLUMN a TO ${long};`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
    { name: 'multi-byte characters count as bytes', sql: `CREATE TABLE ${'é'.repeat(32)} (a int);`, findings: [{ messageId: 'tooLong', line: 1, column: 1 }] },
  ],
})

it('says what Postgres truncates the name to, without cutting a character in two', () => {
  const [finding] = lintCase({ sql: `CREATE TABLE ${'é'.repeat(32)} (a int);` }, [rule])
  expect(finding.message).toBe(`The name "${'é'.repeat(32)}" is 64 bytes long; Postgres truncates it to "${'é'.repeat(31)}".`)
})
