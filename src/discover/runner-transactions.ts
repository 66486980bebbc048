// Runners that read the statements themselves and keep the ones Postgres refuses inside a transaction
// block out of their transaction. Without this, a CREATE INDEX CONCURRENTLY that Flyway or the Supabase
// CLI runs fine would be reported as failing.
import type { Node } from '@pgsql/types'
import type { Statement } from '../model.js'
import { markTransactions } from '../parse/sql.js'
import { nodeAs } from '../sql/ast.js'
import { optionEnabled } from '../sql/lock-safe-ddl.js'

/**
 * `flyway`: one such statement makes Flyway run the whole script without a transaction
 * (ParserSqlScript.executeInTransaction; with `mixed=false`, its default, a script that also holds
 * transactional statements is refused, with `mixed=true` it runs as linted here).
 * `supabase`: the CLI sends the file as one pipeline (an implicit transaction) but runs each such
 * statement alone, outside it (supabase/cli#5156, since v2.109.0).
 * `one-query`: the runner sends the file as one query, without a transaction of its own: golang-migrate
 * (`ExecContext` without arguments, the simple protocol; `x-multi-statement` off, its default), dbmate
 * with `transaction:false`, diesel with `run_in_transaction = false` (`batch_execute`). Postgres runs
 * several statements of one query as one implicit transaction — a failure rolls them all back, a CREATE
 * INDEX CONCURRENTLY among them is refused — and a single statement on its own.
 */
export type RunnerDetection = 'flyway' | 'supabase' | 'one-query'

export interface RunnerTransactions {
  statements: Statement[]
  /** The runner runs the migration in a transaction of its own. */
  transactional: boolean
  /** The transaction is Postgres's implicit one: the runner sends the statements as one query. */
  implicit?: boolean
}

/** `statements` were marked as the runner wraps them (`runnerWraps`); they are not changed in place. */
export function applyRunnerDetection(detection: RunnerDetection, statements: Statement[], runnerWraps: boolean): RunnerTransactions {
  if (detection === 'one-query') {
    if (!runnerWraps || statements.length !== 1) return { statements, transactional: runnerWraps, implicit: runnerWraps }
    return { statements: markTransactions(statements.map(s => ({ ...s })), false), transactional: false }
  }
  const outside = DETECTORS[detection]
  if (!runnerWraps || !statements.some(s => outside(s.ast))) return { statements, transactional: runnerWraps }
  // What an explicit BEGIN … COMMIT in the file still holds in a transaction.
  const explicit = markTransactions(statements.map(s => ({ ...s })), false)
  if (detection === 'flyway') return { statements: explicit, transactional: false }
  return { statements: statements.map((s, i) => (outside(s.ast) ? explicit[i] : s)), transactional: true }
}

// PostgreSQLParser.detectCanExecuteInTransaction (flyway-database-postgresql). Its `ALTER TYPE … ADD VALUE`
// case applies to Postgres before 12 only and is left out.
function flywayOutside(ast: Node | null): boolean {
  return (
    FLYWAY_KINDS.some(kind => nodeAs(ast, kind) !== undefined) ||
    concurrentIndex(ast) ||
    ['REINDEX_OBJECT_SCHEMA', 'REINDEX_OBJECT_DATABASE', 'REINDEX_OBJECT_SYSTEM'].includes(nodeAs(ast, 'ReindexStmt')?.kind ?? '') ||
    nodeAs(ast, 'VacuumStmt')?.is_vacuumcmd === true ||
    nodeAs(ast, 'DiscardStmt')?.target === 'DISCARD_ALL'
  )
}

const FLYWAY_KINDS = [
  'CreatedbStmt',
  'DropdbStmt',
  'CreateTableSpaceStmt',
  'DropTableSpaceStmt',
  'CreateSubscriptionStmt',
  'DropSubscriptionStmt',
  'AlterSystemStmt',
] as const

// The CLI's isPipelineIncompatible: CREATE [UNIQUE] INDEX CONCURRENTLY, REINDEX … CONCURRENTLY, VACUUM,
// ALTER SYSTEM, CLUSTER, and DROP INDEX CONCURRENTLY (supabase/cli#6276).
function supabaseOutside(ast: Node | null): boolean {
  return (
    concurrentIndex(ast) ||
    optionEnabled(nodeAs(ast, 'ReindexStmt')?.params, 'concurrently') ||
    nodeAs(ast, 'VacuumStmt')?.is_vacuumcmd === true ||
    nodeAs(ast, 'AlterSystemStmt') !== undefined ||
    nodeAs(ast, 'ClusterStmt') !== undefined
  )
}

function concurrentIndex(ast: Node | null): boolean {
  const drop = nodeAs(ast, 'DropStmt')
  return nodeAs(ast, 'IndexStmt')?.concurrent === true || (drop?.removeType === 'OBJECT_INDEX' && drop.concurrent === true)
}

const DETECTORS: Record<Exclude<RunnerDetection, 'one-query'>, (ast: Node | null) => boolean> = { flyway: flywayOutside, supabase: supabaseOutside }
