import { expect, it } from 'vitest'
import rule from '../../rules/concurrently-in-transaction.js'
import { buildSqlMigration } from '../../src/discover/build.js'
import { lintMigrations } from '../../src/engine/lint.js'
import { lintCase, migrationFromText, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);'

runRule(rule, {
  valid: [
    { name: 'runner does not wrap', setup, sql: 'CREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email));' },
    { name: 'dbmate transaction:false', setup, sql: '-- migrate:up transaction:false\nDROP INDEX CONCURRENTLY users_email_idx;' },
    { name: 'not concurrent', setup, inTransaction: true, sql: 'CREATE INDEX users_id_email ON users (id, email);' },
    { name: 'REINDEX without CONCURRENTLY', setup, inTransaction: true, sql: 'REINDEX INDEX users_email_idx;' },
    { name: 'CONCURRENTLY false', setup, inTransaction: true, sql: 'REINDEX (CONCURRENTLY false) TABLE users;' },
    { name: 'DETACH without CONCURRENTLY', inTransaction: true, sql: 'ALTER TABLE events DETACH PARTITION events_2020;' },
    { name: 'after COMMIT', setup, sql: 'BEGIN;\nUPDATE users SET email = lower(email);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (email);' },
  ],
  invalid: [
    {
      name: 'CREATE INDEX CONCURRENTLY in a wrapped migration',
      setup,
      inTransaction: true,
      sql: 'CREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email));',
      findings: [{ messageId: 'runnerTransaction', line: 1, column: 1, endLine: 1, endColumn: 68 }],
    },
    {
      name: 'dbmate wraps by default; multi-line at a later line',
      setup,
      sql: '-- migrate:up\nSELECT 1;\n  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key\n    ON public.users (email);\n-- migrate:down\nDROP INDEX users_email_key;',
      findings: [{ messageId: 'runnerTransaction', line: 3, column: 3, endLine: 4, endColumn: 28 }],
    },
    {
      name: 'fails even on a table created in the same migration',
      inTransaction: true,
      sql: 'CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);',
      findings: [{ messageId: 'runnerTransaction', line: 2, column: 1 }],
    },
    {
      name: 'DROP INDEX CONCURRENTLY IF EXISTS, schema-qualified',
      setup,
      inTransaction: true,
      sql: 'DROP INDEX CONCURRENTLY IF EXISTS public.users_email_idx;',
      findings: [{ messageId: 'runnerTransaction', line: 1, column: 1 }],
    },
    { name: 'REINDEX … CONCURRENTLY', setup, inTransaction: true, sql: 'REINDEX INDEX CONCURRENTLY users_email_idx;', findings: [{ messageId: 'runnerTransaction', line: 1, column: 1 }] },
    { name: 'REINDEX (CONCURRENTLY)', setup, inTransaction: true, sql: 'REINDEX (CONCURRENTLY) TABLE users;', findings: [{ messageId: 'runnerTransaction', line: 1, column: 1 }] },
    {
      name: 'DETACH PARTITION … CONCURRENTLY',
      inTransaction: true,
      sql: 'ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;',
      findings: [{ messageId: 'runnerTransaction', line: 1, column: 1 }],
    },
    {
      name: 'inside an explicit BEGIN block',
      setup,
      sql: 'BEGIN;\nCREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email));\nCOMMIT;',
      findings: [{ messageId: 'explicitTransaction', line: 2, column: 1 }],
    },
  ],
})

it('quotes the Postgres error and names the statement', () => {
  const [finding] = lintCase({ setup, inTransaction: true, sql: 'CREATE INDEX CONCURRENTLY users_lower_email ON users (lower(email));' }, [rule])
  expect(finding.message).toBe(
    'CREATE INDEX CONCURRENTLY users_lower_email on users runs inside the transaction the migration runner opens: ' +
      'Postgres refuses it ("CREATE INDEX CONCURRENTLY cannot run inside a transaction block") and the migration fails.',
  )
  expect(finding.severity).toBe('error')
})

it('tells dbmate users how to switch the transaction off', () => {
  const [finding] = lintCase({ setup, sql: '-- migrate:up\nDROP INDEX CONCURRENTLY users_email_idx;' }, [rule])
  expect(finding.help).toContain('-- migrate:up transaction:false')
  expect(finding.message).toContain('"DROP INDEX CONCURRENTLY cannot run inside a transaction block"')
})

it('golang-migrate: a CONCURRENTLY that shares its file is refused by the implicit transaction of one query; alone it is fine', () => {
  const golang = (id: string, text: string, order: number) =>
    buildSqlMigration({ id, layout: 'golang-migrate', order, up: { path: id, text, inTransaction: true, detection: 'one-query' }, down: null })
  const migrations = [
    { ...migrationFromText('migrations/0_setup.sql', setup, 0), inRelease: false },
    golang('migrations/1_two.up.sql', 'SELECT 1;\nCREATE INDEX CONCURRENTLY users_lower ON users (lower(email));', 1),
    golang('migrations/2_one.up.sql', 'CREATE INDEX CONCURRENTLY users_upper ON users (upper(email));', 2),
  ]
  const { findings } = lintMigrations(migrations, { rules: [rule], config: { postgresVersion: 15, tables: {} }, mode: 'release' })
  expect(findings.map(f => [f.file, f.line, f.messageId])).toEqual([['migrations/1_two.up.sql', 2, 'oneQuery']])
  expect(findings[0].message).toContain('is sent in one query with the other statements of its file')
  expect(findings[0].help).toContain('a migration file of its own')
})
