import rule from '../../rules/foreign-key-without-index.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, shop_id bigint);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;' },
    { name: 'an index created later in the same migration', setup, sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;\nCREATE INDEX CONCURRENTLY i ON orders (user_id, id);' },
    { name: 'the primary key leads with the column', sql: 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE memberships (user_id bigint REFERENCES users, team_id bigint, PRIMARY KEY (user_id, team_id));' },
    {
      name: 'a shipped unique constraint leads with the column',
      setup: `${setup}\nALTER TABLE orders ADD CONSTRAINT orders_user_shop UNIQUE (user_id, shop_id);`,
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
    },
    {
      name: 'a two-column key served by an index on the same columns in the other order',
      sql:
        'CREATE TABLE shops (id bigint, region int, PRIMARY KEY (id, region));\n' +
        'CREATE TABLE stock (shop_id bigint, region int, sku text, FOREIGN KEY (shop_id, region) REFERENCES shops);\n' +
        'CREATE UNIQUE INDEX stock_key ON stock (region, shop_id, sku);',
    },
    {
      name: 'a primary key made USING INDEX from a unique index that leads with the column',
      setup: `${setup}\nCREATE TABLE carts (user_id bigint NOT NULL, opened date);\nCREATE UNIQUE INDEX CONCURRENTLY carts_user_opened ON carts (user_id, opened);`,
      sql: 'ALTER TABLE carts ADD CONSTRAINT carts_pkey PRIMARY KEY USING INDEX carts_user_opened;\nALTER TABLE carts ADD CONSTRAINT carts_user_fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
    },
  ],
  invalid: [
    {
      name: 'a unique index that has the key columns, but not first',
      setup: `${setup}\nCREATE UNIQUE INDEX orders_shop_user_key ON orders (shop_id, user_id);`,
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      findings: [{ messageId: 'unindexed', line: 1, column: 1 }],
    },
    { setup, sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;', findings: [{ messageId: 'unindexed', line: 1, column: 1 }] },
    {
      name: 'an index that does not lead with the column',
      setup: `${setup}\nCREATE INDEX orders_shop_user ON orders (shop_id, user_id);`,
      sql: 'SELECT 1;\nALTER TABLE orders ADD COLUMN x int, ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      findings: [{ messageId: 'unindexed', line: 2, column: 1 }],
    },
    {
      name: 'inline REFERENCES in CREATE TABLE',
      sql: 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES users (id)\n);',
      findings: [{ messageId: 'unindexed', line: 2, column: 1, endLine: 5, endColumn: 2 }],
    },
  ],
})
