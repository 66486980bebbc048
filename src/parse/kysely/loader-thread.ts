// One loader worker, seen from the main thread: start it, hand it one job, and get either the end of
// the job or the reason it was cut short (timeout, crash, out of memory). A cut-short worker is spent.
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

interface RunningJob {
  onMessage(message: WorkerMessage): void
  stop(reason: string): void
}

export class LoaderThread {
  private readonly worker: Worker
  /** Null once the worker is up; else why it could not start. */
  private readonly start: Promise<string | null>
  private current: RunningJob | null = null

  constructor(options: ThreadOptions) {
    this.worker = spawnWorker(options)
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
    this.worker.on('message', (message: WorkerMessage) => {
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

  run(job: LoadJob, timeoutMs: number, onMessage: (message: WorkerMessage) => void): Promise<JobOutcome> {
    return new Promise<JobOutcome>(resolve => {
      const finish = (outcome: JobOutcome) => {
        clearTimeout(timer)
        this.current = null
        resolve(outcome)
      }
      const timer = setTimeout(
        () => finish({ done: false, reason: `it did not finish within ${timeoutMs} ms (the limit is "kysely": { "timeoutMs" } in the config)` }),
        timeoutMs,
      )
      this.current = {
        onMessage: message => (message.type === 'done' ? finish({ done: true }) : onMessage(message)),
        stop: reason => finish({ done: false, reason }),
      }
      this.worker.postMessage(job)
    })
  }

  async terminate(): Promise<void> {
    this.current = null
    this.worker.removeAllListeners('exit')
    await this.worker.terminate()
  }
}

function crashReason(error: Error, memoryMb: number): string {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return `it ran out of memory (the loader's limit is ${memoryMb} MB)`
  return `the loader crashed: ${error.message.split('\n')[0]}`
}

/**
 * The built worker is worker.js next to this file. Run from the TypeScript sources (tests, tsx),
 * there is only worker.ts: it is loaded through tsx, a development dependency.
 */
function spawnWorker(options: ThreadOptions): Worker {
  const setup: WorkerSetup = { tempDir: options.tempDir }
  const common = {
    workerData: setup,
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
  }
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), common)
  const entry = new URL('./worker.ts', import.meta.url).href
  const code = `import(${JSON.stringify(tsxEsmApi())}).then(api => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`
  return new Worker(code, { ...common, eval: true })
}

/** tsx's ESM API (its `import` export; an eval worker has no module to resolve a bare name from). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json')
  const exports = JSON.parse(fs.readFileSync(manifest, 'utf8')).exports as Record<string, { import: { default: string } }>
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api'].import.default)).href
}
