import type { StatementContext } from '../src/engine/rule.js'
import { defineRule } from '../src/engine/rule.js'
import type { Statement } from '../src/model.js'
import { isDdl } from '../src/sql/statements.js'
import { namesMadeIn, tableLocks, type TableLock } from '../src/sql/table-locks.js'
import { transactionAround } from '../src/sql/transactions.js'
import { backfill, type Backfill } from '../src/sql/backfills.js'
import { isSystemCatalog } from '../src/sql/system-catalog.js'

export default defineRule({
  id: 'backfill-with-ddl',
  category: 'locking',
  severity: 'warning',
  summary: 'UPDATE, DELETE or INSERT … SELECT on an existing table in the same migration as DDL on an existing table.',
  docs: {
    why:
      'A migration that changes the schema and rewrites data at once holds the worst of both: in a transaction, ' +
      'the locks the DDL took (ACCESS EXCLUSIVE for most ALTER TABLEs) stay held until the whole backfill ' +
      'commits, so every query on the table waits for as long as the backfill runs, minutes on a large table. ' +
      'Outside a transaction, a backfill that fails part-way leaves the schema change applied and the migration ' +
      'unrecorded, and re-running it trips over what already ran.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'ALTER TABLE users ADD COLUMN email_lower text;\nUPDATE users SET email_lower = lower(email);',
    good:
      'ALTER TABLE users ADD COLUMN email_lower text;\n' +
      '-- The backfill is a migration of its own, run outside a transaction, one batch at a time:\n' +
      '-- UPDATE users SET email_lower = lower(email) WHERE id >= 1 AND id < 10001;',
    fix:
      'Move the backfill to a migration of its own, run it outside a transaction, and update in batches ' +
      '(by primary key ranges), committing each batch.',
  },
  messages: {
    locksHeld:
      '{{dml}} on {{table}} runs in the same transaction as {{ddl}} on {{ddlTable}} (line {{line}}): ' +
      'the lock the DDL took on {{ddlTable}} stays held until the whole backfill commits.',
    rowsHeld:
      '{{dml}} on {{table}} runs in the same transaction as the later {{ddl}} on {{ddlTable}} (line {{line}}): ' +
      'every row the backfill changed stays locked while the DDL waits for its lock, until the transaction commits.',
    mixed:
      '{{dml}} on {{table}} shares a migration but not a transaction with {{ddl}} on {{ddlTable}} (line {{line}}): ' +
      'a failure part-way leaves the migration half-applied, and a re-run repeats or trips over what already ran.',
  },
  statementKinds: ['UpdateStmt', 'DeleteStmt', 'InsertStmt'],
  statement(ctx) {
    const dml = backfill(ctx.statement.ast)
    // A write to pg_index & co. rewrites no user rows: system-catalog-write says what it is.
    if (!dml || isSystemCatalog(dml.table, ctx.schema) || !ctx.existedBeforeRelease(dml.table)) return []
    const ddl = ddlPartner(ctx)
    if (!ddl) return []
    return [{
      messageId: ddl.messageId,
      data: { dml: dml.verb, table: dml.table, ddl: ddl.lock.operation, ddlTable: ddl.lock.target, line: ddl.statement.loc.line },
      table: dml.table,
      help: batchedHelp(ctx, dml),
    }]
  },
})

interface DdlPartner {
  messageId: 'locksHeld' | 'rowsHeld' | 'mixed'
  statement: Statement
  lock: TableLock
}

/**
 * The DDL statement the finding names, preferring the one that hurts most: an earlier one in the same
 * transaction (its locks outlive the backfill), then a later one in it, then any.
 */
function ddlPartner(ctx: StatementContext): DdlPartner | null {
  const statements = ctx.migration.up
  const made = namesMadeIn(statements)
  // Only tables the migration itself made before the DDL are new to it; any other (and a table the
  // model cannot name) existed before the migration.
  const ddlLock = (j: number): TableLock | undefined => {
    const ast = statements[j].ast
    if (j === ctx.index || !isDdl(ast)) return undefined
    const indexTable = (index: string) => made.indexTable(j, index) ?? ctx.schema.indexes.get(index)?.table
    return tableLocks(ast, indexTable).find(l => l.table === null || !made.hasTable(j, l.table))
  }
  const first = (from: number, to: number, messageId: DdlPartner['messageId']): DdlPartner | null => {
    for (let j = from; j <= to; j++) {
      const lock = ddlLock(j)
      if (lock) return { messageId, statement: statements[j], lock }
    }
    return null
  }
  const { start, end } = transactionAround(statements, ctx.index)
  return (
    first(start, ctx.index - 1, 'locksHeld') ??
    first(ctx.index + 1, end, 'rowsHeld') ??
    first(0, statements.length - 1, 'mixed')
  )
}

const BATCH_VERB: Record<Backfill['verb'], string> = { UPDATE: 'update', DELETE: 'delete', 'INSERT … SELECT': 'copy' }

function batchedHelp(ctx: StatementContext, dml: Backfill): string {
  const key = ctx.schema.table(dml.table)?.constraints.find(c => c.kind === 'primary-key')?.columns
  const range =
    dml.verb !== 'INSERT … SELECT' && key?.length === 1 ? ` (… WHERE ${key[0]} >= :start AND ${key[0]} < :start + 10000)` : ''
  return (
    `Move the ${dml.verb} on ${dml.table} to a migration of its own, run it outside a transaction, ` +
    `and ${BATCH_VERB[dml.verb]} in batches by primary key range${range}, committing each batch.`
  )
}
