// Whether a session timeout (lock_timeout, statement_timeout) is in effect at each statement of a
// migration, and the first statement that needs one: the lock-queue rules (missing-lock-timeout,
// missing-statement-timeout) ask the same question of different settings.
import type { Node } from '@pgsql/types'
import type { Report, StatementContext } from '../engine/rule.js'
import type { Statement } from '../model.js'
import { doesNothing } from '../schema/absent-objects.js'
import { nodeAs, strings, visit } from './ast.js'
import { backwards, endsTransaction, namesMadeIn, tableLocks, type MadeNames, type TableLock } from './table-locks.js'

export type TimeoutSetting = 'lock_timeout' | 'statement_timeout'

interface UncoveredLock {
  /** The lock that blocks reads or writes of a table that was there before the release. */
  lock: TableLock
  /** Why an earlier SET of the setting does not count here; null when there was none. */
  reason: string | null
}

/**
 * The blocking lock the context's statement takes without `setting` in effect, when it is the first
 * statement of its migration to need the setting (one finding per migration); else null. Statements
 * that block neither reads nor writes of an existing table need no timeout at all.
 */
function uncoveredLock(ctx: StatementContext, setting: TimeoutSetting): UncoveredLock | null {
  // The schema stands at this statement: it answers for it directly, and cheaply, since most
  // statements of a long data migration lock nothing. A DROP … IF EXISTS of what is not there locks
  // nothing: kept, since a later statement's schema cannot tell it from a drop of what was there.
  if (doesNothing(ctx.statement.ast, ctx.schema)) {
    migrationFacts(ctx.migration.up).noOps.add(ctx.index)
    return null
  }
  const lock = blockingLockOf(ctx)
  if (!lock) return null
  const facts = migrationFacts(ctx.migration.up)
  const { asts } = facts
  const timeouts = (facts.timeouts[setting] ??= timeoutStates(ctx.migration.up, setting))
  if (timeouts[ctx.index].active) return null
  const made = namesMadeIn(ctx.migration.up)
  // Once per migration: an earlier statement that needed the timeout already carries the finding.
  for (const { index, laterName } of backwards(asts, ctx.index)) {
    if (!timeouts[index].active && !facts.noOps.has(index) && blockingLock(ctx, asts, made, index, laterName)) return null
  }
  return { lock, reason: timeouts[ctx.index].reason }
}

/**
 * The finding of a rule that wants `setting` set before the first blocking lock: message `missing`, or
 * `ineffective` when an earlier SET does not count; `advice` ends the help after the SET to write.
 */
export function timeoutReports(ctx: StatementContext, setting: TimeoutSetting, value: string, advice: string): Report[] {
  const uncovered = uncoveredLock(ctx, setting)
  if (!uncovered) return []
  const { lock, reason } = uncovered
  const set = ctx.statement.inTransaction ? 'SET LOCAL' : 'SET'
  // Kysely's Migrator runs each migration in a transaction (unless disableTransactions): SET LOCAL
  // there lasts until it commits; without one, only a plain SET lasts past its statement.
  const why = ctx.statement.inTransaction
    ? "SET LOCAL lasts until the migration's transaction commits: Kysely's Migrator runs each migration in one unless disableTransactions is set."
    : 'This migration runs without a transaction, where a SET LOCAL would end with its own statement.'
  return [{
    messageId: reason ? 'ineffective' : 'missing',
    data: { operation: lock.operation, blocks: lock.blocks ?? '', target: lock.target, ...(reason ? { reason } : {}) },
    table: lock.table ?? undefined,
    help: `Start the migration with ${set} ${setting} = '${value}'; ${advice}`,
    kyselyHelp: `Start up() with await sql\`${set} ${setting} = '${value}'\`.execute(db) ${advice} ${why}`,
  }]
}

/**
 * The last statement's blocking lock: the rules of both settings ask it of the same statement in a row.
 * Keyed by the context too, which the engine makes anew for every run (another schema, another release).
 */
let lastLock: { ctx: StatementContext; statement: Statement; lock: TableLock | undefined } | null = null

function blockingLockOf(ctx: StatementContext): TableLock | undefined {
  if (lastLock?.ctx === ctx && lastLock.statement === ctx.statement) return lastLock.lock
  const lock = tableLocks(ctx.statement.ast, index => ctx.schema.indexes.get(index)?.table)
    .find(l => l.blocks && (l.table === null || ctx.existedBeforeRelease(l.table)))
  lastLock = { ctx, statement: ctx.statement, lock }
  return lock
}

interface MigrationFacts {
  /** Per setting, made when a rule of that setting first asks. */
  timeouts: Partial<Record<TimeoutSetting, TimeoutState[]>>
  asts: (Node | null)[]
  /** Statements found to do nothing (doesNothing) when the rule met them, with the schema of their time. */
  noOps: Set<number>
}

/**
 * Each is one pass over the migration, which every locking statement of it would repeat. Kept for the
 * last migration asked about only: the engine runs the rules over a migration's statements in a row.
 * Both settings' rules share it: what the migration names and which statements do nothing are the
 * same question for either.
 */
let last: { up: readonly Statement[]; facts: MigrationFacts } | null = null

function migrationFacts(up: readonly Statement[]): MigrationFacts {
  if (last?.up === up && last.facts.asts.length === up.length) return last.facts
  // timeouts[j] depends on the statements before j only, so the whole migration answers for each.
  const facts: MigrationFacts = { timeouts: {}, asts: up.map(s => s.ast), noOps: new Set<number>() }
  last = { up, facts }
  return facts
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

/** `result[j]`: whether `setting` is in effect when statement `j` runs. */
export function timeoutStates(statements: readonly Statement[], setting: TimeoutSetting): TimeoutState[] {
  const out: TimeoutState[] = []
  let session: Setting | null = null
  let local: (Setting & { line: number }) | null = null
  let lost: string | null = null
  for (const statement of statements) {
    const effective = local ?? session
    out.push({ active: effective?.on ?? false, reason: effective && !effective.on ? effective.why : lost })
    const line = statement.loc.line
    for (const change of timeoutChanges(statement.ast, setting)) {
      const state = { on: change.on, why: change.on ? '' : `line ${line} ${change.what}` }
      if (!change.local) {
        session = state
        local = null
      } else if (statement.inTransaction) {
        local = { ...state, line }
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

function timeoutChanges(ast: Node | null, setting: TimeoutSetting): TimeoutChange[] {
  const set = nodeAs(ast, 'VariableSetStmt')
  if (set) {
    const local = Boolean(set.is_local)
    if (set.kind === 'VAR_RESET_ALL') return [{ on: false, local, what: 'resets every setting (RESET ALL)' }]
    if (set.name?.toLowerCase() !== setting) return []
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
    if (name !== 'set_config' || constantText(call?.args?.[0])?.toLowerCase() !== setting) return
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
