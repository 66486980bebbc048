import rule from '../../rules/unparsed-statement.js'
import dropColumnStillRead from '../../rules/drop-column-still-read.js'
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
    {
      name: "pg_dump's COPY rows: one finding for the rows; the statement after \\. is read",
      sql: 'COPY t (a) FROM stdin;\n1\n2\n\\.\nALTER TABLE t ADD COLUMN;\n',
      findings: [
        { messageId: 'copyData', line: 2, column: 1, endLine: 4, endColumn: 3 },
        { messageId: 'unparsed', line: 5, column: 1 },
      ],
    },
    {
      name: 'psql meta-commands, each at its line',
      sql: '\\set ON_ERROR_STOP on\nCREATE TABLE t (id int);\n  \\connect other\n',
      findings: [
        { messageId: 'psqlMetaCommand', line: 1, column: 1, endLine: 1, endColumn: 22 },
        { messageId: 'psqlMetaCommand', line: 3, column: 3, endLine: 3, endColumn: 17 },
      ],
    },
    {
      name: 'a NUL byte after a statement: the NUL to the end of its line',
      sql: 'CREATE TABLE t (id int);\u0000x\nDROP TABLE t;',
      findings: [{ messageId: 'binaryData', line: 1, column: 25, endLine: 1, endColumn: 27 }],
    },
  ],
})

it('still lints the statement after a meta-command, COPY rows or a NUL, at its exact place', () => {
  const setup = 'CREATE TABLE users (id int, email text);'
  const baseUsage = [{ table: 'users', column: 'email', kind: 'select' as const, at: 'src/users.ts:5' }]
  for (const before of ['\\set ON_ERROR_STOP on', 'COPY users (id) FROM stdin;\n1\n\\.', 'SELECT 1;\u0000junk']) {
    const sql = `${before}\n  ALTER TABLE users DROP COLUMN email;`
    const line = sql.split('\n').length
    const findings = lintCase({ setup, baseUsage, sql }, [dropColumnStillRead, rule])
    expect(findings.map(f => [f.ruleId, f.line, f.column])).toContainEqual(['drop-column-still-read', line, 3])
    expect(findings.filter(f => f.ruleId === 'unparsed-statement').map(f => f.line)).toEqual([before.startsWith('COPY') ? 2 : 1])
  }
})


it('says a binary file was not parsed, rather than blaming a statement', () => {
  const utf16 = 'SELECT 1;\nSELECT 2;\n'.split('').join('\u0000')
  const [finding] = lintCase({ sql: utf16 }, [rule])
  expect(finding).toMatchObject({ messageId: 'fileNotRead', line: 1, column: 1, severity: 'error' })
  expect(finding.message).toMatch(/^This file was not parsed: the file holds a NUL byte/)
})

it('is an error by default: the deploy fails at the statement and nothing in it was checked', () => {
  expect(rule.severity).toBe('error')
  expect(rule.docs.why).toMatch(/deploy itself fails/)
})
