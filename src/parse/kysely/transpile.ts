// TypeScript/JavaScript → runnable code with esbuild: no type-check, inline source maps so stack
// frames name the .ts lines. CommonJS is the fast path (Module._compile, no file written); a module
// that needs real ESM (top-level await, a bare `import.meta`) is bundled as ESM instead.
import { createRequire, isBuiltin } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, transform, transformSync, type Loader, type Plugin, type TransformOptions, type TransformResult } from 'esbuild'

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
    return commonJsFailure(error)
  }
}

/** For the migration itself: esbuild's async API talks to its service directly (no helper thread). */
export async function toCommonJs(text: string, file: string): Promise<CommonJsResult> {
  try {
    return commonJsResult(await transform(text, commonJsOptions(file)))
  } catch (error) {
    return commonJsFailure(error)
  }
}

/**
 * A migration transpiled ahead (in the main thread, many at once) for the worker that runs it: a
 * transpile error travels as its message, to be thrown where the worker would have thrown it.
 */
export type Transpiled = CommonJsResult | { error: string }

export async function transpileAhead(text: string, file: string): Promise<Transpiled> {
  try {
    return await toCommonJs(text, file)
  } catch (error) {
    return { error: (error as Error).message }
  }
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
  const importMeta = result.warnings.find(w => w.text.includes('import.meta'))
  return importMeta ? { esmOnly: importMeta.text } : { code: result.code }
}

function commonJsFailure(error: unknown): CommonJsResult {
  const message = esbuildMessage(error)
  if (/top-level await/i.test(message)) return { esmOnly: message }
  throw new TranspileError(message)
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
      plugins: [externalPackages(resolveOwn)],
    })
    return result.outputFiles[0].text
  } catch (error) {
    throw new TranspileError(esbuildMessage(error))
  }
}

const RELATIVE_OR_ABSOLUTE = /^(?:\.{1,2}(?:\/|$)|\/|[a-zA-Z]:[\\/])/

/** Where a package this tool provides itself (kysely) is taken from; null for the others. */
export type OwnResolver = (request: string) => string | null

function externalPackages(resolveOwn: OwnResolver): Plugin {
  return {
    name: 'migrate-lint-external-packages',
    setup(b) {
      // esbuild filters are Go regular expressions (no lookahead): relative paths are sorted out here.
      b.onResolve({ filter: /.*/ }, args => {
        if (RELATIVE_OR_ABSOLUTE.test(args.path)) return undefined
        if (isBuiltin(args.path)) return { path: args.path, external: true }
        const own = resolveOwn(args.path)
        if (own) return { path: pathToFileURL(own).href, external: true }
        try {
          const from = args.importer && path.isAbsolute(args.importer) ? args.importer : path.join(args.resolveDir, 'index.js')
          return { path: pathToFileURL(createRequire(from).resolve(args.path)).href, external: true }
        } catch {
          return { path: args.path, external: true }
        }
      })
    },
  }
}

export class TranspileError extends Error {
  override name = 'TranspileError'
}

/** esbuild's first error, as `file:line:col: text`, without its multi-line log. */
function esbuildMessage(error: unknown): string {
  const first = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0]
  if (!first) return (error as Error).message ?? String(error)
  return first.location ? `${first.text} (at ${first.location.line}:${first.location.column + 1})` : first.text
}
