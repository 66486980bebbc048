import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { lintCase, TEST_FILE } from '../rule-tester.js'

beforeAll(() => loadParser())

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);'
const at = (sql: string) =>
  lintCase({ setup, sql })
    .filter(f => f.ruleId === 'unused-suppression')
    .map(f => ({ file: f.file, line: f.line, column: f.column, message: f.message }))

describe('unused-suppression', () => {
  it('flags a suppression that suppressed nothing, at the comment', () => {
    expect(at('SELECT 1;\n  -- migrate-lint-disable-next-line create-index-non-concurrently -- cleanup\nALTER TABLE users ADD COLUMN a text;')).toEqual([
      { file: TEST_FILE, line: 2, column: 3, message: 'The suppression of create-index-non-concurrently suppressed nothing on line 3.' },
    ])
  })

  it('flags an unknown rule id with the nearest known one', () => {
    const [finding] = at('-- migrate-lint-disable-next-line not-null-without-defualt -- typo\nALTER TABLE users ADD COLUMN a text NOT NULL;')
    expect(finding).toMatchObject({ line: 1, column: 1 })
    expect(finding.message).toMatch(/unknown rule "not-null-without-defualt" \(did you mean "not-null-without-default"\?\)/)
  })

  it('is quiet when every named rule suppressed something, across comment lines, and with two ids', () => {
    const sql =
      '-- migrate-lint-disable-next-line not-null-without-default, create-index-non-concurrently -- empty table\n' +
      '-- (the table is filled by the import job)\n' +
      'ALTER TABLE users ADD COLUMN a text NOT NULL;'
    expect(at(sql.replace(', create-index-non-concurrently', ''))).toEqual([])
    expect(at(sql).map(f => f.message)).toEqual(['The suppression of create-index-non-concurrently suppressed nothing on line 3.'])
    const suppressed = lintCase({ setup, sql }).filter(f => f.suppressed)
    expect(suppressed.map(f => [f.ruleId, f.line, f.suppressed?.reason])).toEqual([['not-null-without-default', 3, 'empty table']])
  })
})
