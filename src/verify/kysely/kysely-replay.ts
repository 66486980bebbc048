// Kysely migrations on the verify engine: the file's own up() or down(), run through Kysely on the
// engine (dialect.ts) in a worker thread, so that a migration that hangs or exits costs only itself;
// in a transaction each, as Kysely's Migrator runs them, unless "kysely": { "transactions": false }.
// Its time limit is "kysely": { "timeoutMs" }, counted while the migration's own code runs: the time
// Postgres takes over its statements does not count.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Migration, Statement } from '../../model.js'
import type { Capture } from '../../parse/kysely/capture.js'
import { inlineParameters } from '../../parse/kysely/inline-parameters.js'
import { threadChannel } from '../../parse/kysely/loader-channel.js'
import { LoaderThread } from '../../parse/kysely/loader-thread.js'
import type { RecordedQuery } from '../../parse/kysely/protocol.js'
import { toSqlLiteral } from '../../parse/kysely/sql-literal.js'
import { KyselySource, queryLocation, toLoadProblems, toStatements } from '../../parse/kysely/statements.js'
import type { Engine } from '../engine.js'
import type { RelationNames } from '../locks.js'
import type { Progress } from '../progress.js'
import type { CodeFailure, MigrationRun, Part, StatementFailure } from '../replay.js'
import { PartSession } from './part-session.js'
import type { ApplyJob, ApplyMessage, PartEnd, SentQuery } from './protocol.js'

export interface KyselyReplayOptions {
  /** The repository root: migration paths are relative to it; their imports resolve from there. */
  root: string
  transactions: boolean
  timeoutMs: number
}

const WORKER = new URL('./worker', import.meta.url)
const WORKER_MEMORY_MB = 512

/** Its file imported when the linter loaded it: the real up() and down() can run. */
export function importable(migration: Migration): boolean {
  return !migration.loadProblems?.some(p => p.part === 'module')
}

export class KyselyReplay {
  private thread: LoaderThread<ApplyJob, ApplyMessage> | null = null
  private tempDir: string | null = null
  private jobs = 0

  constructor(readonly options: KyselyReplayOptions) {}

  async run(engine: Engine, migration: Migration, part: Part, progress: Progress, names: RelationNames | null): Promise<MigrationRun> {
    const fn = part === 'down' ? 'down' : 'up'
    const text = migration.sources[0]?.text ?? ''
    const source = new KyselySource(migration.path, text)
    // What the linter recorded: the count to expect, for the progress line.
    const expected = (fn === 'down' ? migration.down : migration.up)?.length ?? 0
    const session = new PartSession(engine, names, (query, inTransaction) => statementOf(query, source, inTransaction))
    // Each migration sets its own lock_timeout: a SET in an earlier one does not count for it.
    await engine.exec('RESET lock_timeout')
    progress.migration(migration.path, 0, expected)
    const file = path.resolve(this.options.root, migration.path)
    const counted = () => [session.statements, Math.max(session.statements, expected)] as const
    const job: ApplyJob = { type: 'apply', job: ++this.jobs, file, text, part: fn, transaction: this.options.transactions }
    const end = await this.apply(job, session, () => progress.migration(migration.path, ...counted()))
    await session.settle()
    const failure = failureOf(migration, part, end, session, source)
    progress.migrationDone(migration.path, ...counted(), failure !== null)
    return { failure, traced: session.traced }
  }

  async close(): Promise<void> {
    await this.stopThread()
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true })
    this.tempDir = null
  }

  private async apply(job: ApplyJob, session: PartSession, answered: () => void): Promise<PartEnd> {
    this.tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-verify-'))
    const thread = (this.thread ??= new LoaderThread<ApplyJob, ApplyMessage>(threadChannel({ memoryMb: WORKER_MEMORY_MB, workerData: { tempDir: this.tempDir } }, WORKER)))
    const notStarted = await thread.started()
    if (notStarted) {
      await this.stopThread()
      return cutShort('module', notStarted)
    }
    let end = cutShort(job.part, 'the worker ended without a word')
    const outcome = await thread.run(job, this.options.timeoutMs, message => {
      if (message.type === 'end') end = message
      if (message.type !== 'query') return
      return session.answer(message.query).then(reply => {
        thread.send({ type: 'answer', id: message.id, ...reply })
        answered()
      })
    })
    if (outcome.done) return end
    // A cut-short worker is spent; the next migration gets a fresh one.
    await this.stopThread()
    return cutShort(job.part, outcome.reason)
  }

  private async stopThread(): Promise<void> {
    await this.thread?.terminate()
    this.thread = null
  }
}

function cutShort(stage: PartEnd['stage'], reason: string): PartEnd {
  return { stage, problem: { kind: 'failed', reason, frame: null } }
}

/** The first statement Postgres refused, when the part failed; else what stopped the code. */
function failureOf(migration: Migration, part: Part, end: PartEnd, session: PartSession, source: KyselySource): StatementFailure | CodeFailure | null {
  if (!end.problem) return null
  const { refused } = session
  if (refused) {
    const statement = statementOf(refused.query, source, false)
    return { migration, part, statement, error: refused.error, skipped: 0, ...(refused.refusal ? { refusal: refused.refusal } : {}) }
  }
  const capture: Capture = { path: migration.path, exports: null, up: [], down: [], problems: [{ stage: end.stage, problem: end.problem }] }
  return { migration, part, reason: end.problem.reason, loc: toLoadProblems(capture, source)[0].loc }
}

/** As the linter makes a recorded query a Statement: parameters inlined, parsed, at its .ts statement. */
function statementOf(query: SentQuery, source: KyselySource, inTransaction: boolean): Statement {
  const recorded: RecordedQuery = { ...query, parameters: query.parameters.map(toSqlLiteral), inTransaction }
  const parsed = toStatements([recorded], source, false)
  if (parsed.length === 1) return parsed[0]
  // Several statements in one query (a raw sql`…` batch): one entry, as it was sent.
  return { sql: inlineParameters(recorded.sql, recorded.parameters), ast: null, parseError: null, loc: queryLocation(recorded, source), inTransaction }
}
