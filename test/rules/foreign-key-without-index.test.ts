import rule from '../../rules/foreign-key-without-index.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, shop_id bigint);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;' },
    { name: 'an index created later in the same migration', setup, sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;\nCREATE INDEX CONCURRENTLY i ON orders (user_id, id);' },
    { name: 'the primary key leads with the column', sql: 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE memberships (user_id bigint REFERENCES users, team_id bigint, PRIMARY KEY (user_id, team_id));' },
  ],
  invalid: [
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
