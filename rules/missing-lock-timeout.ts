import type { Node } from '@pgsql/types'
import type { StatementContext } from '../src/engine/rule.js'
import { defineRule } from '../src/engine/rule.js'
import type { Statement } from '../src/model.js'
import { nodeAs, strings, visit } from '../src/sql/ast.js'
import { backwards, endsTransaction, LOCKING_KINDS, namesMade, tableLocks, type MadeNames, type TableLock } from '../src/sql/table-locks.js'

export default defineRule({
  id: 'missing-lock-timeout',
  category: 'locking',
  severity: 'warning',
  summary: 'A migration locks an existing table against reads or writes without setting lock_timeout first.',
  docs: {
    why:
      'A statement that needs a strong lock (ALTER TABLE, CREATE INDEX, DROP TABLE …) waits behind any ' +
      'long-running query on the table, and while it waits, every other query on the table queues behind ' +
      'it: a one-millisecond ALTER turns into an outage as long as the slowest open transaction. With ' +
      'lock_timeout set, the statement gives up after a few seconds instead, and the migration can be retried.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: 'ALTER TABLE users ADD COLUMN nickname text;',
    good: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
    fix: "Start the migration with SET lock_timeout = '5s'; (SET LOCAL inside a transaction), and retry it when it times out.",
  },
  messages: {
    missing:
      '{{operation}} takes a lock that blocks {{blocks}} on {{target}}, and no lock_timeout is set before it: ' +
      'while it waits behind a long-running query, every other query on {{target}} queues behind it.',
    ineffective:
      '{{operation}} takes a lock that blocks {{blocks}} on {{target}}, and no lock_timeout is in effect ({{reason}}): ' +
      'while it waits behind a long-running query, every other query on {{target}} queues behind it.',
  },
  statementKinds: LOCKING_KINDS,
  statement(ctx) {
    // The schema stands at this statement: it answers for it directly, and cheaply, since most
    // statements of a long data migration lock nothing.
    const lock = tableLocks(ctx.statement.ast, index => ctx.schema.indexes.get(index)?.table)
      .find(l => l.blocks && (l.table === null || ctx.existedBeforeRelease(l.table)))
    if (!lock) return []
    const facts = migrationFacts(ctx.migration.up)
    const { timeouts, asts } = facts
    if (timeouts[ctx.index].active) return []
    const made = (facts.made ??= namesMade(asts))
    // Once per migration: an earlier statement that needed the timeout already carries the finding.
    for (const { index, laterName } of backwards(asts, ctx.index)) {
      if (!timeouts[index].active && blockingLock(ctx, asts, made, index, laterName)) return []
    }
    const reason = timeouts[ctx.index].reason
    const set = ctx.statement.inTransaction ? 'SET LOCAL' : 'SET'
    return [{
      messageId: reason ? 'ineffective' : 'missing',
      data: { operation: lock.operation, blocks: lock.blocks ?? '', target: lock.target, ...(reason ? { reason } : {}) },
      table: lock.table ?? undefined,
      help: `Start the migration with ${set} lock_timeout = '5s'; and retry it when it times out.`,
    }]
  },
})

interface MigrationFacts {
  timeouts: TimeoutState[]
  asts: (Node | null)[]
  /** Made when first needed: a statement with lock_timeout in effect asks nothing more. */
  made: MadeNames | null
}

/**
 * Each is one pass over the migration, which every locking statement of it would repeat. Kept for the
 * last migration asked about only: the engine runs a rule over a migration's statements in a row.
 */
let last: { up: readonly Statement[]; facts: MigrationFacts } | null = null

function migrationFacts(up: readonly Statement[]): MigrationFacts {
  if (last?.up !== up || last.facts.asts.length !== up.length) {
    // timeouts[j] depends on the statements before j only, so the whole migration answers for each.
    last = { up, facts: { timeouts: timeoutStates(up), asts: up.map(s => s.ast), made: null } }
  }
  return last.facts
}

/**
 * The first lock an earlier statement `j` takes that blocks reads or writes of a table there before
 * the release. The schema in `ctx` stands at a later statement: a table is looked up there by the
 * name it goes by then.
 */
function blockingLock(
  ctx: StatementContext,
  asts: readonly (Node | null)[],
  made: MadeNames,
  j: number,
  laterName: (table: string) => string | null,
): TableLock | undefined {
  const indexTable = (index: string) => made.indexTable(j, index) ?? ctx.schema.indexes.get(index)?.table
  return tableLocks(asts[j], indexTable).find(lock => {
    if (!lock.blocks) return false
    if (lock.table === null) return true
    if (made.hasTable(j, lock.table)) return false
    const now = laterName(lock.table)
    // Dropped since: unknown to the model now, so it counts as there before, like any unknown table.
    return now === null || ctx.existedBeforeRelease(now)
  })
}

interface Setting {
  on: boolean
  /** Why it is off, for the message. */
  why: string
}

interface TimeoutState {
  active: boolean
  /** Why an earlier SET does not count, when there was one. */
  reason: string | null
}

/** `result[j]`: whether lock_timeout is in effect when statement `j` runs. */
function timeoutStates(statements: readonly Statement[]): TimeoutState[] {
  const out: TimeoutState[] = []
  let session: Setting | null = null
  let local: (Setting & { line: number }) | null = null
  let lost: string | null = null
  for (const statement of statements) {
    const effective = local ?? session
    out.push({ active: effective?.on ?? false, reason: effective && !effective.on ? effective.why : lost })
    const line = statement.loc.line
    for (const change of timeoutChanges(statement.ast)) {
      const setting = { on: change.on, why: change.on ? '' : `line ${line} ${change.what}` }
      if (!change.local) {
        session = setting
        local = null
      } else if (statement.inTransaction) {
        local = { ...setting, line }
      } else {
        lost = `the SET LOCAL at line ${line} is outside a transaction, where it does nothing`
      }
    }
    if (local && endsTransaction(statement.ast)) {
      if (local.on) lost = `the SET LOCAL at line ${local.line} ended with its transaction at line ${line}`
      local = null
    }
  }
  return out
}

interface TimeoutChange {
  on: boolean
  local: boolean
  /** What the statement does when it turns the timeout off, for the message: `sets it to 0 …`. */
  what: string
}

function timeoutChanges(ast: Node | null): TimeoutChange[] {
  const set = nodeAs(ast, 'VariableSetStmt')
  if (set) {
    const local = Boolean(set.is_local)
    if (set.kind === 'VAR_RESET_ALL') return [{ on: false, local, what: 'resets every setting (RESET ALL)' }]
    if (set.name?.toLowerCase() !== 'lock_timeout') return []
    if (set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET') {
      return [{ on: false, local, what: 'resets it to the default, which is no timeout unless the server sets one' }]
    }
    if (set.kind !== 'VAR_SET_VALUE') return []
    const on = !isZero(set.args?.[0])
    return [{ on, local, what: 'sets it to 0, which means no timeout' }]
  }
  // set_config is called from a SELECT; walking every statement's tree for it is not worth its cost.
  if (!nodeAs(ast, 'SelectStmt')) return []
  const out: TimeoutChange[] = []
  visit(ast, node => {
    const call = nodeAs(node, 'FuncCall')
    const name = strings(call?.funcname).pop()?.toLowerCase()
    if (name !== 'set_config' || constantText(call?.args?.[0])?.toLowerCase() !== 'lock_timeout') return
    const local = nodeAs(call?.args?.[2], 'A_Const')?.boolval?.boolval === true
    out.push({ on: !isZero(call?.args?.[1]), local, what: 'sets it to 0 with set_config, which means no timeout' })
  })
  return out
}

/** `0`, `'0'`, `'0s'`, `'0ms'` all mean no timeout. A value that is not a constant counts as set. */
function isZero(value: Node | undefined): boolean {
  const text = constantText(value)
  return text !== undefined && /^\s*0*(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i.test(text) && /0/.test(text)
}

function constantText(node: Node | undefined): string | undefined {
  const constant = nodeAs(node, 'A_Const') ?? nodeAs(nodeAs(node, 'TypeCast')?.arg, 'A_Const')
  if (!constant || constant.isnull) return undefined
  if (constant.sval) return constant.sval.sval ?? ''
  if (constant.ival) return String(constant.ival.ival ?? 0)
  if (constant.fval) return constant.fval.fval ?? '0'
  return undefined
}
