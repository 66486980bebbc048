// TypeScript/JavaScript → runnable code with esbuild: no type-check, inline source maps so stack
// frames name the .ts lines. CommonJS is the fast path (Module._compile, no file written); a module
// that needs real ESM (top-level await, a bare `import.meta`) is bundled as ESM instead.
import fs from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, transform, transformSync, type BuildResult, type Loader, type Plugin, type TransformOptions, type TransformResult } from 'esbuild'
import { importsAny } from './import-requests.js'
import { TranspileError, type Prepared } from './prepared-module.js'

export type CommonJsResult = { code: string } | { esmOnly: string }

const TARGET = 'node20'

export function loaderFor(file: string): Loader {
  return /\.[cm]?tsx?$/.test(file) ? (file.endsWith('x') ? 'tsx' : 'ts') : 'js'
}

/** `import.meta.url` and friends keep naming the migration file, whichever way it is run. */
function importMetaDefines(file: string): Record<string, string> {
  return {
    'import.meta.url': JSON.stringify(pathToFileURL(file).href),
    'import.meta.filename': JSON.stringify(file),
    'import.meta.dirname': JSON.stringify(path.dirname(file)),
  }
}

/** For `require()`d helpers, which Node loads synchronously. */
export function toCommonJsSync(text: string, file: string): CommonJsResult {
  try {
    return commonJsResult(transformSync(text, commonJsOptions(file)))
  } catch (error) {
    return commonJsFailure(error, file)
  }
}

/** For the migration itself: esbuild's async API talks to its service directly (no helper thread). */
export async function toCommonJs(text: string, file: string): Promise<CommonJsResult> {
  try {
    return commonJsResult(await transform(text, commonJsOptions(file)))
  } catch (error) {
    return commonJsFailure(error, file)
  }
}

/**
 * A migration made ready in the main process for the capture process, which may neither start esbuild
 * nor read the repository: CommonJS when it can be, with its relative imports and the workspace
 * packages it imports bundled in (packages in node_modules stay imports, read there); an ES module
 * bundle written to `esmFile` when it needs real ESM.
 */
export async function prepareMigration(text: string, file: string, esmFile: string, resolveOwn: OwnResolver): Promise<Prepared> {
  try {
    const cjs = importsBeyondKysely(text) ? await bundleCommonJs(text, file, resolveOwn) : await toCommonJs(text, file)
    if ('code' in cjs) return cjs
    await fs.promises.writeFile(esmFile, await toEsmBundle(text, file, esmFile, resolveOwn))
    return { esmFile }
  } catch (error) {
    const failure = error instanceof TranspileError ? error : esbuildError(error, file)
    return { error: failure.message, frame: failure.frame }
  }
}

/** An import of anything but kysely and Node's own modules: a relative file or a package to resolve. */
function importsBeyondKysely(text: string): boolean {
  return importsAny(text, request => request !== 'kysely' && !request.startsWith('kysely/') && !isBuiltin(request))
}

async function bundleCommonJs(text: string, file: string, resolveOwn: OwnResolver): Promise<CommonJsResult> {
  let result: BuildResult<{ write: false }>
  try {
    result = await build({
      stdin: { contents: text, resolveDir: path.dirname(file), sourcefile: path.basename(file), loader: loaderFor(file) },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: TARGET,
      sourcemap: 'inline',
      sourcesContent: false,
      // Not written: the map's sources are relative to the migration's folder, where Node resolves them from.
      outfile: file,
      write: false,
      define: importMetaDefines(file),
      logLevel: 'silent',
      plugins: [externalPackages(resolveOwn, 'cjs')],
    })
  } catch (error) {
    return commonJsFailure(error, file)
  }
  return commonJsOrEsmOnly(result.warnings, result.outputFiles[0].text)
}

function commonJsOptions(file: string): TransformOptions {
  return {
    loader: loaderFor(file),
    format: 'cjs',
    platform: 'node',
    target: TARGET,
    sourcemap: 'inline',
    // Only positions are read from the map: without the source's text in it, V8 has less to compile
    // past and Node less to decode for every module.
    sourcesContent: false,
    // Relative to the module's own path, where Node resolves the map's sources from.
    sourcefile: path.basename(file),
    define: importMetaDefines(file),
    logLevel: 'silent',
  }
}

function commonJsResult(result: TransformResult): CommonJsResult {
  return commonJsOrEsmOnly(result.warnings, result.code)
}

/** A bare `import.meta` has no CommonJS meaning (esbuild warns): such a module needs real ESM. */
function commonJsOrEsmOnly(warnings: readonly { text: string }[], code: string): CommonJsResult {
  const importMeta = warnings.find(w => w.text.includes('import.meta'))
  return importMeta ? { esmOnly: importMeta.text } : { code }
}

function commonJsFailure(error: unknown, file: string): CommonJsResult {
  const failure = esbuildError(error, file)
  if (/top-level await/i.test(failure.message)) return { esmOnly: failure.message }
  throw failure
}

/**
 * Bundles the module's own relative imports; every package import stays external, resolved from the
 * migration's folder (so the user's node_modules are used) and `kysely` from ours.
 */
export async function toEsmBundle(text: string, file: string, outfile: string, resolveOwn: OwnResolver): Promise<string> {
  try {
    const result = await build({
      stdin: { contents: text, resolveDir: path.dirname(file), sourcefile: file, loader: loaderFor(file) },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: TARGET,
      sourcemap: 'inline',
      outfile,
      write: false,
      define: importMetaDefines(file),
      logLevel: 'silent',
      plugins: [externalPackages(resolveOwn, 'esm')],
    })
    return result.outputFiles[0].text
  } catch (error) {
    throw esbuildError(error, file)
  }
}

const RELATIVE_OR_ABSOLUTE = /^(?:\.{1,2}(?:\/|$)|\/|[a-zA-Z]:[\\/])/

/** Where a package this tool provides itself (kysely) is taken from; null for the others. */
export type OwnResolver = (request: string) => string | null

/**
 * Package imports stay imports (an ES module bundle, written outside the repository, names them by
 * file URL), resolved from the importing file; a package that resolves to TypeScript or to a file
 * outside any node_modules (a workspace package linked into node_modules) is bundled instead: the
 * capture process reads node_modules only, and runs no transpiler.
 */
function externalPackages(resolveOwn: OwnResolver, format: 'cjs' | 'esm'): Plugin {
  const external = (request: string, file: string | null) => ({ path: format === 'esm' && file ? pathToFileURL(file).href : request, external: true })
  return {
    name: 'migrate-lint-external-packages',
    setup(b) {
      // esbuild filters are Go regular expressions (no lookahead): relative paths are sorted out here.
      b.onResolve({ filter: /.*/ }, args => {
        if (RELATIVE_OR_ABSOLUTE.test(args.path)) return undefined
        if (isBuiltin(args.path)) return { path: args.path, external: true }
        const own = resolveOwn(args.path)
        if (own) return external(args.path, own)
        let resolved: string
        try {
          const from = args.importer && path.isAbsolute(args.importer) ? args.importer : path.join(args.resolveDir, 'index.js')
          resolved = fs.realpathSync(createRequire(from).resolve(args.path))
        } catch {
          return { path: args.path, external: true }
        }
        const installed = resolved.split(path.sep).includes('node_modules') && !/\.[cm]?tsx?$/.test(resolved)
        return installed ? external(args.path, resolved) : { path: resolved }
      })
    },
  }
}

/**
 * esbuild's first error as one line, without its multi-line log; where it is in `file` (the migration),
 * the line and column as a frame, else named in the text.
 */
function esbuildError(error: unknown, file: string): TranspileError {
  type Location = { file: string; line: number; column: number }
  const first = (error as { errors?: { text: string; location?: Location | null }[] }).errors?.[0]
  if (!first) return new TranspileError((error as Error).message ?? String(error))
  const at = first.location
  if (!at) return new TranspileError(first.text)
  // esbuild names it relative to the working folder, or as the stdin's sourcefile was given.
  const here = path.resolve(at.file) === file || at.file === path.basename(file) || at.file === '<stdin>'
  if (here) return new TranspileError(first.text, { line: at.line, column: at.column + 1 })
  return new TranspileError(`${first.text} (in ${path.resolve(at.file)} at ${at.line}:${at.column + 1})`)
}
