import rule from '../../rules/unparsed-statement.js'
import { expect, it } from 'vitest'
import { lintCase, runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;' },
    { sql: '' },
    { sql: '-- only a comment' },
  ],
  invalid: [
    {
      name: 'a bad statement between two good ones, at its own line',
      sql: 'CREATE TABLE t (id int);\n\n  ALTER TABLE t ADD COLUMN;\nDROP TABLE t;',
      findings: [{ messageId: 'unparsed', line: 3, column: 3, endLine: 3, endColumn: 27 }],
    },
    {
      name: 'in the down section too',
      sql: '-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABL t;',
      findings: [{ messageId: 'unparsed', line: 4, column: 1 }],
    },
    { name: 'unterminated quote', sql: "SELECT 1;\nSELECT 'x;\n", findings: [{ messageId: 'unparsed', line: 2, column: 1 }] },
  ],
})


it('says a binary file was not parsed, rather than blaming a statement', () => {
  const [finding] = lintCase({ sql: 'SELECT 1;\u0000\u0001' }, [rule])
  expect(finding).toMatchObject({ messageId: 'fileNotRead', line: 1, column: 1 })
  expect(finding.message).toMatch(/^This file was not parsed: the file holds a NUL byte/)
})
