// Imports one migration from its text, inside the loader worker. CommonJS through Module._compile is
// the fast path: nothing is written anywhere, and the module gets the migration's real path so that
// relative imports and the user's node_modules resolve from its folder. ESM-only migrations are
// bundled and imported from the worker's temp folder (never the user's repository).
import fs from 'node:fs'
import Module from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { resolveOwnKysely } from './own-kysely.js'
import { toCommonJs, toCommonJsSync, toEsmBundle, TranspileError, type Transpiled } from './transpile.js'

/** Node's CommonJS internals this loader hooks into; stable for years, but not in @types/node. */
interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string
  _extensions: Record<string, (module: CompiledModule, filename: string) => void>
  _nodeModulePaths(dir: string): string[]
}

interface CompiledModule {
  exports: unknown
  filename: string
  paths: string[]
  _compile(code: string, filename: string): void
}

const internals = Module as unknown as ModuleInternals
const TS_EXTENSIONS = ['.ts', '.mts', '.cts']
let hooked = false
let esmCount = 0

/** `transpiled`: `text` already through toCommonJs (by the main thread), if it was. */
export async function importMigration(file: string, text: string, tempDir: string, transpiled?: Transpiled): Promise<unknown> {
  installHooks()
  if (transpiled && 'error' in transpiled) throw new TranspileError(transpiled.error)
  const cjs = transpiled ?? (await toCommonJs(text, file))
  if ('code' in cjs) return compileCommonJs(cjs.code, file)
  const outfile = path.join(tempDir, `${++esmCount}-${path.basename(file).replace(/\.[^.]+$/, '')}.mjs`)
  fs.writeFileSync(outfile, await toEsmBundle(text, file, outfile, resolveOwnKysely))
  try {
    return await import(pathToFileURL(outfile).href)
  } finally {
    fs.rmSync(outfile, { force: true })
  }
}

function compileCommonJs(code: string, file: string): unknown {
  const ModuleClass = Module as unknown as new (id: string) => CompiledModule
  const module = new ModuleClass(file)
  module.filename = file
  module.paths = internals._nodeModulePaths(path.dirname(file))
  module._compile(code, file)
  return module.exports
}

/**
 * A relative import that Node cannot find may name a TypeScript file: `./x.js` for `./x.ts` (the
 * NodeNext convention), or `./x` without extension, which Node itself only tries for .js/.json/.node.
 */
function typeScriptCandidates(request: string): string[] {
  if (!/^\.\.?\//.test(request)) return []
  if (/\.[cm]?js$/.test(request)) return [request.replace(/js$/, 'ts')]
  return TS_EXTENSIONS.map(ext => request + ext).concat(`${request}/index.ts`)
}

/**
 * Once per worker: `kysely` resolves to our copy; `.ts` files the migration imports (helpers) are
 * transpiled too, and found under the names TypeScript lets a module use for them.
 */
function installHooks(): void {
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
      for (const candidate of typeScriptCandidates(request)) {
        try {
          return resolve.call(this, candidate, parent, isMain, options)
        } catch {
          // try the next spelling
        }
      }
      throw error
    }
  }
  for (const ext of TS_EXTENSIONS) {
    internals._extensions[ext] = (module, filename) => {
      const cjs = toCommonJsSync(fs.readFileSync(filename, 'utf8'), filename)
      if (!('code' in cjs)) throw new TranspileError(`${filename} needs ESM (${cjs.esmOnly}); a migration's helpers must load as CommonJS`)
      module._compile(cjs.code, filename)
    }
  }
}
