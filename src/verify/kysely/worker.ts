// verify's Kysely worker: imports one migration and runs its up() or down() through Kysely on the
// verify engine, each query answered by the main thread (which owns the engine). Like the linter's
// loader it lives in its own thread, so that a migration that hangs or exits can always be stopped.
import { parentPort, workerData } from 'node:worker_threads'
import { describeError } from '../../parse/kysely/failure.js'
import { importMigration } from '../../parse/kysely/module-loader.js'
import type { Problem, WorkerSetup } from '../../parse/kysely/protocol.js'
import { firstFrameIn } from '../../parse/kysely/stack-frame.js'
import { guard, migrationOf, setUpWorker } from '../../parse/kysely/worker-guard.js'
import type { PostgresError, QueryRows } from '../engine.js'
import { engineKysely } from './dialect.js'
import type { Answer, ApplyJob, ApplyMessage, PartEnd, SentQuery } from './protocol.js'

/** What a migration may read of the environment: nothing that can hold a secret. */
const KEPT_ENV = new Set(['NODE_ENV', 'TZ', 'LANG', 'LC_ALL'])

setUpWorker()
// The migration runs here: it gets no connection and no URL (its queries go to the main thread, which
// runs them on the throw-away database), and none of the linter's environment (PGPASSWORD,
// MIGRATE_LINT_DATABASE_URL, tokens). The thread's process.env is its own copy: the linter keeps its.
for (const key of Object.keys(process.env)) if (!KEPT_ENV.has(key)) delete process.env[key]

const setup = workerData as WorkerSetup
const port = parentPort!
const post = (message: ApplyMessage): void => port.postMessage(message)
const waiting = new Map<number, (answer: Answer) => void>()
let lastId = 0

port.on('message', (message: ApplyJob | Answer) => {
  if (message.type === 'apply') return void apply(message)
  waiting.get(message.id)?.(message)
  waiting.delete(message.id)
})
post({ type: 'ready' })

/** What Postgres said, thrown where the migration awaits its query (as `pg` throws its DatabaseError). */
class RefusedQuery extends Error {
  override name = 'DatabaseError'
  readonly code: string | null
  readonly detail: string | null
  readonly hint: string | null

  constructor(error: PostgresError) {
    super(error.message)
    this.code = error.code
    this.detail = error.detail
    this.hint = error.hint
  }
}

async function apply(job: ApplyJob): Promise<void> {
  const send = (query: SentQuery) =>
    new Promise<QueryRows>((resolve, reject) => {
      const id = ++lastId
      post({ type: 'query', job: job.job, id, query })
      waiting.set(id, answer => (answer.ok ? resolve(answer.result) : reject(new RefusedQuery(answer.error))))
    })
  post({ type: 'end', job: job.job, ...(await runPart(job, send)) })
  post({ type: 'done', job: job.job })
}

async function runPart(job: ApplyJob, send: (query: SentQuery) => Promise<QueryRows>): Promise<PartEnd> {
  let fn: unknown
  try {
    fn = migrationOf(await guard(() => importMigration(job.file, job.text, setup.tempDir)))[job.part]
  } catch (error) {
    return { stage: 'module', problem: thrown(error, job.file, 'importing it failed: ') }
  }
  if (typeof fn !== 'function') return { stage: job.part, problem: { kind: 'failed', reason: `it exports no ${job.part}()`, frame: null } }
  const run = fn as (db: unknown) => Promise<unknown>
  const db = engineKysely(job.file, send)
  try {
    // As Kysely's Migrator runs a migration: in a transaction, or on one connection without.
    await guard(() => (job.transaction ? db.transaction().execute(trx => run(trx)) : db.connection().execute(conn => run(conn))))
    return { stage: job.part, problem: null }
  } catch (error) {
    return { stage: job.part, problem: thrown(error, job.file, 'it threw ') }
  }
}

function thrown(error: unknown, file: string, lead: string): Problem {
  return { kind: 'failed', reason: `${lead}${describeError(error)}`, frame: firstFrameIn(error instanceof Error ? error.stack : undefined, file) }
}
