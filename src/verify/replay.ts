// Replays migrations on the engine one statement at a time, each in a transaction of its own (the lock
// trace needs one per statement); a statement Postgres refuses inside one (CREATE INDEX CONCURRENTLY,
// VACUUM) runs outside. The first failing statement stops its migration, as it stops the real runner.
import type { Location, Migration, Statement } from '../model.js'
import { kindOf, nodeAs } from '../sql/ast.js'
import { postgresError, type Engine, type PostgresError } from './engine.js'
import { lockedRelations, lockTimeoutIsSet, type LockedRelation, type RelationNames } from './locks.js'
import type { Progress } from './progress.js'
import { refusalOf } from './refusal.js'

export type Part = 'up' | 'down' | 'up-again'

export interface StatementFailure {
  migration: Migration
  statement: Statement
  part: Part
  error: PostgresError
  /** Statements of the same part left unrun after it. */
  skipped: number
  /** Verify did not run it, and why (refusal.ts): it reaches beyond the database, or cannot be read. */
  refusal?: string
}

/** Kysely: the migration's own code failed on the engine (it threw, did not finish), not a statement of it. */
export interface CodeFailure {
  migration: Migration
  part: Part
  /** `it threw Error: …`, `it did not finish within 5000 ms …` */
  reason: string
  loc: Location
}

export interface TracedStatement {
  statement: Statement
  /** Null when it ran outside a transaction: its locks were gone before they could be read. */
  locks: LockedRelation[] | null
  lockTimeoutSet: boolean
}

export interface MigrationRun {
  failure: StatementFailure | CodeFailure | null
  traced: TracedStatement[]
}

// SQLSTATE 25001: "… cannot run inside a transaction block".
const ACTIVE_SQL_TRANSACTION = '25001'

/** Runs one part of a migration; with `names`, reads the locks of each statement before it commits. */
export async function runMigration(
  engine: Engine,
  migration: Migration,
  part: Part,
  progress: Progress,
  names: RelationNames | null = null,
): Promise<MigrationRun> {
  const statements = (part === 'down' ? migration.down ?? [] : migration.up).filter(s => kindOf(s.ast) !== 'TransactionStmt')
  const file = part === 'down' ? migration.downPath ?? migration.path : migration.path
  const traced: TracedStatement[] = []
  // Each migration sets its own lock_timeout: a SET in an earlier one does not count for it.
  await engine.exec('RESET lock_timeout')
  // SET LOCAL lasts for the runner's transaction, which spans the migration; ours span one statement.
  const carried: string[] = []
  progress.migration(file, 0, statements.length)
  for (const [i, statement] of statements.entries()) {
    const refusal = refusalOf(statement)
    if (refusal) {
      progress.migrationDone(file, i, statements.length, true)
      return { failure: { migration, statement, part, error: notRun(refusal), refusal, skipped: statements.length - i - 1 }, traced }
    }
    const run = await runStatement(engine, () => engine.exec(statement.sql), statement.inTransaction ? carried : [], names)
    if (!run.ok) {
      progress.migrationDone(file, i, statements.length, true)
      return { failure: { migration, statement, part, error: run.error, skipped: statements.length - i - 1 }, traced }
    }
    if (names) traced.push({ statement, locks: run.locks, lockTimeoutSet: run.lockTimeoutSet })
    if (statement.inTransaction && isSetLocal(statement)) carried.push(statement.sql)
    progress.migration(file, i + 1, statements.length)
  }
  progress.migrationDone(file, statements.length, statements.length, false)
  return { failure: null, traced }
}

/** The error of a statement verify refused to run: no SQLSTATE, Postgres never saw it. */
export function notRun(refusal: string): PostgresError {
  return { code: null, message: `not run: ${refusal}`, detail: null, hint: null }
}

type StatementRun<T> = { ok: true; result: T; locks: LockedRelation[] | null; lockTimeoutSet: boolean } | { ok: false; error: PostgresError }

/** `run` sends the statement; `carried`: SET LOCALs to repeat in its transaction. */
export async function runStatement<T>(
  engine: Engine,
  run: () => Promise<T>,
  carried: readonly string[],
  names: RelationNames | null,
): Promise<StatementRun<T>> {
  await engine.exec('BEGIN')
  let result: T
  try {
    for (const set of carried) await engine.exec(set)
    result = await run()
  } catch (error) {
    await engine.exec('ROLLBACK')
    const refused = postgresError(error)
    return refused.code === ACTIVE_SQL_TRANSACTION ? runOutside(engine, run, names) : { ok: false, error: refused }
  }
  const locks = names ? await lockedRelations(engine, names) : []
  const lockTimeoutSet = names ? await lockTimeoutIsSet(engine) : false
  try {
    await engine.exec('COMMIT')
  } catch (error) {
    // A deferred constraint fails at COMMIT: it is the statement's failure.
    await engine.exec('ROLLBACK').catch(() => {})
    return { ok: false, error: postgresError(error) }
  }
  return { ok: true, result, locks, lockTimeoutSet }
}

async function runOutside<T>(engine: Engine, run: () => Promise<T>, names: RelationNames | null): Promise<StatementRun<T>> {
  let result: T
  try {
    result = await run()
  } catch (error) {
    return { ok: false, error: postgresError(error) }
  }
  return { ok: true, result, locks: null, lockTimeoutSet: names ? await lockTimeoutIsSet(engine) : false }
}

function isSetLocal(statement: Statement): boolean {
  return nodeAs(statement.ast, 'VariableSetStmt')?.is_local === true
}
