// One loader worker, seen from the main thread: start it, hand it one job, and get either the end of
// the job or the reason it was cut short (timeout, crash, out of memory). A cut-short worker is spent.
// The linter's worker records queries; verify's (src/verify/kysely/) sends them to a real Postgres and
// waits for the answer, which the main thread gives through send().
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { LoadJob, WorkerMessage, WorkerSetup } from './protocol.js'

export type JobOutcome = { done: true } | { done: false; reason: string }

const START_TIMEOUT_MS = 30_000

export interface ThreadOptions extends WorkerSetup {
  memoryMb: number
}

interface RunningJob<Message> {
  onMessage(message: Message): void
  stop(reason: string): void
}

/** What every worker says: `ready` once it listens, `done` at the end of each job. */
type BaseMessage = { type: string }

export class LoaderThread<Job = LoadJob, Message extends BaseMessage = WorkerMessage> {
  private readonly worker: Worker
  /** Null once the worker is up; else why it could not start. */
  private readonly start: Promise<string | null>
  private current: RunningJob<Message> | null = null

  /** `entry`: the worker module without its extension (`.js` built, `.ts` from the sources). */
  constructor(options: ThreadOptions, entry: URL = new URL('./worker', import.meta.url)) {
    this.worker = spawnWorker(options, entry)
    // A migration's console output must not end up in the report (e.g. in --format json).
    this.worker.stdout.resume()
    this.worker.stderr.resume()
    let settleStart: (failure: string | null) => void = () => {}
    this.start = new Promise(resolve => (settleStart = resolve))
    const timer = setTimeout(() => fail(`the loader did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)
    timer.unref()
    const fail = (reason: string) => {
      clearTimeout(timer)
      if (this.current) this.current.stop(reason)
      else settleStart(reason)
    }
    this.worker.on('message', (message: Message) => {
      if (message.type !== 'ready') this.current?.onMessage(message)
      else {
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
    return new Promise<JobOutcome>(resolve => {
      const finish = (outcome: JobOutcome) => {
        clock.stop()
        this.current = null
        resolve(outcome)
      }
      const clock = new JobClock(timeoutMs, () =>
        finish({ done: false, reason: `it did not finish within ${timeoutMs} ms (the limit is "kysely": { "timeoutMs" } in the config)` }),
      )
      this.current = {
        onMessage: message => {
          if (message.type === 'done') return finish({ done: true })
          const waiting = onMessage(message)
          if (waiting) clock.pauseUntil(waiting)
        },
        stop: reason => finish({ done: false, reason }),
      }
      this.worker.postMessage(job)
    })
  }

  /** A message to the worker while its job runs (an answer it waits for). */
  send(message: unknown): void {
    this.worker.postMessage(message)
  }

  async terminate(): Promise<void> {
    this.current = null
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
function spawnWorker(options: ThreadOptions, entry: URL): Worker {
  const setup: WorkerSetup = { tempDir: options.tempDir }
  const common = {
    workerData: setup,
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
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
