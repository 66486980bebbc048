// What a loader worker (the linter's, and verify's) does around the migration it runs: the migration
// must not end the thread, and an error it throws from a callback nobody awaits must still end the
// work in progress rather than the worker.
import { ExitCalled } from './failure.js'

/** Rejects the work in progress when the migration throws from a callback nobody awaits. */
let crash: ((error: unknown) => void) | null = null

/** Once, when the worker starts: stack frames name .ts lines (source maps), exiting throws, stray errors end the work. */
export function setUpWorker(): void {
  process.setSourceMapsEnabled(true)
  process.exit = ((code?: string | number | null) => {
    throw new ExitCalled(code)
  }) as typeof process.exit
  process.on('uncaughtException', error => crash?.(error))
  process.on('unhandledRejection', error => crash?.(error))
}

export function guard<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    crash = reject
    work().then(resolve, reject)
  }).finally(() => {
    crash = null
  })
}

/** As Kysely's FileMigrationProvider: `export default { up, down }` or named `up`/`down` exports. */
export function migrationOf(exports: unknown): Record<string, unknown> {
  const module = (exports ?? {}) as Record<string, unknown>
  const byDefault = module.default as Record<string, unknown> | undefined
  return byDefault && typeof byDefault.up === 'function' ? byDefault : module
}
