import { expect, it } from 'vitest'
import rule from '../../rules/statement-after-access-exclusive.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total int);\n' +
  'CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) FROM orders GROUP BY user_id;'

runRule(rule, {
  valid: [
    { name: 'the slow statement first, the lock last', setup, inTransaction: true, sql: 'CREATE INDEX orders_user ON orders (user_id);\nALTER TABLE users ADD COLUMN nick text;' },
    { name: 'no transaction: each statement commits', setup, sql: 'ALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX orders_user ON orders (user_id);' },
    { name: 'a COMMIT between them', setup, sql: 'BEGIN;\nALTER TABLE users ADD COLUMN nick text;\nCOMMIT;\nBEGIN;\nSELECT count(*) FROM orders;\nCOMMIT;' },
    { name: 'quick statements after the lock', setup, inTransaction: true, sql: "ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ADD COLUMN note text;\nSELECT setval('s', 1);\nCOMMENT ON TABLE users IS 'x';" },
    { name: 'weaker locks hold nothing closed: CREATE INDEX takes SHARE', setup, inTransaction: true, sql: 'CREATE INDEX a ON users (email);\nCREATE INDEX b ON orders (user_id);' },
    { name: 'the locked table is new in the migration', setup, inTransaction: true, sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;\nSELECT count(*) FROM orders;' },
    { name: 'the locked table is new in the release', setup, earlierInRelease: 'CREATE TABLE t (id int);', inTransaction: true, sql: 'ALTER TABLE t ADD COLUMN x int;\nCREATE INDEX o ON orders (total);' },
    { name: 'an UPDATE of an existing table is backfill-with-ddl\'s', setup, inTransaction: true, sql: 'ALTER TABLE users ADD COLUMN nick text;\nUPDATE users SET nick = email;' },
    {
      name: "VALIDATE right after its own ADD … NOT VALID is constraint-without-not-valid's",
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT pos;',
    },
    {
      name: 'a statement that locks the same table ACCESS EXCLUSIVE itself gains nothing from the earlier lock',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE orders ADD COLUMN code text;\nALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);',
    },
    { name: 'constraints that check no rows', setup, inTransaction: true, sql: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;' },
    {
      name: 'type changes and SET NOT NULL that read no row',
      setup: setup + '\nALTER TABLE orders ADD COLUMN code varchar(10), ADD CONSTRAINT total_present CHECK (total IS NOT NULL);',
      inTransaction: true,
      sql: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ALTER COLUMN code TYPE varchar(20);\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;\nALTER TABLE orders ALTER COLUMN id SET NOT NULL;',
    },
    {
      name: 'timestamp to timestamptz in a UTC session, with a USING that restates the column (lemmy\'s fix-timezones)',
      setup: setup + '\nALTER TABLE orders ADD COLUMN placed timestamp;',
      inTransaction: true,
      sql: "SET timezone = 'UTC';\nALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ALTER COLUMN placed TYPE timestamptz USING placed;",
    },
    { name: 'a type the migrations never showed: nothing to claim', setup, inTransaction: true, sql: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE shipments ALTER COLUMN code TYPE text;' },
    { name: 'two scans in one ALTER TABLE: Postgres reads the table once', setup, inTransaction: true, sql: 'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL, ALTER COLUMN total SET NOT NULL;' },
    { name: 'a second scan after a quick ALTER of the same table: merged, it still reads once', setup, inTransaction: true, sql: 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;' },
    { name: 'each scan commits on its own', setup, sql: 'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;' },
  ],
  invalid: [
    {
      name: 'eugene E4: a query over a table after the lock',
      setup,
      inTransaction: true,
      sql: "SET LOCAL lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nick text;\nSELECT count(*) FROM users;",
      findings: [{ messageId: 'heldDuring', line: 3, column: 1, endLine: 3, endColumn: 27 }],
    },
    {
      name: 'an index build on another table, in an explicit transaction',
      setup,
      sql: 'BEGIN;\nALTER TABLE users ADD COLUMN nick text;\n\nCREATE INDEX orders_user\n  ON orders (user_id);\nCOMMIT;',
      findings: [{ messageId: 'heldDuring', line: 4, column: 1, endLine: 5, endColumn: 22 }],
    },
    {
      name: 'every slow statement after it',
      setup,
      inTransaction: true,
      sql: 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE;\nREFRESH MATERIALIZED VIEW order_totals;\nALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0);\nCREATE TABLE archive (LIKE orders);\nINSERT INTO archive SELECT * FROM orders;',
      findings: [
        { messageId: 'heldDuring', line: 2, column: 1 },
        { messageId: 'heldDuring', line: 3, column: 1 },
        { messageId: 'heldDuring', line: 5, column: 1 },
      ],
    },
    {
      name: 'VALIDATE of a constraint added earlier, while another table is locked',
      setup: `${setup}\nALTER TABLE orders ADD CONSTRAINT pos CHECK (total > 0) NOT VALID;`,
      inTransaction: true,
      sql: 'TRUNCATE users;\nALTER TABLE orders VALIDATE CONSTRAINT pos;',
      findings: [{ messageId: 'heldDuring', line: 2, column: 1 }],
    },
    {
      name: 'the first lock on an existing table counts, after one on a new table',
      setup,
      inTransaction: true,
      sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;\nALTER TABLE orders DROP COLUMN total;\nCREATE TABLE copy AS SELECT * FROM users;',
      findings: [{ messageId: 'heldDuring', line: 4, column: 1 }],
    },
    {
      name: 'an index build on the locked table: it alone would let reads through',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE orders ADD COLUMN code text;\nCREATE INDEX orders_code ON orders (code);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users;',
      findings: [{ messageId: 'heldDuring', line: 2, column: 1 }, { messageId: 'heldDuring', line: 3, column: 1 }],
    },
    {
      // eugene's E10: a rewrite of one table while another stays locked.
      name: 'rewrites and scans of another table: a type change, SET NOT NULL, SET UNLOGGED, a type change with USING',
      setup,
      inTransaction: true,
      sql:
        'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\nALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\n' +
        'ALTER TABLE orders SET UNLOGGED;\nALTER TABLE orders ALTER COLUMN total TYPE bigint USING total + 1;',
      findings: [
        { messageId: 'heldDuring', line: 2, column: 1 },
        { messageId: 'heldDuring', line: 3, column: 1 },
        { messageId: 'heldDuring', line: 4, column: 1 },
        { messageId: 'heldDuring', line: 5, column: 1 },
      ],
    },
    {
      // eugene's W12; on PGlite the two statements scan orders twice, one ALTER TABLE with both once.
      name: 'a second scan of the same table in another ALTER TABLE of the transaction',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;',
      findings: [{ messageId: 'secondPass', line: 2, column: 1 }, { messageId: 'secondPass', line: 3, column: 1 }],
    },
    {
      name: 'timestamp to timestamptz in a session whose zone is not known to be UTC',
      setup: setup + '\nALTER TABLE orders ADD COLUMN placed timestamp;',
      inTransaction: true,
      sql: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ALTER COLUMN placed TYPE timestamptz;',
      findings: [{ messageId: 'heldDuring', line: 2, column: 1 }],
    },
  ],
})

it('says which earlier ALTER TABLE read the table already', () => {
  const [finding] = lintCase({ setup, inTransaction: true, sql: 'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;' }, [rule])
  expect(finding.message).toBe(
    'SET NOT NULL on orders.total (a scan of orders) reads every row of orders again: the ALTER TABLE of line 1 already did, in the same transaction and ' +
      'under the same ACCESS EXCLUSIVE lock. One ALTER TABLE with both commands makes Postgres read the table once.',
  )
})

it('says the type change rewrites the other table', () => {
  const [finding] = lintCase({ setup, inTransaction: true, sql: 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;' }, [rule])
  expect(finding.message).toMatch(/^ALTER COLUMN total TYPE \(a rewrite of orders\) runs while the ACCESS EXCLUSIVE lock that ALTER TABLE took on users \(line 1\)/)
})

it('names the lock, where it was taken and what runs under it', () => {
  const [finding] = lintCase({ setup, inTransaction: true, sql: 'ALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX o ON orders (user_id);' }, [rule])
  expect(finding.message).toBe(
    'CREATE INDEX on orders runs while the ACCESS EXCLUSIVE lock that ALTER TABLE took on users (line 1) is still held: ' +
      'nothing can read or write users until the transaction commits, however long this takes.',
  )
})
