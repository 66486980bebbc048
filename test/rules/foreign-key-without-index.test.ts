import { beforeAll, describe, expect, it } from 'vitest'
import rule from '../../rules/foreign-key-without-index.js'
import { lintMigrations, type ReleaseMode } from '../../src/engine/lint.js'
import type { Migration } from '../../src/model.js'
import { loadParser } from '../../src/parse/sql.js'
import { migrationFromText, runRule } from '../rule-tester.js'

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
    {
      name: 'the index comes in a later migration of the same release (eugene E15)',
      setup,
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      laterInRelease: 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id, id);',
    },
  ],
  invalid: [
    {
      name: 'a unique index that has the key columns, but not first',
      setup: `${setup}\nCREATE UNIQUE INDEX orders_shop_user_key ON orders (shop_id, user_id);`,
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      findings: [{ messageId: 'unindexed', line: 1, column: 1 }],
    },
    {
      name: 'a later migration of the release indexes another column',
      setup,
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      laterInRelease: 'CREATE INDEX CONCURRENTLY orders_shop_user ON orders (shop_id, user_id);',
      findings: [{ messageId: 'unindexed', line: 1, column: 1 }],
    },
    {
      name: 'a later migration of the release creates the index and drops it again',
      setup,
      sql: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
      laterInRelease: 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\nDROP INDEX CONCURRENTLY orders_user_id_idx;',
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

describe('the foreign key is settled against the schema its own release leaves, not a later one', () => {
  beforeAll(() => loadParser())
  const fk = 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;'
  const index = 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);'
  const shipped = () => ({ ...migrationFromText('migrations/001_setup.sql', setup, 0), inRelease: false })
  const found = (migrations: Migration[], mode: ReleaseMode) =>
    lintMigrations(migrations, { rules: [rule], config: { postgresVersion: 15, tables: {} }, mode }).findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)

  it('per migration (no history), each migration is its own release: the next one\'s index does not silence it', () => {
    const migrations = [shipped(), migrationFromText('migrations/002_fk.sql', fk, 1), migrationFromText('migrations/003_index.sql', index, 2)]
    expect(found(migrations, 'per-migration')).toEqual(['foreign-key-without-index migrations/002_fk.sql:1'])
  })

  it('in release mode, the index of a migration outside the release does not silence it', () => {
    const outside = { ...migrationFromText('migrations/003_index.sql', index, 2), inRelease: false }
    expect(found([shipped(), migrationFromText('migrations/002_fk.sql', fk, 1), outside], 'release')).toEqual(['foreign-key-without-index migrations/002_fk.sql:1'])
  })

  it('in release mode, the index of a later migration of the release does', () => {
    expect(found([shipped(), migrationFromText('migrations/002_fk.sql', fk, 1), migrationFromText('migrations/003_index.sql', index, 2)], 'release')).toEqual([])
  })
})
