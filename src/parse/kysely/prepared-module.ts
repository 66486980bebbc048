// Loads a migration the main process prepared (transpile.ts prepareMigration): CommonJS compiled
// under the migration's own path, so that its package imports resolve from its folder, or an ES module
// bundle the main process wrote. Nothing here transpiles: the capture process may not start esbuild.
import Module from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { resolveOwnKysely } from './own-kysely.js'
import type { Frame } from './protocol.js'

/** A migration made runnable by the main process; `error`: why it could not be, and where in the migration. */
export type Prepared = { code: string } | { esmFile: string } | { error: string; frame: Frame | null }

export class TranspileError extends Error {
  override name = 'TranspileError'
  constructor(
    message: string,
    /** Where in the migration's own text, when there. */
    readonly frame: Frame | null = null,
  ) {
    super(message)
  }
}

/** Node's CommonJS internals this loader hooks into; stable for years, but not in @types/node. */
export interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string
  _extensions: Record<string, (module: CompiledModule, filename: string) => void>
  _nodeModulePaths(dir: string): string[]
}

export interface CompiledModule {
  exports: unknown
  filename: string
  paths: string[]
  _compile(code: string, filename: string): void
}

export const internals = Module as unknown as ModuleInternals

/** `prepared` made runnable: the main process keeps the ones that failed to itself. */
export async function loadPrepared(file: string, prepared: Exclude<Prepared, { error: string }>): Promise<unknown> {
  hookResolution()
  if ('code' in prepared) return compileCommonJs(prepared.code, file)
  return import(pathToFileURL(prepared.esmFile).href)
}

export function compileCommonJs(code: string, file: string): unknown {
  const ModuleClass = Module as unknown as new (id: string) => CompiledModule
  const module = new ModuleClass(file)
  module.filename = file
  module.paths = internals._nodeModulePaths(path.dirname(file))
  module._compile(code, file)
  return module.exports
}

let hooked = false

/**
 * Once per loader: `kysely` resolves to our copy; a request Node cannot resolve is tried again under
 * the names `alternatives` gives (TypeScript's spellings of a relative import, for verify's loader).
 */
export function hookResolution(alternatives: (request: string) => string[] = () => []): void {
  if (hooked) return
  hooked = true
  const resolve = internals._resolveFilename
  let resolvingOwn = false
  internals._resolveFilename = function (request, parent, isMain, options) {
    // Resolving our own kysely goes through this very function: let that inner call through.
    if (!resolvingOwn) {
      resolvingOwn = true
      try {
        const own = resolveOwnKysely(request)
        if (own) return own
      } finally {
        resolvingOwn = false
      }
    }
    try {
      return resolve.call(this, request, parent, isMain, options)
    } catch (error) {
      for (const candidate of alternatives(request)) {
        try {
          return resolve.call(this, candidate, parent, isMain, options)
        } catch {
          // try the next spelling
        }
      }
      throw error
    }
  }
}
