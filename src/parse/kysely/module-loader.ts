// Imports one migration from its text, inside verify's worker (the linter's capture process gets it
// prepared by the main process instead: prepared-module.ts). CommonJS through Module._compile is
// the fast path: nothing is written anywhere, and the module gets the migration's real path so that
// relative imports and the user's node_modules resolve from its folder. ESM-only migrations are
// bundled and imported from the worker's temp folder (never the user's repository).
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { resolveOwnKysely } from './own-kysely.js'
import { compileCommonJs, hookResolution, internals, TranspileError } from './prepared-module.js'
import { toCommonJs, toCommonJsSync, toEsmBundle } from './transpile.js'

const TS_EXTENSIONS = ['.ts', '.mts', '.cts']
let esmCount = 0

export async function importMigration(file: string, text: string, tempDir: string): Promise<unknown> {
  installHooks()
  const cjs = await toCommonJs(text, file)
  if ('code' in cjs) return compileCommonJs(cjs.code, file)
  const outfile = path.join(tempDir, `${++esmCount}-${path.basename(file).replace(/\.[^.]+$/, '')}.mjs`)
  fs.writeFileSync(outfile, await toEsmBundle(text, file, outfile, resolveOwnKysely))
  try {
    return await import(pathToFileURL(outfile).href)
  } finally {
    fs.rmSync(outfile, { force: true })
  }
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
let hooked = false

function installHooks(): void {
  if (hooked) return
  hooked = true
  hookResolution(typeScriptCandidates)
  for (const ext of TS_EXTENSIONS) {
    internals._extensions[ext] = (module, filename) => {
      const cjs = toCommonJsSync(fs.readFileSync(filename, 'utf8'), filename)
      if (!('code' in cjs)) throw new TranspileError(`${filename} needs ESM (${cjs.esmOnly}); a migration's helpers must load as CommonJS`)
      module._compile(cjs.code, filename)
    }
  }
}
