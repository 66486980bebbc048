import { defineRule, type Report, type StatementContext } from '../src/engine/rule.js'
import { addedConstraints } from '../src/sql/statements.js'

/** From this major version on, a validated CHECK (col IS NOT NULL) spares SET NOT NULL its scan. */
const CHECK_PROVES_NOT_NULL_VERSION = 12

export default defineRule({
  id: 'add-primary-key-lock',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD PRIMARY KEY on an existing table builds its index (and checks NOT NULL) under ACCESS EXCLUSIVE.',
  docs: {
    why:
      'Adding a primary key builds a unique index and, for columns not yet NOT NULL, scans the table — all while ' +
      'holding an ACCESS EXCLUSIVE lock that blocks every read and write. Building the unique index CONCURRENTLY ' +
      'first and attaching it with USING INDEX takes the lock only for a moment, provided its columns are already ' +
      'NOT NULL: otherwise USING INDEX sets them NOT NULL and scans every row under that lock too.',
    setup: 'CREATE TABLE events (id bigint NOT NULL, payload text);',
    bad: 'ALTER TABLE events ADD PRIMARY KEY (id);',
    good: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_key;',
    fix: 'CREATE UNIQUE INDEX CONCURRENTLY … (outside a transaction), then ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX ….',
  },
  messages: {
    primaryKey: 'ADD PRIMARY KEY on {{table}} builds its index under an ACCESS EXCLUSIVE lock: reads and writes on {{table}} wait.',
    nullableIndexColumns:
      'ADD PRIMARY KEY USING INDEX {{index}} on {{table}} makes {{columns}} NOT NULL first, which scans every row of ' +
      '{{table}} under an ACCESS EXCLUSIVE lock: reads and writes on {{table}} wait.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    for (const { table, constraint } of addedConstraints(ctx.statement.ast)) {
      if (constraint.contype !== 'CONSTR_PRIMARY' || !ctx.existedBeforeMigration(table)) continue
      if (!constraint.indexname) {
        reports.push({
          messageId: 'primaryKey',
          data: { table },
          table,
          help: `CREATE UNIQUE INDEX CONCURRENTLY ${table}_pkey_idx ON ${table} (…); then ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY USING INDEX ${table}_pkey_idx;`,
        })
        continue
      }
      const nullable = nullableColumns(ctx, table, constraint.indexname)
      if (!nullable.length) continue
      const column = nullable[0]
      reports.push({
        messageId: 'nullableIndexColumns',
        data: { index: constraint.indexname, table, columns: nullable.join(', ') },
        table,
        help:
          `First prove the columns NOT NULL without a long lock: ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_not_null ` +
          `CHECK (${column} IS NOT NULL) NOT VALID; then, in a later transaction, VALIDATE CONSTRAINT and ALTER COLUMN ${column} SET NOT NULL ` +
          '(Postgres 12+ reads the check instead of the rows); attach the index after that.',
      })
    }
    return reports
  },
})

/** The index's columns that may hold NULL: neither NOT NULL nor proven by a validated CHECK. Unknown index or column: none. */
function nullableColumns(ctx: StatementContext, table: string, index: string): string[] {
  const known = ctx.schema.indexes.get(index)
  if (!known || known.table !== table) return []
  const constraints = ctx.schema.table(table)?.constraints ?? []
  const proven = (column: string) =>
    ctx.config.postgresVersion >= CHECK_PROVES_NOT_NULL_VERSION &&
    constraints.some(c => c.kind === 'check' && c.validated && c.notNullColumns?.includes(column))
  return known.columns.filter(column => ctx.schema.column(table, column)?.nullable === true && !proven(column))
}
