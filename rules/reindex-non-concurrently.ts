import { defineRule } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'
import { optionEnabled } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'reindex-non-concurrently',
  category: 'locking',
  severity: 'warning',
  summary: 'REINDEX without CONCURRENTLY blocks writes to the table (and reads through the index) while it rebuilds.',
  docs: {
    why:
      'A plain REINDEX takes a SHARE lock on the table, so every INSERT, UPDATE and DELETE waits for the whole rebuild, ' +
      'and an ACCESS EXCLUSIVE lock on the index, so queries that would use it wait too. REINDEX CONCURRENTLY ' +
      '(Postgres 12+) rebuilds without blocking writes. REINDEX SYSTEM is another matter: it rebuilds the indexes ' +
      'of the system catalogs, which cannot be rebuilt concurrently at all (Postgres refuses CONCURRENTLY there), ' +
      'and locks catalogs that every query of every session reads, shared ones across databases; it repairs a ' +
      'corrupted catalog and has no place in a migration.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);',
    bad: 'REINDEX INDEX users_email_idx;',
    good: 'REINDEX INDEX CONCURRENTLY users_email_idx;',
    fix: 'Use REINDEX … CONCURRENTLY (Postgres 12+), in a migration that does not run inside a transaction.',
  },
  messages: {
    plain: 'REINDEX {{what}} without CONCURRENTLY blocks writes to {{table}} while it rebuilds.',
    system:
      'REINDEX SYSTEM rebuilds the system catalogs\' indexes, which Postgres cannot rebuild concurrently: while it runs, ' +
      'every query that needs a catalog waits, in every database for the shared catalogs.',
  },
  statementKinds: ['ReindexStmt'],
  statement(ctx) {
    const reindex = nodeAs(ctx.statement.ast, 'ReindexStmt')
    if (!reindex) return []
    // With CONCURRENTLY too: Postgres refuses it for the catalogs ("cannot reindex system catalogs concurrently").
    if (reindex.kind === 'REINDEX_OBJECT_SYSTEM') {
      return [{ messageId: 'system', help: 'Leave it out of the migration: run it by hand, in a maintenance window, when a catalog index is known to be corrupt.' }]
    }
    if (optionEnabled(reindex.params, 'concurrently')) return []
    if (reindex.kind === 'REINDEX_OBJECT_INDEX') {
      const index = reindex.relation?.relname ?? '?'
      const table = ctx.schema.indexes.get(index)?.table
      return [{ messageId: 'plain', data: { what: `INDEX ${index}`, table: table ?? 'its table' }, table }]
    }
    if (reindex.kind === 'REINDEX_OBJECT_TABLE') {
      const table = relationName(reindex.relation)
      return [{ messageId: 'plain', data: { what: `TABLE ${table}`, table }, table }]
    }
    const name = reindex.name ?? ''
    return [{ messageId: 'plain', data: { what: `${String(reindex.kind).replace('REINDEX_OBJECT_', '')} ${name}`.trim(), table: 'every table it covers' } }]
  },
})
