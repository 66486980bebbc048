import { defineRule } from '../src/engine/rule.js'
import { addedConstraints } from '../src/sql/statements.js'

export default defineRule({
  id: 'add-primary-key-lock',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD PRIMARY KEY on an existing table builds its index (and checks NOT NULL) under ACCESS EXCLUSIVE.',
  docs: {
    why:
      'Adding a primary key builds a unique index and, for columns not yet NOT NULL, scans the table — all while ' +
      'holding an ACCESS EXCLUSIVE lock that blocks every read and write. Building the unique index CONCURRENTLY ' +
      'first and attaching it with USING INDEX takes the lock only for a moment.',
    setup: 'CREATE TABLE events (id bigint NOT NULL, payload text);',
    bad: 'ALTER TABLE events ADD PRIMARY KEY (id);',
    good: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_key;',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY … (outside a transaction), then ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX ….',
  },
  messages: {
    primaryKey: 'ADD PRIMARY KEY on {{table}} builds its index under an ACCESS EXCLUSIVE lock: reads and writes on {{table}} wait.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return addedConstraints(ctx.statement.ast)
      .filter(({ constraint }) => constraint.contype === 'CONSTR_PRIMARY' && !constraint.indexname)
      .filter(({ table }) => ctx.existedBeforeMigration(table))
      .map(({ table }) => ({
        messageId: 'primaryKey',
        data: { table },
        table,
        help: `CREATE UNIQUE INDEX CONCURRENTLY ${table}_pkey_idx ON ${table} (…); then ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY USING INDEX ${table}_pkey_idx;`,
      }))
  },
})
