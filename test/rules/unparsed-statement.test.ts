import rule from '../../rules/unparsed-statement.js'
import { runRule } from '../rule-tester.js'

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
