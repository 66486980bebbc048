import { expect, it } from 'vitest'
import rule from '../../rules/constraint-without-not-valid.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total int);'

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;' },
    { setup, sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;' },
    { setup, sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;' },
    { name: 'other constraint kinds', setup, sql: 'ALTER TABLE orders ADD CONSTRAINT orders_total_key UNIQUE (total);' },
    { name: 'inline FK on a new column without default: Postgres skips the check', setup, sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int, n int);\nALTER TABLE t ADD CONSTRAINT t_n CHECK (n > 0);' },
    {
      name: 'VALIDATE after a COMMIT: the lock of the ADD is gone',
      setup,
      sql: 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
    },
    {
      name: 'VALIDATE in autocommit right after the ADD: two transactions',
      setup,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
    },
    {
      name: 'VALIDATE of another constraint in the same transaction',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE orders ADD CONSTRAINT a CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT b;',
    },
    {
      name: 'inline REFERENCES without default as the last statement of its transaction',
      setup,
      sql: 'BEGIN;\nSET LOCAL lock_timeout = \'5s\';\nALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users;\nCOMMIT;\nUPDATE orders SET total = 0;',
    },
    {
      name: 'table created earlier in the release',
      setup,
      earlierInRelease: 'CREATE TABLE items (id bigint, order_id bigint);',
      sql: 'ALTER TABLE items ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);',
    },
    {
      // Issue 15 (lemmy move_blocklist_to_db:31): nobody else can see, so nobody waits for, an uncommitted table.
      name: 'inline REFERENCES without default to a table created earlier in the same transaction, more work after it',
      setup,
      inTransaction: true,
      sql: 'CREATE TABLE shops (id bigint PRIMARY KEY);\nALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops;\nCREATE INDEX orders_shop_id_idx ON orders (shop_id);',
    },
    {
      name: 'inline REFERENCES without default to a table created earlier in the release, more work after it',
      setup,
      earlierInRelease: 'CREATE TABLE shops (id bigint PRIMARY KEY);',
      sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops;\nUPDATE orders SET total = 0;\nCOMMIT;',
    },
  ],
  invalid: [
    {
      setup,
      sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
      findings: [{ messageId: 'foreignKey', line: 1, column: 1, endLine: 1, endColumn: 93 }],
    },
    {
      name: 'CHECK, multi-line at a later line',
      setup,
      sql: 'SELECT 1;\n\n  ALTER TABLE orders\n    ADD CONSTRAINT orders_total_positive CHECK (total > 0);',
      findings: [{ messageId: 'check', line: 3, column: 3, endLine: 4, endColumn: 59 }],
    },
    {
      name: 'schema-qualified, IF EXISTS, unnamed',
      setup,
      sql: 'ALTER TABLE IF EXISTS public.orders ADD FOREIGN KEY (user_id) REFERENCES public.users;',
      findings: [{ messageId: 'foreignKey', line: 1, column: 1 }],
    },
    {
      name: 'table unknown to the migrations',
      sql: 'ALTER TABLE legacy ADD CONSTRAINT legacy_n CHECK (n > 0);',
      findings: [{ messageId: 'check', line: 1, column: 1 }],
    },
    {
      name: 'inline FK on a column with a default is checked row by row',
      setup,
      sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint DEFAULT 1 REFERENCES users;',
      findings: [{ messageId: 'columnForeignKey', line: 1, column: 1 }],
    },
    {
      name: 'inline CHECK scans the table',
      setup,
      sql: 'ALTER TABLE orders ADD COLUMN discount int CHECK (discount >= 0);',
      findings: [{ messageId: 'columnCheck', line: 1, column: 1 }],
    },
    {
      name: 'VALIDATE in the same transaction as ADD … NOT VALID',
      setup,
      sql: 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\nCOMMIT;',
      findings: [{ messageId: 'validatedInTransaction', line: 3, column: 1 }],
    },
    {
      name: 'VALIDATE of an unnamed foreign key, in the runner\'s transaction',
      setup,
      inTransaction: true,
      sql: 'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users NOT VALID;\nSELECT 1;\n\nALTER TABLE orders\n  VALIDATE CONSTRAINT orders_user_id_fkey;',
      findings: [{ messageId: 'validatedInTransaction', line: 4, column: 1 }],
    },
    {
      name: 'inline REFERENCES without default, with more work after it in the transaction',
      setup,
      sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users;\nUPDATE orders SET buyer_id = user_id;\nCOMMIT;',
      findings: [{ messageId: 'columnForeignKeyHeld', line: 2, column: 1 }],
    },
    {
      name: 'inline REFERENCES without default to an existing table, next to a new one in the same transaction',
      setup,
      inTransaction: true,
      sql: 'CREATE TABLE shops (id bigint PRIMARY KEY);\nALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops, ADD COLUMN buyer_id bigint REFERENCES users;\nCREATE INDEX orders_shop_id_idx ON orders (shop_id);',
      findings: [{ messageId: 'columnForeignKeyHeld', line: 2, column: 1 }],
    },
    {
      // The referenced table is new, but the existing rows of orders are still checked under the lock (PGlite: seq_scan +1).
      name: 'ADD FOREIGN KEY on an existing table to a table created in the same migration',
      setup,
      inTransaction: true,
      sql: 'CREATE TABLE shops (id bigint PRIMARY KEY);\nALTER TABLE orders ADD CONSTRAINT orders_shop_fk FOREIGN KEY (total) REFERENCES shops (id);',
      findings: [{ messageId: 'foreignKey', line: 2, column: 1 }],
    },
    {
      name: 'inline REFERENCES with a default to a table created in the same migration: the rows are checked',
      setup,
      sql: 'CREATE TABLE shops (id bigint PRIMARY KEY);\nINSERT INTO shops VALUES (1);\nALTER TABLE orders ADD COLUMN shop_id bigint DEFAULT 1 REFERENCES shops;',
      findings: [{ messageId: 'columnForeignKey', line: 3, column: 1 }],
    },
    {
      name: 'several commands',
      setup,
      sql: 'ALTER TABLE orders ADD COLUMN note text, ADD CONSTRAINT orders_total_positive CHECK (total > 0), ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      findings: [{ messageId: 'check', line: 1, column: 1 }],
    },
  ],
})

const help = (sql: string) => lintCase({ setup, sql }, [rule])[0]?.help

it('reuses the statement for the NOT VALID step and validates by name', () => {
  expect(help('ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);')).toBe(
    'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n' +
      '-- then, in a separate migration:\n' +
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
  )
})

it('validates an unnamed constraint by the name Postgres gives it', () => {
  expect(help('ALTER TABLE orders ADD CHECK (total > 0);')).toContain('VALIDATE CONSTRAINT orders_total_check;  -- the name Postgres gives it')
  expect(help('ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;')).toContain('VALIDATE CONSTRAINT orders_user_id_fkey;')
})

it('puts NOT VALID after a trailing line comment on its own line', () => {
  expect(help('ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) -- positive\n;')).toMatch(/-- positive\nNOT VALID;/)
})

it('renders the foreign key when the statement does more than add it', () => {
  expect(help('ALTER TABLE orders ADD COLUMN buyer_id bigint DEFAULT 1 REFERENCES users ON DELETE SET NULL;')).toContain(
    'ALTER TABLE orders ADD CONSTRAINT orders_buyer_id_fkey FOREIGN KEY (buyer_id) REFERENCES users ON DELETE SET NULL NOT VALID;',
  )
})

it('names both tables of a foreign key', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);' }, [rule])
  expect(finding.message).toBe(
    'ADD CONSTRAINT orders_user_fk FOREIGN KEY on orders without NOT VALID checks every existing row of orders while blocking writes to orders and users.',
  )
})

it('says which lock VALIDATE keeps held and where the ADD was', () => {
  const [finding] = lintCase({
    setup,
    inTransaction: true,
    sql: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
  }, [rule])
  expect(finding.message).toBe(
    'VALIDATE CONSTRAINT orders_user_fk on orders runs in the same transaction as its ADD … NOT VALID (line 1): the SHARE ROW ' +
      'EXCLUSIVE lock on orders and users (no writes to either) that ADD took is held through the whole scan, so NOT VALID gains nothing.',
  )
})

it('names the referenced table and the lines that run while its lock is held', () => {
  const [finding] = lintCase({ setup, inTransaction: true, sql: 'ALTER TABLE orders ADD COLUMN buyer_id bigint REFERENCES users;\nCREATE INDEX CONCURRENTLY x ON t (a);\nUPDATE orders SET total = 1;' }, [rule])
  expect(finding.message).toBe(
    'ADD COLUMN orders.buyer_id REFERENCES users takes a SHARE ROW EXCLUSIVE lock on users that its transaction holds until it commits: writes to users wait while lines 2–3 run.',
  )
})
