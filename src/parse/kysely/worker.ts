// The loader worker: imports one migration at a time and runs its up() and down() against the
// recording database, posting each query as it is recorded (so a migration that hangs later still
// leaves what it did before). It lives in its own thread: the main thread can always stop it.
import { parentPort, workerData } from 'node:worker_threads'
import { problemFrom, readsRows } from './failure.js'
import { LogWriter } from './message-log.js'
import { importMigration } from './module-loader.js'
import type { LoadJob, Part, Problem, WorkerMessage, WorkerSetup } from './protocol.js'
import { recordingKysely } from './recording-database.js'
import { guard, setUpWorker, migrationOf } from './worker-guard.js'

setUpWorker()

const setup = workerData as WorkerSetup
const port = parentPort!
const log = setup.log ? new LogWriter(setup.log) : null
/** Logged when it fits; posted (numbered, so the main thread reads the log up to it first) when not, and at the end of a job. */
const post = (message: WorkerMessage): void => {
  if (message.type !== 'done' && message.type !== 'ready' && log?.write(message)) return
  port.postMessage(log ? { ...message, seq: log.next() } : message)
}

// One job at a time, in the order given: the main thread hands over the next before this one ends.
let queue: Promise<void> = Promise.resolve()
port.on('message', (job: LoadJob) => {
  queue = queue.then(() => run(job)).catch(() => {})
})
post({ type: 'ready' })

async function run(job: LoadJob): Promise<void> {
  let migration: Record<string, unknown>
  try {
    migration = migrationOf(await guard(() => importMigration(job.file, job.text, setup.tempDir, job.transpiled)))
  } catch (error) {
    post({ type: 'end', job: job.job, part: 'module', problem: problemFrom(error, { file: job.file, readBack: false }) })
    post({ type: 'done', job: job.job })
    return
  }
  const has = (part: Part) => typeof migration[part] === 'function'
  post({ type: 'module', job: job.job, exports: { up: has('up'), down: has('down') } })
  for (const part of job.parts) {
    if (has(part)) post({ type: 'end', job: job.job, part, problem: await runPart(job, part, migration[part] as (db: unknown) => unknown) })
  }
  post({ type: 'done', job: job.job })
}

async function runPart(job: LoadJob, part: Part, fn: (db: unknown) => unknown): Promise<Problem | null> {
  let readBack = false
  const db = recordingKysely(job.file, query => {
    readBack ||= readsRows(query.sql)
    post({ type: 'query', job: job.job, part, query })
  })
  try {
    await guard(async () => fn(db))
    return null
  } catch (error) {
    return problemFrom(error, { file: job.file, readBack })
  }
}
