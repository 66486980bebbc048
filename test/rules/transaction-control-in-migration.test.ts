import { describe, expect, it } from 'vitest'
import rule from '../../rules/transaction-control-in-migration.js'
import { buildSqlMigration } from '../../src/discover/build.js'
import { lintMigrations } from '../../src/engine/lint.js'
import { lintCase, migrationFromText, runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { name: 'runner does not wrap: explicit BEGIN/COMMIT is the way', sql: 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;' },
    { name: 'dbmate with transaction:false', sql: '-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n-- migrate:down\nDROP TABLE t;' },
    {
      name: 'savepoints work inside the runner transaction',
      inTransaction: true,
      sql: 'SAVEPOINT a;\nCREATE TABLE t (id int);\nROLLBACK TO SAVEPOINT a;\nRELEASE SAVEPOINT a;',
    },
    { inTransaction: true, sql: 'CREATE TABLE t (id int);' },
  ],
  invalid: [
    {
      inTransaction: true,
      sql: 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;',
      findings: [
        { messageId: 'begin', line: 1, column: 1, endLine: 1, endColumn: 6 },
        { messageId: 'commit', line: 3, column: 1, endLine: 3, endColumn: 7 },
      ],
    },
    {
      name: 'dbmate wraps by default; END is a COMMIT',
      sql: '-- migrate:up\nCREATE TABLE t (id int);\nEND;\n-- migrate:down\nDROP TABLE t;',
      findings: [{ messageId: 'commit', line: 3, column: 1 }],
    },
    {
      name: 'multi-line START TRANSACTION further down',
      inTransaction: true,
      sql: 'CREATE TABLE t (id int);\n\n  START TRANSACTION\n    ISOLATION LEVEL SERIALIZABLE;',
      findings: [{ messageId: 'begin', line: 3, column: 3, endLine: 4, endColumn: 33 }],
    },
    { inTransaction: true, sql: 'CREATE TABLE t (id int);\nROLLBACK;', findings: [{ messageId: 'rollback', line: 2, column: 1 }] },
    { inTransaction: true, sql: 'ABORT;', findings: [{ messageId: 'rollback', line: 1, column: 1 }] },
    { inTransaction: true, sql: "PREPARE TRANSACTION 'x';", findings: [{ messageId: 'commit', line: 1, column: 1 }] },
    { inTransaction: true, sql: 'COMMIT AND CHAIN;', findings: [{ messageId: 'commit', line: 1, column: 1 }] },
  ],
})

describe('transaction-control-in-migration messages', () => {
  it('names the statement as written and the runner', () => {
    const [finding] = lintCase({ sql: '-- migrate:up\nCREATE TABLE t (id int);\nEND;\n-- migrate:down\nDROP TABLE t;' }, [rule])
    expect(finding.message).toMatch(/^END ends the transaction dbmate runs this migration in/)
    expect(finding.help).toContain('-- migrate:up transaction:false')
  })

  it('names START TRANSACTION in full', () => {
    const [finding] = lintCase({ inTransaction: true, sql: '/* open */ START TRANSACTION;' }, [rule])
    expect(finding.message).toMatch(/^START TRANSACTION in a migration that the migration runner already runs/)
  })
})

it('leaves BEGIN … COMMIT alone where the file is one query (golang-migrate): it only makes the implicit transaction explicit', () => {
  const id = 'migrations/1_two.up.sql'
  const text = 'BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;\n'
  const golang = buildSqlMigration({ id, layout: 'golang-migrate', order: 1, up: { path: id, text, inTransaction: true, detection: 'one-query' }, down: null })
  const dbmate = migrationFromText('migrations/2_dbmate.sql', `-- migrate:up\n${text}`, 2)
  const { findings } = lintMigrations([golang, dbmate], { rules: [rule], config: { postgresVersion: 15, tables: {} }, mode: 'release' })
  expect(findings.map(f => [f.file, f.line, f.messageId])).toEqual([
    ['migrations/2_dbmate.sql', 2, 'begin'],
    ['migrations/2_dbmate.sql', 5, 'commit'],
  ])
})
