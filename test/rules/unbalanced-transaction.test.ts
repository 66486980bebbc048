import { expect, it } from 'vitest'
import rule from '../../rules/unbalanced-transaction.js'
import { lintCase, runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;' },
    { sql: 'BEGIN;\nCREATE TABLE t (id int);\nROLLBACK;\nBEGIN;\nCREATE TABLE u (id int);\nEND;' },
    { name: 'savepoints open and end no transaction', sql: 'BEGIN;\nSAVEPOINT a;\nCREATE TABLE t (id int);\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;\nCOMMIT;' },
    { name: 'no transaction control at all', sql: 'CREATE TABLE t (id int);' },
    { name: "inside the runner's transaction it is transaction-control-in-migration's", inTransaction: true, sql: '-- migrate:up\nBEGIN;\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;' },
  ],
  invalid: [
    { sql: 'BEGIN;\nCREATE TABLE t (id int);', findings: [{ messageId: 'unclosed', line: 1, column: 1, endLine: 1, endColumn: 6 }] },
    {
      name: 'squawk transaction-nesting: BEGIN inside BEGIN',
      sql: 'BEGIN;\nCREATE TABLE t (id int);\nSTART TRANSACTION;\nCREATE TABLE u (id int);\nCOMMIT;\nCOMMIT;',
      findings: [{ messageId: 'nested', line: 3, column: 1 }, { messageId: 'nothingOpen', line: 6, column: 1 }],
    },
    { name: 'a COMMIT with nothing open', sql: 'CREATE TABLE t (id int);\nCOMMIT;', findings: [{ messageId: 'nothingOpen', line: 2, column: 1 }] },
    { name: 'the second transaction is left open', sql: 'BEGIN;\nSELECT 1;\nCOMMIT;\n\nBEGIN;\nSELECT 2;', findings: [{ messageId: 'unclosed', line: 5, column: 1 }] },
  ],
})

it('says where the outer transaction began', () => {
  const [finding] = lintCase({ sql: 'BEGIN;\nBEGIN;\nCOMMIT;' }, [rule])
  expect(finding.message).toBe('BEGIN inside the transaction opened at line 1 is ignored: the next COMMIT ends the outer transaction, and what follows runs without one.')
})
