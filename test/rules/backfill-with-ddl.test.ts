import { describe, expect, it } from 'vitest'
import rule from '../../rules/backfill-with-ddl.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' +
  'CREATE TABLE billing.invoices (id bigint PRIMARY KEY, paid boolean);'

runRule(rule, {
  valid: [
    { setup, sql: 'UPDATE users SET email = lower(email);' },
    { setup, sql: 'ALTER TABLE users ADD COLUMN email_lower text;' },
    { name: 'INSERT … VALUES is no backfill', setup, sql: "ALTER TABLE users ADD COLUMN x int;\nINSERT INTO users (id, email) VALUES (1, 'a');" },
    { name: 'INSERT … SELECT without FROM', setup, sql: 'ALTER TABLE users ADD COLUMN x int;\nINSERT INTO users (id) SELECT 1;' },
    {
      name: 'backfill of a table created in the same migration',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN x int;\nCREATE TABLE archive (id bigint);\nINSERT INTO archive SELECT id FROM users;',
    },
    {
      name: 'backfill of a table created earlier in the release',
      setup,
      earlierInRelease: 'CREATE TABLE archive (id bigint);',
      sql: 'ALTER TABLE users ADD COLUMN x int;\nUPDATE archive SET id = id + 1;',
    },
    {
      name: 'DDL only on tables the migration creates',
      setup,
      inTransaction: true,
      sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;\nCREATE INDEX t_x ON t (x);\nUPDATE users SET email = lower(email);',
    },
    {
      name: 'DDL on no table',
      setup,
      sql: "CREATE TYPE mood AS ENUM ('ok');\nCREATE VIEW v AS SELECT 1;\nDELETE FROM users WHERE email IS NULL;",
    },
    {
      name: 'a write to the system catalog is no backfill (system-catalog-write)',
      setup,
      inTransaction: true,
      sql: "ALTER TABLE users ADD COLUMN x int;\nUPDATE pg_index SET indisready = false WHERE indrelid = 'users'::regclass;\nUPDATE pg_catalog.pg_index SET indisready = true;",
    },
  ],
  invalid: [
    {
      name: 'a user table named pg_… is a table like any other',
      setup: setup + '\nCREATE TABLE pg_stats_history (id bigint, n int);',
      inTransaction: true,
      sql: 'ALTER TABLE users ADD COLUMN x int;\nUPDATE pg_stats_history SET n = 0;',
      findings: [{ messageId: 'locksHeld', line: 2, column: 1 }],
    },
    {
      name: 'in a transaction the DDL lock outlives the backfill',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE users ADD COLUMN email_lower text;\nUPDATE users SET email_lower = lower(email);',
      findings: [{ messageId: 'locksHeld', line: 2, column: 1, endLine: 2, endColumn: 44 }],
    },
    {
      name: 'outside a transaction they are mixed',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN email_lower text;\nUPDATE users SET email_lower = lower(email);',
      findings: [{ messageId: 'mixed', line: 2, column: 1 }],
    },
    {
      name: 'DDL after the backfill in the same transaction',
      setup,
      inTransaction: true,
      sql: 'UPDATE users SET email = lower(email);\nCREATE INDEX users_email ON users (email);',
      findings: [{ messageId: 'rowsHeld', line: 1, column: 1 }],
    },
    {
      name: 'schema-qualified DELETE, multi-line, further down',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE billing.invoices ADD COLUMN note text;\n\n  DELETE FROM billing.invoices\n  WHERE paid;',
      findings: [{ messageId: 'locksHeld', line: 3, column: 3, endLine: 4, endColumn: 13 }],
    },
    {
      name: 'INSERT … SELECT into an existing table',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN x int;\nINSERT INTO orders (id, user_id) SELECT id, id FROM users;',
      findings: [{ messageId: 'mixed', line: 2, column: 1 }],
    },
    {
      name: 'INSERT … SELECT with FROM in one arm of a UNION',
      setup,
      sql: 'INSERT INTO orders (id) SELECT 1 UNION SELECT id FROM users;\nDROP TABLE IF EXISTS legacy;',
      findings: [{ messageId: 'mixed', line: 1, column: 1 }],
    },
    {
      name: 'one finding per backfill statement',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE users ADD COLUMN x int;\nUPDATE users SET x = 1;\nDELETE FROM orders;',
      findings: [
        { messageId: 'locksHeld', line: 2, column: 1 },
        { messageId: 'locksHeld', line: 3, column: 1 },
      ],
    },
    {
      name: 'explicit transaction that ends before the backfill',
      setup,
      sql: 'BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nUPDATE users SET x = 1;',
      findings: [{ messageId: 'mixed', line: 4, column: 1 }],
    },
    {
      name: 'explicit transactions of their own',
      setup,
      sql: 'BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nBEGIN;\nUPDATE users SET x = 1;\nCOMMIT;',
      findings: [{ messageId: 'mixed', line: 5, column: 1 }],
    },
    {
      name: 'DDL on a table created earlier in the release still existed before this migration',
      setup,
      earlierInRelease: 'CREATE TABLE t (id int);',
      sql: 'ALTER TABLE t ADD COLUMN x int;\nUPDATE users SET email = NULL;',
      findings: [{ messageId: 'mixed', line: 2, column: 1 }],
    },
    {
      name: 'a new table referencing an existing one locks it',
      setup,
      inTransaction: true,
      sql: 'CREATE TABLE audit (user_id bigint REFERENCES users (id));\nUPDATE users SET email = lower(email);',
      findings: [{ messageId: 'locksHeld', line: 2, column: 1 }],
    },
    {
      name: 'tables unknown to the migrations existed',
      sql: 'ALTER TABLE legacy ADD COLUMN x int;\nUPDATE legacy SET x = 1;',
      findings: [{ messageId: 'mixed', line: 2, column: 1 }],
    },
  ],
})

describe('backfill-with-ddl messages', () => {
  it('names both statements and suggests batches by the primary key', () => {
    const [finding] = lintCase({
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE users ADD COLUMN email_lower text;\nUPDATE users SET email_lower = lower(email);',
    }, [rule])
    expect(finding.message).toBe(
      'UPDATE on users runs in the same transaction as ALTER TABLE on users (line 1): ' +
        'the lock the DDL took on users stays held until the whole backfill commits.',
    )
    expect(finding.help).toContain('WHERE id >= :start AND id < :start + 10000')
  })

  it('is an error on a table configured large', () => {
    const [finding] = lintCase({
      setup,
      config: { tables: { users: { large: true } } },
      sql: 'ALTER TABLE orders ADD COLUMN x int;\nUPDATE users SET email = NULL;',
    }, [rule])
    expect(finding.severity).toBe('error')
  })
})
