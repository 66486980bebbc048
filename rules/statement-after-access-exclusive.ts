import type { Node } from '@pgsql/types'
import { defineRule, type Report, type StatementContext } from '../src/engine/rule.js'
import type { Statement } from '../src/model.js'
import type { AlterTableCmd } from '@pgsql/types'
import { kindOf, nodeAs, relationName } from '../src/sql/ast.js'
import { backfill, readsTable } from '../src/sql/backfills.js'
import { addedNotValidInTransaction } from '../src/sql/not-valid-constraints.js'
import { alterTableCommands } from '../src/sql/statements.js'
import { endsTransaction, namesMadeIn, tableLocks, type MadeNames, type TableLock } from '../src/sql/table-locks.js'
import { typeChangeKeepsRows } from './change-column-type.js'

export default defineRule({
  id: 'statement-after-access-exclusive',
  category: 'locking',
  severity: 'warning',
  summary: 'A statement that reads, scans or builds over many rows runs after an ACCESS EXCLUSIVE lock in the same transaction.',
  docs: {
    why:
      'A lock is held until its transaction ends. Once an ALTER TABLE (or DROP, TRUNCATE, LOCK …) has taken ACCESS ' +
      'EXCLUSIVE on a table, nothing can read or write that table until the commit, so every statement that runs ' +
      'after it in the same transaction is downtime for that table: a quick ALTER followed by a query over a big ' +
      'table, an index build or a constraint check keeps the table closed for all of it.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);',
    bad: 'BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX orders_user_id_idx ON orders (user_id);\nCOMMIT;',
    good:
      'BEGIN;\nCREATE INDEX orders_user_id_idx ON orders (user_id);\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;',
    fix:
      'Commit right after the statement that takes the ACCESS EXCLUSIVE lock: put it last in its transaction, or ' +
      'move the slow statements to a migration of their own.',
  },
  messages: {
    heldDuring:
      '{{what}} runs while the ACCESS EXCLUSIVE lock that {{operation}} took on {{table}} (line {{line}}) is still held: ' +
      'nothing can read or write {{table}} until the transaction commits, however long this takes.',
    secondPass:
      '{{what}} reads every row of {{table}} again: the ALTER TABLE of line {{line}} already did, in the same transaction and ' +
      'under the same ACCESS EXCLUSIVE lock. One ALTER TABLE with both commands makes Postgres read the table once.',
  },
  statementKinds: [
    'SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'CreateTableAsStmt', 'RefreshMatViewStmt', 'IndexStmt',
    'AlterTableStmt', 'ClusterStmt', 'ReindexStmt',
  ],
  statement(ctx) {
    if (!ctx.statement.inTransaction) return []
    // Most statements do nothing slow: they never pay for the pass over the migration.
    const what = slowWork(ctx)
    if (!what) return []
    const held = heldLocks(ctx.migration.up)[ctx.index]
    if (!held?.count) return []
    // A table the statement itself locks ACCESS EXCLUSIVE is closed while it runs anyway: the earlier lock adds nothing there.
    const ownLocks = new Set(accessExclusive(ctx.statement.ast).map(l => l.table))
    const holder = held.holders
      .slice(0, held.count)
      .find(h => h.lock.table !== null && !ownLocks.has(h.lock.table) && ctx.existedBeforeRelease(h.lock.table))
    if (!holder) return secondPass(ctx, held)
    const table = holder.lock.table!
    return [{
      messageId: 'heldDuring',
      data: { what, operation: holder.lock.operation, table, line: holder.line },
      table,
      help: `Commit right after line ${holder.line} (put that statement last in its transaction), or move this statement to a migration of its own.`,
    }]
  },
})

/**
 * eugene's W12: an ALTER TABLE that reads every row of a table another ALTER TABLE of the same transaction
 * already read. Postgres checks all the commands of one ALTER TABLE in one pass (PGlite: two SET NOT NULL
 * statements scan the table twice, one statement with both commands once), while the lock is held throughout.
 */
function secondPass(ctx: StatementContext, held: Held): Report[] {
  for (const { table, cmd } of alterTableCommands(ctx.statement.ast)) {
    if (!ctx.existedBeforeRelease(table)) continue
    const what = passOverRows(ctx, table, cmd)
    if (!what) continue
    const earlier = held.holders.slice(0, held.count).find(h => h.lock.table === table && readEveryRow(ctx, h.line, table))
    if (!earlier) continue
    return [{
      messageId: 'secondPass',
      data: { what, table, line: earlier.line },
      table,
      help: `Move this command into the ALTER TABLE ${table} of line ${earlier.line}, separated by a comma.`,
    }]
  }
  return []
}

/**
 * Whether the ALTER TABLE at `line` read every row of `table`: SET NOT NULL with no validated CHECK to read
 * instead, SET LOGGED / UNLOGGED. Its type changes are left out: what the column was before it is no longer known.
 */
function readEveryRow(ctx: StatementContext, line: number, table: string): boolean {
  const statement = ctx.migration.up.find(s => s.loc.line === line)
  return alterTableCommands(statement?.ast ?? null).some(({ table: t, cmd }) =>
    t === table && (cmd.subtype === 'AT_SetLogged' || cmd.subtype === 'AT_SetUnLogged' || (cmd.subtype === 'AT_SetNotNull' && !notNullProven(ctx, table, cmd.name ?? ''))))
}

function notNullProven(ctx: StatementContext, table: string, column: string): boolean {
  return Boolean(ctx.schema.table(table)?.constraints.some(c => c.kind === 'check' && c.validated && c.notNullColumns?.includes(column)))
}

interface Holder {
  line: number
  lock: TableLock
}

/**
 * What the statement does that takes long on a large table, as messages name it; null for the quick
 * ones. UPDATE, DELETE and INSERT … SELECT into an existing table are backfill-with-ddl's.
 */
function slowWork(ctx: StatementContext): string | null {
  const ast = ctx.statement.ast
  const dml = backfill(ast)
  if (dml) return ctx.existedBeforeRelease(dml.table) ? null : `${dml.verb} ${dml.verb === 'INSERT … SELECT' ? 'into' : 'of'} ${dml.table}`
  const select = nodeAs(ast, 'SelectStmt')
  if (select) return readsTable(select) ? 'A SELECT that reads tables' : null
  const createAs = nodeAs(ast, 'CreateTableAsStmt')
  if (createAs) {
    const query = nodeAs(createAs.query, 'SelectStmt')
    return query && readsTable(query) ? `CREATE ${createAs.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE'} … AS SELECT` : null
  }
  if (kindOf(ast) === 'RefreshMatViewStmt') return 'REFRESH MATERIALIZED VIEW'
  if (kindOf(ast) === 'ClusterStmt') return 'CLUSTER'
  if (kindOf(ast) === 'ReindexStmt') return 'REINDEX'
  const index = nodeAs(ast, 'IndexStmt')
  if (index) return ctx.existedBeforeRelease(relationName(index.relation)) ? `CREATE INDEX on ${relationName(index.relation)}` : null
  for (const { table, cmd } of alterTableCommands(ast)) {
    if (!ctx.existedBeforeRelease(table)) continue
    if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
      // Its own ADD … NOT VALID in this transaction is constraint-without-not-valid's finding.
      if (!addedNotValidInTransaction(ctx.migration.up, ctx.index, table, cmd.name)) return `VALIDATE CONSTRAINT ${cmd.name} on ${table}`
    }
    const constraint = cmd.subtype === 'AT_AddConstraint' ? nodeAs(cmd.def, 'Constraint') : undefined
    if (constraint && checksRows(constraint.contype, Boolean(constraint.skip_validation), Boolean(constraint.indexname))) {
      return `ADD CONSTRAINT on ${table}, which checks every row`
    }
    const pass = passOverRows(ctx, table, cmd)
    if (pass) return pass
  }
  return null
}

/**
 * ALTER TABLE commands that read every row of the table (eugene's E10: a rewrite while another table stays
 * locked): a type change Postgres cannot make in place, SET NOT NULL without a validated CHECK to read
 * instead, SET LOGGED / UNLOGGED. Their own lock on this table is theirs to report; the one held on
 * another table meanwhile is this rule's.
 */
function passOverRows(ctx: StatementContext, table: string, cmd: AlterTableCmd): string | null {
  const column = cmd.name ?? ''
  if (cmd.subtype === 'AT_AlterColumnType') {
    const def = nodeAs(cmd.def, 'ColumnDef')
    const from = ctx.schema.column(table, column)?.type
    // An old type the migrations never showed: nothing to claim.
    if (def && from && !typeChangeKeepsRows(ctx, column, from, def)) return `ALTER COLUMN ${column} TYPE (a rewrite of ${table})`
  }
  if (cmd.subtype === 'AT_SetNotNull' && ctx.schema.column(table, column)?.nullable !== false && !notNullProven(ctx, table, column)) {
    return `SET NOT NULL on ${table}.${column} (a scan of ${table})`
  }
  if (cmd.subtype === 'AT_SetLogged' || cmd.subtype === 'AT_SetUnLogged') return `SET ${cmd.subtype === 'AT_SetLogged' ? 'LOGGED' : 'UNLOGGED'} (a rewrite of ${table})`
  return null
}

function checksRows(contype: string | undefined, notValid: boolean, usingIndex: boolean): boolean {
  if (contype === 'CONSTR_CHECK' || contype === 'CONSTR_FOREIGN') return !notValid
  if (contype === 'CONSTR_UNIQUE' || contype === 'CONSTR_PRIMARY') return !usingIndex
  return contype === 'CONSTR_EXCLUSION'
}

/**
 * `result[j]`: the statements before `j` in its transaction that took ACCESS EXCLUSIVE on a table the
 * migration did not make itself, first one first. One pass, kept for the last migration asked about.
 */
let last: { up: readonly Statement[]; held: (Held | null)[] } | null = null

/** The first `count` of the transaction's holders (the list grows as its statements go on). */
interface Held {
  holders: readonly Holder[]
  count: number
}

function heldLocks(up: readonly Statement[]): (Held | null)[] {
  if (last?.up === up && last.held.length === up.length) return last.held
  let made: MadeNames | null = null
  const held: (Held | null)[] = []
  let holders: Holder[] = []
  for (let j = 0; j < up.length; j++) {
    const statement = up[j]
    if (!statement.inTransaction) {
      held.push(null)
      holders = []
      continue
    }
    held.push({ holders, count: holders.length })
    const lock = accessExclusive(statement.ast)
    if (lock.length) {
      made ??= namesMadeIn(up)
      for (const l of lock) if (l.table !== null && !made.hasTable(j, l.table)) holders.push({ line: statement.loc.line, lock: l })
    }
    if (endsTransaction(statement.ast)) holders = []
  }
  last = { up, held }
  return held
}

function accessExclusive(ast: Node | null): TableLock[] {
  return tableLocks(ast, () => undefined).filter(l => l.blocks === 'reads and writes')
}
