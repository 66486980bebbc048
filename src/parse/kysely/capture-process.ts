// The capture process (sandbox-process.ts starts it, locked down): imports one migration at a time,
// as the main process prepared it, and runs its up() and down() against the recording database,
// sending each query as it is recorded (so a migration that hangs later still leaves what it did
// before). Every message names its job: what a migration leaves running is charged to it, not to the
// migration that happens to run when it fires.
import { problemFrom, readsRows } from './failure.js'
import { loadPrepared } from './prepared-module.js'
import type { LoadJob, Part, Problem, WorkerMessage } from './protocol.js'
import { recordingKysely } from './recording-database.js'
import { guard, migrationOf, setUpWorker } from './worker-guard.js'

const { send: post, onJob } = takeChannel()

/** What a piece of work is, for the errors its callbacks throw after it ended. */
interface Owner {
  job: number
  file: string
  part: Part | 'module'
}

setUpWorker((owner, error) => {
  const { job, file, part } = owner as Owner
  const problem = problemFrom(error, { file, readBack: false })
  const after = part === 'module' ? 'after the module was imported' : `after ${part}() returned`
  post({ type: 'stray', job, part, problem: { ...problem, reason: `${after}, a callback it left running failed: ${problem.reason}` } })
})

// One job at a time, in the order given: the main process hands over the next before this one ends.
let queue: Promise<void> = Promise.resolve()
onJob(job => {
  queue = queue.then(() => run(job)).catch(() => {})
})
post({ type: 'ready' })

async function run(job: LoadJob): Promise<void> {
  let migration: Record<string, unknown>
  try {
    const owner: Owner = { job: job.job, file: job.file, part: 'module' }
    migration = migrationOf(await guard(() => loadPrepared(job.file, job.prepared), owner))
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
    await guard(async () => fn(db), { job: job.job, file: job.file, part } satisfies Owner)
    return null
  } catch (error) {
    return problemFrom(error, { file: job.file, readBack })
  }
}

/**
 * The IPC channel, taken before any migration runs: `process.send` is gone for the migration, and the
 * jobs keep arriving when it removes the listeners. Not a wall (its internals and the pipe's file
 * descriptor are still in reach): what the main process receives is checked all the same
 * (protocol.ts checkWorkerMessage), and what a migration hides is found by the cross-check with its source.
 */
function takeChannel(): { send: (message: WorkerMessage) => void; onJob: (listener: (job: LoadJob) => void) => void } {
  const target = process as NodeJS.Process & Record<string, unknown>
  const send = target.send!.bind(process) as (message: unknown) => boolean
  const emitter = process as NodeJS.EventEmitter
  let listener: (job: LoadJob) => void = () => {}
  const received = (job: LoadJob) => listener(job)
  emitter.on('message', received)
  // The listener stays when a migration calls process.removeAllListeners('message').
  const removeAll = emitter.removeAllListeners.bind(emitter)
  const removeOne = emitter.removeListener.bind(emitter)
  emitter.removeAllListeners = ((event?: string | symbol) => {
    removeAll(event as string)
    emitter.on('message', received)
    return emitter
  }) as typeof emitter.removeAllListeners
  emitter.removeListener = emitter.off = ((event: string | symbol, fn: (...args: unknown[]) => void) =>
    fn === (received as unknown) ? emitter : removeOne(event, fn)) as typeof emitter.removeListener
  Object.defineProperty(process, 'send', { value: undefined, configurable: false, writable: false })
  return { send: message => void send(message), onJob: fn => (listener = fn) }
}
