// The main thread's side of one Kysely up() or down(): runs each query the worker sends on the engine
// and keeps track of the transaction the driver opened. With a lock trace, each statement's locks are
// read before they can be released, as replay.ts does for SQL: inside the migration's transaction
// right after the statement (only the locks it added: the earlier ones are the earlier statements'),
// or else in a transaction of the statement's own.
import type { Statement } from '../../model.js'
import { postgresError, type Engine, type PostgresError, type QueryRows } from '../engine.js'
import { isStronger, lockedRelations, lockTimeoutIsSet, type LockedRelation, type RelationNames } from '../locks.js'
import { refusalOfSql } from '../refusal.js'
import { notRun, runStatement, type TracedStatement } from '../replay.js'
import type { Reply, SentQuery } from './protocol.js'

// Postgres ends a failed transaction's COMMIT with a ROLLBACK and no error; Kysely's driver throws.
const ROLLED_BACK: PostgresError = {
  code: '25P02',
  message: 'COMMIT rolled the transaction back: a statement in it had failed',
  detail: null,
  hint: null,
}

export class PartSession {
  readonly traced: TracedStatement[] = []
  /** The first query Postgres refused (or verify did not run: `refusal`): the cause, when the part fails. */
  refused: { query: SentQuery; error: PostgresError; refusal?: string } | null = null
  statements = 0
  private depth = 0
  private aborted = false
  /** Relation oid → the strongest mode the open transaction holds on it. */
  private readonly held = new Map<string, string>()
  private running: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly engine: Engine,
    /** Null: no lock trace. */
    private readonly names: RelationNames | null,
    private readonly statementOf: (query: SentQuery, inTransaction: boolean) => Statement,
  ) {}

  answer(query: SentQuery): Promise<Reply> {
    // Every query, the driver's BEGIN and COMMIT too: the migration shares the worker with the driver
    // and can post any message it likes.
    const refusal = refusalOfSql(query.sql)
    if (refusal) {
      this.refused ??= { query, error: notRun(refusal), refusal }
      if (this.depth > 0) this.aborted = true
      return Promise.resolve({ ok: false, error: notRun(refusal) })
    }
    const reply = (query.control ? this.control(query) : this.statement(query)).catch(error => ({ ok: false as const, error: postgresError(error) }))
    this.running = Promise.all([this.running, reply])
    return reply.then(r => {
      if (!r.ok) {
        this.refused ??= { query, error: r.error }
        if (this.depth > 0) this.aborted = true
      }
      return r
    })
  }

  /** Once the worker ended or was stopped: nothing still running, no transaction left open. */
  async settle(): Promise<void> {
    await this.running
    if (this.depth > 0) await this.engine.exec('ROLLBACK').catch(() => {})
    this.depth = 0
  }

  private async control(query: SentQuery): Promise<Reply> {
    const aborted = this.aborted
    const ends = query.control === 'commit' || query.control === 'rollback'
    try {
      const result = await this.engine.run(query.sql, [])
      if (query.control === 'begin') this.depth++
      if (query.control === 'rollback to') this.aborted = false
      return query.control === 'commit' && aborted ? { ok: false, error: ROLLED_BACK } : { ok: true, result }
    } finally {
      // Even a COMMIT that fails (a deferred constraint) ends the transaction.
      if (ends) {
        this.depth = Math.max(0, this.depth - 1)
        this.aborted = false
        this.held.clear()
      }
    }
  }

  private async statement(query: SentQuery): Promise<Reply> {
    this.statements++
    const run = () => this.engine.run(query.sql, query.parameters)
    if (!this.names) return { ok: true, result: await run() }
    if (this.depth > 0) {
      const result = await run()
      const locks = (await lockedRelations(this.engine, this.names)).filter(l => this.adds(l))
      this.traced.push({ statement: this.statementOf(query, true), locks, lockTimeoutSet: await lockTimeoutIsSet(this.engine) })
      return { ok: true, result }
    }
    const own = await runStatement<QueryRows>(this.engine, run, [], this.names)
    if (!own.ok) return own
    this.traced.push({ statement: this.statementOf(query, false), locks: own.locks, lockTimeoutSet: own.lockTimeoutSet })
    return { ok: true, result: own.result }
  }

  /** The statement took this lock, or made a lock of the transaction stronger. */
  private adds(lock: LockedRelation): boolean {
    if (!isStronger(lock.mode, this.held.get(lock.oid))) return false
    this.held.set(lock.oid, lock.mode)
    return true
  }
}
