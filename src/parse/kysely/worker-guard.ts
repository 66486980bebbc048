// What a loader (the linter's capture process, verify's worker) does around the migration it runs:
// the migration must not end the loader, and an error it throws from a callback nobody awaits must
// end the work it belongs to — the part still running, or (capture) the earlier part that left the
// callback behind — rather than the loader or the next migration.
import { AsyncLocalStorage } from 'node:async_hooks'
import { ExitCalled } from './failure.js'

/** Which work a callback was started by: it carries over to every timer and promise the work starts. */
const owners = new AsyncLocalStorage<object>()

/** The work in progress: rejected when a callback of its own throws and nobody catches it. */
let current: { owner: object | undefined; reject: (error: unknown) => void } | null = null

/**
 * Once, when the loader starts: stack frames name .ts lines (source maps), exiting throws, stray errors
 * end the work. `onStray`: an error thrown by a callback of work that has already ended (its owner).
 */
export function setUpWorker(onStray?: (owner: object, error: unknown) => void): void {
  process.setSourceMapsEnabled(true)
  process.exit = ((code?: string | number | null) => {
    throw new ExitCalled(code)
  }) as typeof process.exit
  const stray = (error: unknown) => {
    const owner = owners.getStore()
    if (owner !== undefined && owner !== current?.owner && onStray) onStray(owner, error)
    else current?.reject(error)
  }
  process.on('uncaughtException', stray)
  process.on('unhandledRejection', stray)
}

/** Runs `work` as `owner`'s: what it leaves running is known to be `owner`'s (see setUpWorker). */
export function guard<T>(work: () => Promise<T>, owner?: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    current = { owner, reject }
    const run = () => work().then(resolve, reject)
    if (owner) owners.run(owner, run)
    else run()
  }).finally(() => {
    current = null
  })
}

/** As Kysely's FileMigrationProvider: `export default { up, down }` or named `up`/`down` exports. */
export function migrationOf(exports: unknown): Record<string, unknown> {
  const module = (exports ?? {}) as Record<string, unknown>
  const byDefault = module.default as Record<string, unknown> | undefined
  return byDefault && typeof byDefault.up === 'function' ? byDefault : module
}
