import { defineRule } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'

export default defineRule({
  id: 'create-index-non-concurrently',
  category: 'locking',
  severity: 'warning',
  summary: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds.',
  docs: {
    why:
      'A plain CREATE INDEX takes a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE ' +
      'waits, for minutes on a large table. CONCURRENTLY builds the index without blocking writes.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'CREATE INDEX users_email_idx ON users (email);',
    good: 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    fix: 'Use CREATE INDEX CONCURRENTLY, in a migration that does not run inside a transaction.',
  },
  messages: {
    plain: 'CREATE INDEX {{index}} on {{table}} without CONCURRENTLY blocks writes to {{table}} while the index builds.',
  },
  statementKinds: ['IndexStmt'],
  statement(ctx) {
    const index = nodeAs(ctx.statement.ast, 'IndexStmt')
    if (!index || index.concurrent) return []
    const table = relationName(index.relation)
    if (!ctx.existedBeforeMigration(table)) return []
    const help = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${index.idxname ?? ''} ON ${table} …, outside a transaction.`.replace('  ', ' ')
    const kyselyHelp =
      `db.schema.createIndex() cannot say CONCURRENTLY: write await sql\`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${index.idxname ?? '<name>'} ON ${table} (…)\`.execute(db) ` +
      "in a migration of its own that runs without a transaction (Kysely's Migrator runs each migration in one unless disableTransactions is set)."
    return [{ messageId: 'plain', data: { index: index.idxname ?? '(unnamed)', table }, table, help, kyselyHelp }]
  },
})
