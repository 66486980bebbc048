import type { Node } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import type { LayoutName } from '../src/model.js'
import { listName, nodeAs, relationName, strings } from '../src/sql/ast.js'
import { alterTableCommands } from '../src/sql/statements.js'
import { optionEnabled } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'concurrently-in-transaction',
  category: 'locking',
  severity: 'error',
  summary: 'A CONCURRENTLY operation inside a transaction block: Postgres refuses it and the migration fails.',
  docs: {
    why:
      'CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY ' +
      'commit several transactions of their own, so Postgres refuses to run them inside a transaction block ' +
      '("cannot run inside a transaction block"). A migration runner that wraps the migration in a transaction ' +
      '(dbmate, diesel, Kysely by default), a runner that sends the file as one query with other statements ' +
      '(golang-migrate: Postgres runs them as one implicit transaction), or a BEGIN in the file, makes the deploy fail at this statement.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: '-- migrate:up\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    good: '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
    fix: 'Run the statement outside a transaction, in a migration of its own (dbmate: `-- migrate:up transaction:false`; diesel: `run_in_transaction = false` in metadata.toml; Kysely: a Migrator run with `disableTransactions: true`).',
  },
  messages: {
    runnerTransaction:
      '{{operation}} runs inside the transaction the migration runner opens: Postgres refuses it ("{{command}} cannot run inside a transaction block") and the migration fails.',
    oneQuery:
      '{{operation}} is sent in one query with the other statements of its file: Postgres runs them as one implicit transaction, refuses it ("{{command}} cannot run inside a transaction block") and the migration fails.',
    explicitTransaction:
      '{{operation}} runs inside the BEGIN … COMMIT block of the migration: Postgres refuses it ("{{command}} cannot run inside a transaction block") and the migration fails.',
  },
  statementKinds: ['IndexStmt', 'DropStmt', 'ReindexStmt', 'AlterTableStmt'],
  statement(ctx) {
    if (!ctx.statement.inTransaction) return []
    const concurrent = concurrentOperation(ctx.statement.ast)
    if (!concurrent) return []
    // No `table`: the statement fails even on a table made in this release.
    if (!ctx.migration.transactional) {
      return [{
        messageId: 'explicitTransaction',
        data: { ...concurrent },
        help: 'Take the statement out of the BEGIN … COMMIT block and put it in a migration of its own: several statements sent as one query run in an implicit transaction too.',
      }]
    }
    const messageId = ctx.migration.implicitTransaction ? 'oneQuery' : 'runnerTransaction'
    return [{ messageId, data: { ...concurrent }, help: runnerHelp(ctx.migration.layout) }]
  },
})

interface ConcurrentOperation {
  /** The statement, with the object it works on. */
  operation: string
  /** How Postgres names it in its error message. */
  command: string
}

function concurrentOperation(ast: Node | null): ConcurrentOperation | null {
  const index = nodeAs(ast, 'IndexStmt')
  if (index?.concurrent) {
    const name = index.idxname ? ` ${index.idxname}` : ''
    return { operation: `CREATE INDEX CONCURRENTLY${name} on ${relationName(index.relation)}`, command: 'CREATE INDEX CONCURRENTLY' }
  }
  const drop = nodeAs(ast, 'DropStmt')
  if (drop?.removeType === 'OBJECT_INDEX' && drop.concurrent) {
    const names = (drop.objects ?? []).map(o => listName(strings(nodeAs(o, 'List')?.items)))
    return { operation: `DROP INDEX CONCURRENTLY ${names.join(', ')}`, command: 'DROP INDEX CONCURRENTLY' }
  }
  const reindex = nodeAs(ast, 'ReindexStmt')
  if (reindex && optionEnabled(reindex.params, 'concurrently')) {
    const target = reindex.relation ? relationName(reindex.relation) : (reindex.name ?? '')
    return { operation: `REINDEX CONCURRENTLY ${target}`.trim(), command: 'REINDEX CONCURRENTLY' }
  }
  for (const { table, cmd } of alterTableCommands(ast)) {
    const partition = nodeAs(cmd.def, 'PartitionCmd')
    if (cmd.subtype === 'AT_DetachPartition' && partition?.concurrent) {
      return {
        operation: `ALTER TABLE ${table} DETACH PARTITION ${relationName(partition.name)} CONCURRENTLY`,
        command: 'ALTER TABLE ... DETACH CONCURRENTLY',
      }
    }
  }
  return null
}

// Several statements sent as one query run in an implicit transaction, so "a migration of its own" matters
// as much as switching the runner's transaction off.
function runnerHelp(layout: LayoutName): string {
  switch (layout) {
    case 'golang-migrate':
      return 'Move the statement to a migration file of its own: golang-migrate sends each file as one query, and a statement alone in it runs outside any transaction.'
    case 'dbmate':
      return 'Move the statement to a migration of its own whose up section starts with `-- migrate:up transaction:false`.'
    case 'diesel':
      return 'Move the statement to a migration of its own, with `run_in_transaction = false` in its metadata.toml.'
    case 'kysely':
      return "Move the statement to a migration of its own and run it without a transaction: Kysely's Migrator wraps each run in one transaction unless given `disableTransactions: true` (Kysely 0.28+)."
    case 'flyway':
      return 'Move the statement to a script of its own, with `executeInTransaction=false` in a `<script>.sql.conf` beside it.'
    case 'drizzle':
      return "drizzle-orm's migrator runs all pending migrations in one transaction and cannot be told otherwise: run this statement outside `drizzle-kit migrate`."
    case 'supabase':
      return 'The Supabase CLI runs each file as one implicit transaction and takes only CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, CLUSTER and ALTER SYSTEM out of it: run this statement outside the migrations.'
    default:
      return 'Move the statement to a migration of its own that the runner does not wrap in a transaction.'
  }
}
