// One loader worker, seen from the main thread: start it, hand it jobs, and get for each either its
// end or the reason it was cut short (timeout, crash, out of memory). A cut-short worker is spent.
// Jobs may be handed over before the previous one ends: the worker runs them one after the other, so
// it need not wait for the main thread between two; each job's clock starts when the one before ends.
// The linter's worker records queries; verify's (src/verify/kysely/) sends them to a real Postgres and
// waits for the answer, which the main thread gives through send().
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { createLog, LogReader } from './message-log.js'
import type { LoadJob, WorkerMessage, WorkerSetup } from './protocol.js'

/** `ran: false`: the worker was cut short before it got to this job (hand it to a fresh one). */
export type JobOutcome = { done: true } | { done: false; reason: string; ran: boolean }

const START_TIMEOUT_MS = 30_000

export interface ThreadOptions {
  tempDir: string
  memoryMb: number
  /** The worker logs its messages to shared memory (message-log.ts) and posts only the end of each job. */
  sharedLog?: boolean
}

interface RunningJob<Message> {
  /** Once it is the worker's current job. */
  begin(): void
  onMessage(message: Message): void
  stop(reason: string, ran: boolean): void
}

/** What every worker says: `ready` once it listens, `done` at the end of each job. */
type BaseMessage = { type: string }

export class LoaderThread<Job = LoadJob, Message extends BaseMessage = WorkerMessage> {
  private readonly worker: Worker
  /** Null once the worker is up; else why it could not start. */
  private readonly start: Promise<string | null>
  /** Handed to the worker, in its order: the first one is running. */
  private jobs: RunningJob<Message>[] = []
  private spent = false
  private readonly log: LogReader | null

  /** `entry`: the worker module without its extension (`.js` built, `.ts` from the sources). */
  constructor(options: ThreadOptions, entry: URL = new URL('./worker', import.meta.url)) {
    const log = options.sharedLog ? createLog() : undefined
    this.log = log ? new LogReader(log) : null
    this.worker = spawnWorker({ tempDir: options.tempDir, log }, options.memoryMb, entry)
    // A migration's console output must not end up in the report (e.g. in --format json).
    this.worker.stdout.resume()
    this.worker.stderr.resume()
    let settleStart: (failure: string | null) => void = () => {}
    this.start = new Promise(resolve => (settleStart = resolve))
    const timer = setTimeout(() => fail(`the loader did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)
    timer.unref()
    const fail = (reason: string) => {
      clearTimeout(timer)
      if (this.jobs.length) this.stopAll(reason)
      else settleStart(reason)
    }
    this.worker.on('message', (message: Message) => {
      if (message.type !== 'ready') {
        // What the worker logged before it posted this comes first.
        this.log?.drain(logged => this.jobs[0]?.onMessage(logged as Message), (message as { seq?: number }).seq)
        this.jobs[0]?.onMessage(message)
      } else {
        clearTimeout(timer)
        settleStart(null)
      }
    })
    this.worker.on('error', error => fail(crashReason(error, options.memoryMb)))
    this.worker.on('exit', code => fail(`the loader stopped (exit code ${code})`))
  }

  started(): Promise<string | null> {
    return this.start
  }

  /**
   * While a promise that `onMessage` returns is pending (the worker waits on the main thread, e.g. for
   * Postgres), the job's clock stops: the limit is on the migration's own code.
   */
  run(job: Job, timeoutMs: number, onMessage: (message: Message) => void | Promise<unknown>): Promise<JobOutcome> {
    if (this.spent) return Promise.resolve({ done: false, reason: 'the loader was stopped', ran: false })
    return new Promise<JobOutcome>(resolve => {
      let clock: JobClock | null = null
      const finish = (outcome: JobOutcome) => {
        clock?.stop()
        this.jobs.splice(this.jobs.indexOf(running), 1)
        resolve(outcome)
      }
      const running: RunningJob<Message> = {
        begin: () => {
          clock = new JobClock(timeoutMs, () =>
            this.stopAll(`it did not finish within ${timeoutMs} ms (the limit is "kysely": { "timeoutMs" } in the config)`),
          )
        },
        onMessage: message => {
          if (message.type === 'done') {
            finish({ done: true })
            return this.jobs[0]?.begin()
          }
          const waiting = onMessage(message)
          if (waiting) clock?.pauseUntil(waiting)
        },
        stop: (reason, ran) => finish({ done: false, reason, ran }),
      }
      this.jobs.push(running)
      if (this.jobs.length === 1) running.begin()
      this.worker.postMessage(job)
    })
  }

  /** The running job ends with `reason`; those waiting behind it never ran. The worker is spent. */
  private stopAll(reason: string): void {
    // What the worker logged before it hung or crashed is what the running job did.
    if (!this.spent) this.log?.drain(logged => this.jobs[0]?.onMessage(logged as Message))
    this.spent = true
    const [running, ...waiting] = this.jobs
    running?.stop(reason, true)
    for (const job of waiting) job.stop(reason, false)
  }

  /** A message to the worker while its job runs (an answer it waits for). */
  send(message: unknown): void {
    this.worker.postMessage(message)
  }

  async terminate(): Promise<void> {
    this.stopAll('the loader was stopped')
    this.worker.removeAllListeners('exit')
    await this.worker.terminate()
  }
}

/** A time limit that does not run while the main thread works for the job. */
class JobClock {
  private left: number
  private since = performance.now()
  private timer: NodeJS.Timeout | null
  private paused = 0

  constructor(
    limitMs: number,
    private readonly expired: () => void,
  ) {
    this.left = limitMs
    this.timer = setTimeout(expired, limitMs)
  }

  pauseUntil(waiting: Promise<unknown>): void {
    if (this.paused++ === 0 && this.timer) {
      clearTimeout(this.timer)
      this.left -= performance.now() - this.since
    }
    const resume = () => {
      if (--this.paused > 0 || !this.timer) return
      this.since = performance.now()
      this.timer = setTimeout(this.expired, Math.max(0, this.left))
    }
    waiting.then(resume, resume)
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}

function crashReason(error: Error, memoryMb: number): string {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return `it ran out of memory (the loader's limit is ${memoryMb} MB)`
  return `the loader crashed: ${error.message.split('\n')[0]}`
}

/**
 * The built worker is `entry`.js (worker.js next to this file for the linter). Run from the TypeScript
 * sources (tests, tsx), there is only `entry`.ts: it is loaded through tsx, a development dependency.
 */
function spawnWorker(setup: WorkerSetup, memoryMb: number, entry: URL): Worker {
  // Loaded here, not at the top: a lint without Kysely migrations never starts a thread.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')
  const common = {
    workerData: setup,
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  }
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`${entry.href}.js`), common)
  const source = `${entry.href}.ts`
  const code = `import(${JSON.stringify(tsxEsmApi())}).then(api => api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}))`
  return new Worker(code, { ...common, eval: true })
}

/** tsx's ESM API (its `import` export; an eval worker has no module to resolve a bare name from). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json')
  const exports = JSON.parse(fs.readFileSync(manifest, 'utf8')).exports as Record<string, { import: { default: string } }>
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api'].import.default)).href
}
