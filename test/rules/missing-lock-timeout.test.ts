import { describe, expect, it } from 'vitest'
import rule from '../../rules/missing-lock-timeout.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n' +
  'CREATE INDEX users_email_idx ON users (email);\n' +
  'CREATE TABLE billing.invoices (id bigint PRIMARY KEY);\n' +
  'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);'

runRule(rule, {
  valid: [
    { setup, sql: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN x int;" },
    { setup, sql: 'SET lock_timeout TO 5000;\nDROP TABLE orders;' },
    { setup, inTransaction: true, sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN x int;" },
    { setup, sql: "SELECT set_config('lock_timeout', '3s', false);\nTRUNCATE orders;" },
    { setup, sql: "SET lock_timeout = '0';\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN x int;" },
    { name: 'no lock that blocks reads or writes', setup, sql: 'CREATE INDEX CONCURRENTLY users_x ON users (email);\nDROP INDEX CONCURRENTLY users_email_idx;\nREINDEX INDEX CONCURRENTLY users_x;' },
    { name: 'VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE', setup, sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;' },
    { name: 'weak or NOWAIT explicit locks', setup, sql: 'LOCK TABLE users IN ACCESS SHARE MODE;\nLOCK TABLE orders NOWAIT;' },
    { name: 'DML takes no blocking lock', setup, sql: 'UPDATE users SET email = lower(email);' },
    {
      name: 'storage parameters such as fillfactor take SHARE UPDATE EXCLUSIVE',
      setup,
      sql: 'ALTER TABLE users SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01);\nALTER TABLE users RESET (fillfactor);',
    },
    { name: 'a statement_timeout is not a lock_timeout, but a CREATE TABLE without references needs neither', sql: 'CREATE TABLE t (id int);' },
    {
      name: 'tables created in the same migration',
      sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;\nCREATE INDEX t_x ON t (x);\nALTER TABLE t RENAME TO t2;\nDROP TABLE t2;',
    },
    {
      name: 'tables created earlier in the release',
      earlierInRelease: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);',
      sql: 'ALTER TABLE t ADD COLUMN x int;\nDROP INDEX t_id;\nTRUNCATE t;',
    },
    {
      name: 'DROP … IF EXISTS of what the migrations never made locks nothing',
      setup,
      sql: 'DROP TABLE IF EXISTS users_backup;\nDROP INDEX IF EXISTS users_name_idx;\nALTER TABLE IF EXISTS orders_old DROP COLUMN note;\nDROP VIEW IF EXISTS order_totals;',
    },
    {
      name: 'a materialized view and tables made from queries in the same migration',
      setup,
      sql:
        'CREATE MATERIALIZED VIEW user_emails AS SELECT id, email FROM users;\nCREATE UNIQUE INDEX user_emails_id ON user_emails (id);\n' +
        'SELECT id, user_id INTO orders_copy FROM orders;\nALTER TABLE orders_copy ADD PRIMARY KEY (id);\n' +
        'CREATE TABLE orders_2 AS SELECT * FROM orders;\nCREATE INDEX orders_2_user ON orders_2 (user_id);',
    },
  ],
  invalid: [
    {
      name: 'DROP INDEX IF EXISTS of an index that is there locks its table and carries the one finding (the index is gone by the next statement)',
      setup,
      sql: 'DROP INDEX IF EXISTS users_email_idx;\nCREATE INDEX users_email_idx ON users (lower(email));',
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    {
      name: 'a DROP COLUMN IF EXISTS of a missing column still locks its table, and a no-op before it does not carry the finding',
      setup,
      sql: 'DROP TABLE IF EXISTS users_backup;\nALTER TABLE orders DROP COLUMN IF EXISTS note;',
      findings: [{ messageId: 'missing', line: 2, column: 1 }],
    },
    { setup, sql: 'ALTER TABLE users ADD COLUMN x int;', findings: [{ messageId: 'missing', line: 1, column: 1, endLine: 1, endColumn: 35 }] },
    {
      name: 'once per migration',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\nDROP TABLE orders;',
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    {
      name: 'at the first statement on a table that existed, multi-line',
      setup,
      sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;\n\n  CREATE INDEX users_lower_email ON users\n    (lower(email));',
      findings: [{ messageId: 'missing', line: 4, column: 3, endLine: 5, endColumn: 19 }],
    },
    {
      name: 'after locks on a table of the release that is renamed later',
      setup,
      earlierInRelease: 'CREATE TABLE t (id int);',
      sql: 'ALTER TABLE t ADD COLUMN x int;\nALTER TABLE t RENAME TO t2;\nALTER TABLE users ADD COLUMN y int;',
      findings: [{ messageId: 'missing', line: 3, column: 1 }],
    },
    {
      name: 'after dropping an index of a table the migration made',
      setup,
      sql: 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nDROP INDEX t_id;\nALTER TABLE users ADD COLUMN x int;',
      findings: [{ messageId: 'missing', line: 4, column: 1 }],
    },
    {
      name: 'set after the lock is too late',
      setup,
      sql: "ALTER TABLE users ADD COLUMN a int;\nSET lock_timeout = '5s';",
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    { name: '0 means no timeout', setup, sql: 'SET lock_timeout = 0;\nDROP TABLE users;', findings: [{ messageId: 'ineffective', line: 2, column: 1 }] },
    { setup, sql: "SET lock_timeout = '0s';\nALTER TABLE users DROP COLUMN email;", findings: [{ messageId: 'ineffective', line: 2, column: 1 }] },
    {
      setup,
      sql: "SELECT set_config('lock_timeout', '0', false);\nALTER TABLE users DROP COLUMN email;",
      findings: [{ messageId: 'ineffective', line: 2, column: 1 }],
    },
    {
      name: 'RESET turns it off again',
      setup,
      sql: "SET lock_timeout = '5s';\nRESET lock_timeout;\nTRUNCATE users;",
      findings: [{ messageId: 'ineffective', line: 3, column: 1 }],
    },
    {
      name: 'turned off between two locks: the second one needs it',
      setup,
      sql: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN a int;\nSET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN b int;",
      findings: [{ messageId: 'ineffective', line: 4, column: 1 }],
    },
    {
      name: 'SET LOCAL outside a transaction does nothing',
      setup,
      sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN x int;",
      findings: [{ messageId: 'ineffective', line: 2, column: 1 }],
    },
    {
      name: 'SET LOCAL ends with its transaction',
      setup,
      sql: "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nALTER TABLE orders ADD COLUMN b int;",
      findings: [{ messageId: 'ineffective', line: 5, column: 1 }],
    },
    {
      name: 'a foreign key locks the table it references',
      setup,
      earlierInRelease: 'CREATE TABLE t (id int, user_id bigint);',
      sql: 'ALTER TABLE t ADD CONSTRAINT t_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    {
      name: 'so does a new table referencing it',
      setup,
      sql: 'CREATE TABLE t (user_id bigint REFERENCES public.users);',
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    { name: 'schema-qualified', setup, sql: 'ALTER TABLE billing.invoices ADD COLUMN note text;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { name: 'IF EXISTS on a table unknown to the migrations', sql: 'DROP TABLE IF EXISTS legacy;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'ALTER TABLE IF EXISTS users RENAME COLUMN email TO mail;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'ALTER TABLE users RENAME TO people;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'ALTER TABLE users SET SCHEMA archive;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    {
      setup,
      sql: 'CREATE TRIGGER users_audit AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();',
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    { setup, sql: 'DROP INDEX users_email_idx;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'REINDEX TABLE users;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'VACUUM (FULL, ANALYZE) users;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'CLUSTER users USING users_pkey;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { setup, sql: 'LOCK TABLE users IN SHARE MODE;', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { name: 'user_catalog_table is an ACCESS EXCLUSIVE storage parameter', setup, sql: 'ALTER TABLE users SET (user_catalog_table = true);', findings: [{ messageId: 'missing', line: 1, column: 1 }] },
    { name: 'statement_timeout does not stand in for it', setup, sql: "SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN x int;", findings: [{ messageId: 'missing', line: 2, column: 1 }] },
    {
      setup,
      sql: "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
      findings: [{ messageId: 'missing', line: 1, column: 1 }],
    },
  ],
})

describe('missing-lock-timeout messages', () => {
  it('names the operation, the table and what the lock blocks', () => {
    const [finding] = lintCase({ setup, inTransaction: true, sql: 'CREATE INDEX users_x ON users (email);' }, [rule])
    expect(finding.message).toBe(
      'CREATE INDEX takes a lock that blocks writes on users, and no lock_timeout is set before it: ' +
        'while it waits behind a long-running query, every other query on users queues behind it.',
    )
    expect(finding.help).toBe("Start the migration with SET LOCAL lock_timeout = '5s'; and retry it when it times out.")
  })

  it('says why an earlier setting does not count', () => {
    const [finding] = lintCase({ setup, sql: 'SET lock_timeout = 0;\nDROP TABLE users;' }, [rule])
    expect(finding.message).toContain('no lock_timeout is in effect (line 1 sets it to 0, which means no timeout)')
  })

  it('reports the referenced table of a foreign key, and raises it on a large table', () => {
    const [finding] = lintCase({
      setup,
      config: { tables: { users: { large: true } } },
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    }, [rule])
    expect(finding.message).toMatch(/^ALTER TABLE takes a lock that blocks writes on orders/)
    expect(finding.severity).toBe('warning')
    const [onUsers] = lintCase({
      setup,
      earlierInRelease: 'CREATE TABLE t (id int, user_id bigint);',
      config: { tables: { users: { large: true } } },
      sql: 'ALTER TABLE t ADD CONSTRAINT t_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
    }, [rule])
    expect(onUsers.message).toMatch(/^ALTER TABLE t … REFERENCES takes a lock that blocks writes on users/)
    expect(onUsers.severity).toBe('error')
  })

  it('finds the table of a dropped index', () => {
    const [finding] = lintCase({ setup, config: { tables: { users: { large: true } } }, sql: 'DROP INDEX users_email_idx;' }, [rule])
    expect(finding.message).toMatch(/^DROP INDEX takes a lock that blocks reads and writes on users/)
    expect(finding.severity).toBe('error')
  })
})
