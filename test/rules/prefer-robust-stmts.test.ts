import rule from '../../rules/prefer-robust-stmts.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE app_user (id bigint PRIMARY KEY, email text);\nCREATE TYPE mood AS ENUM (\'ok\');'

runRule(rule, {
  valid: [
    {
      name: 'guarded statements outside a transaction',
      setup,
      sql:
        'CREATE TABLE IF NOT EXISTS foo (id int);\nALTER TABLE app_user ADD COLUMN IF NOT EXISTS nick text;\n' +
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS app_user_nick_idx ON app_user (nick);\nALTER TABLE app_user DROP COLUMN IF EXISTS nick;\n' +
        'DROP INDEX IF EXISTS app_user_nick_idx;\nDROP TABLE IF EXISTS foo;\nDROP TYPE IF EXISTS mood;',
    },
    { name: 'in a transaction everything is undone together', setup, sql: 'BEGIN;\nALTER TABLE app_user ADD COLUMN nick text;\nCREATE TABLE foo (id int);\nDROP TABLE foo;\nCOMMIT;' },
    { name: "in the runner's transaction", setup, inTransaction: true, sql: 'ALTER TABLE app_user ADD COLUMN nick text;\nCREATE INDEX app_user_nick ON app_user (nick);' },
    {
      name: 'a constraint dropped first may be added and validated',
      setup,
      sql: 'ALTER TABLE app_user DROP CONSTRAINT IF EXISTS email_len;\nALTER TABLE app_user ADD CONSTRAINT email_len CHECK (length(email) < 100) NOT VALID;\nALTER TABLE app_user VALIDATE CONSTRAINT email_len;',
    },
    { name: 'an unnamed index in the runner\'s transaction is undone with it', setup, inTransaction: true, sql: 'CREATE INDEX ON app_user (email);' },
    { name: 'a temporary table dropped at commit', sql: 'CREATE TEMP TABLE scratch (id int) ON COMMIT DROP;' },
  ],
  invalid: [
    {
      // Run twice on Postgres 17 (PGlite), the second run makes app_user_email_idx1 next to app_user_email_idx.
      name: 'an unnamed index built again is a second index (squawk\'s docs page)',
      setup,
      sql: 'SELECT 1;\nCREATE INDEX CONCURRENTLY ON app_user (email);\nCREATE INDEX ON app_user (id, email);',
      findings: [{ messageId: 'unnamed', line: 2, column: 1 }, { messageId: 'unnamed', line: 3, column: 1 }],
    },
    {
      name: "squawk's example: ADD COLUMN then CREATE INDEX CONCURRENTLY",
      setup,
      sql: 'ALTER TABLE app_user ADD COLUMN billing_email text;\nCREATE INDEX CONCURRENTLY app_user_billing_idx ON app_user (billing_email);',
      findings: [{ messageId: 'ifNotExists', line: 1, column: 1 }, { messageId: 'ifNotExists', line: 2, column: 1 }],
    },
    {
      name: 'CREATE INDEX CONCURRENTLY needs the guard even after a BEGIN (it cannot run in one)',
      setup,
      inTransaction: true,
      sql: 'CREATE INDEX CONCURRENTLY app_user_email_idx ON app_user (email);',
      findings: [{ messageId: 'ifNotExists', line: 1, column: 1 }],
    },
    {
      name: 'drops without IF EXISTS',
      setup,
      sql: 'ALTER TABLE app_user DROP COLUMN email, DROP CONSTRAINT app_user_pkey;\nDROP INDEX i;\nDROP TABLE t;\nDROP TYPE mood;',
      findings: [
        { messageId: 'ifExists', line: 1, column: 1 },
        { messageId: 'ifExists', line: 1, column: 1 },
        { messageId: 'ifExists', line: 2, column: 1 },
        { messageId: 'ifExists', line: 3, column: 1 },
        { messageId: 'ifExists', line: 4, column: 1 },
      ],
    },
    {
      name: 'other ALTER TABLE commands, and constraints not dropped first',
      setup,
      sql: 'ALTER TABLE app_user ALTER COLUMN email SET NOT NULL;\nALTER TABLE app_user ADD CONSTRAINT c CHECK (id > 0);\nALTER TABLE app_user VALIDATE CONSTRAINT d;\nCREATE TABLE foo (id int);',
      findings: [
        { messageId: 'noTransaction', line: 1, column: 1 },
        { messageId: 'noTransaction', line: 2, column: 1 },
        { messageId: 'noTransaction', line: 3, column: 1 },
        { messageId: 'ifNotExists', line: 4, column: 1 },
      ],
    },
    { name: 'after the COMMIT the guard is needed again', setup, sql: 'BEGIN;\nALTER TABLE app_user ADD COLUMN a int;\nCOMMIT;\nALTER TABLE app_user ADD COLUMN b int;', findings: [{ messageId: 'ifNotExists', line: 4, column: 1 }] },
  ],
})
