// How the main thread talks to a loader: a worker thread (verify's, which waits on the main thread for
// Postgres) or a locked-down child process (the linter's capture, sandbox-process.ts). Both carry the
// same messages; LoaderThread (loader-thread.ts) does not care which one it drives.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Worker } from 'node:worker_threads'

export interface LoaderChannel {
  post(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** Once, when the loader is gone: why, in words for the user. */
  onGone(listener: (reason: string) => void): void
  /** Ends the loader at once, whatever it is doing. */
  terminate(): Promise<void>
}

export interface ThreadChannelOptions {
  /** Heap limit of the worker. */
  memoryMb: number
  workerData?: unknown
}

/**
 * A worker thread running `entry`.js (built) or, from the TypeScript sources (tests, tsx), `entry`.ts
 * through tsx, a development dependency.
 */
export function threadChannel(options: ThreadChannelOptions, entry: URL): LoaderChannel {
  // Loaded here, not at the top: a lint without Kysely migrations never starts a thread.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')
  const common = {
    workerData: options.workerData,
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
  }
  let worker: Worker
  if (!import.meta.url.endsWith('.ts')) worker = new Worker(new URL(`${entry.href}.js`), common)
  else {
    const source = `${entry.href}.ts`
    const code = `import(${JSON.stringify(tsxEsmApi())}).then(api => api.tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}))`
    worker = new Worker(code, { ...common, eval: true })
  }
  // A migration's console output must not end up in the report (e.g. in --format json).
  worker.stdout.resume()
  worker.stderr.resume()
  let gone = false
  const goneListeners: ((reason: string) => void)[] = []
  const goneWith = (reason: string) => {
    if (gone) return
    gone = true
    for (const listener of goneListeners) listener(reason)
  }
  worker.on('error', error => goneWith(crashReason(error, options.memoryMb)))
  worker.on('exit', code => goneWith(`the loader stopped (exit code ${code})`))
  return {
    post: message => worker.postMessage(message),
    onMessage: listener => void worker.on('message', listener),
    onGone: listener => void goneListeners.push(listener),
    terminate: async () => {
      await worker.terminate()
    },
  }
}

function crashReason(error: Error, memoryMb: number): string {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return `it ran out of memory (the loader's limit is ${memoryMb} MB)`
  return `the loader crashed: ${error.message.split('\n')[0]}`
}

/** tsx's ESM API (its `import` export; an eval worker has no module to resolve a bare name from). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json')
  const exports = JSON.parse(fs.readFileSync(manifest, 'utf8')).exports as Record<string, { import: { default: string } }>
  return pathToFileURL(path.join(path.dirname(manifest), exports['./esm/api'].import.default)).href
}
