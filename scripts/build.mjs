#!/usr/bin/env node
// `npm run build` (and the tests' global setup): tsc, then an esbuild bundle of the CLI.
// - tsc type-checks and emits dist/src and dist/rules, module by module (scripts/docs.mjs and the
//   benchmarks import those).
// - The bundle, dist/bundle/, is what bin/migrate-lint.js runs: ≈ 100 modules of ours and the pure-JS
//   dependencies (commander, chalk, fast-glob, picomatch, yaml) in a few files instead of ≈ 230, which
//   was most of the CLI's start-up. Code splitting turns each `await import()` of src/ into chunks
//   loaded only by the command that needs them. Native, WASM and large packages stay external, loaded
//   from node_modules when used.
// - Worker threads: a module that starts one names its file `new URL('./worker', import.meta.url)`.
//   Every output file is in dist/bundle/ itself, so that such a URL means the same folder from any
//   chunk; each worker is an entry point named after its path (src/parse/kysely/worker.ts →
//   parse-kysely-worker.js), and the URL is rewritten to that name.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')
const dist = path.join(root, 'dist')
const target = path.join(dist, 'bundle')

const EXTERNAL = ['oxc-parser', 'libpg-query', '@electric-sql/pglite', '@electric-sql/pglite/*', 'pg', 'esbuild', 'kysely', 'kysely/*', 'tsx']

// Bundled CommonJS (fast-glob, …) calls `require('fs')`: an ES module has no `require`, so each output
// file gets one (esbuild renames any `require` of the bundled code that would collide with it).
const BANNER = "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);"

/** `new URL('./worker', import.meta.url)`, `new URL('../x/worker.js', import.meta.url)`. */
const RELATIVE_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+?)(\.js)?\1\s*,\s*import\.meta\.url\s*\)/g

// Nothing on stdout: as `prepare`, this runs inside `npm pack`, whose stdout the pre-commit framework
// takes for the tarball's name (tsc writes its errors to stdout: they go to stderr).
if (!process.argv.includes('--no-tsc')) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 2, 2] })
}

/** The output name of a module of src/ that is loaded by URL: `parse-kysely-worker`. */
function outputName(file) {
  return path.relative(src, file).replace(/\.ts$/, '').split(path.sep).join('-')
}

/** Each relative URL of src/ names a TypeScript module that becomes an entry point. */
function urlEntries() {
  const entries = {}
  for (const entry of fs.readdirSync(src, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue
    const file = path.join(entry.parentPath, entry.name)
    for (const [, , rel] of fs.readFileSync(file, 'utf8').matchAll(RELATIVE_URL)) {
      const module = path.resolve(path.dirname(file), `${rel}.ts`)
      if (!fs.existsSync(module)) throw new Error(`${path.relative(root, file)}: new URL('${rel}', import.meta.url) names no module (${path.relative(root, module)}) to bundle`)
      entries[outputName(module)] = module
    }
  }
  return entries
}

const relocateUrls = {
  name: 'relocate-relative-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async args => {
      if (!args.path.startsWith(src + path.sep)) return undefined
      const text = await fs.promises.readFile(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      const contents = text.replace(RELATIVE_URL, (_, quote, rel, ext = '') => {
        const name = outputName(path.resolve(path.dirname(args.path), `${rel}.ts`))
        return `new URL(${quote}./${name}${ext}${quote}, import.meta.url)`
      })
      return { contents, loader: 'ts' }
    })
  },
}

// fast-glob and picomatch are CommonJS: bundled, each would still run its whole module graph (fast-glob:
// ≈ 60 modules) when the chunk importing it loads, i.e. on every lint, although only some runs glob.
// The code of src/ gets a stand-in instead, which requires the package on first use.
const LAZY = ['fast-glob', 'picomatch']
const lazyCommonJs = {
  name: 'lazy-commonjs',
  setup(build) {
    const filter = new RegExp(`^(${LAZY.join('|')})$`)
    build.onResolve({ filter }, args => (args.importer.startsWith(src + path.sep) ? { path: args.path, namespace: 'lazy' } : undefined))
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, args => ({
      resolveDir: root,
      loader: 'js',
      contents: [
        'let loaded',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}))`,
        'export default new Proxy(function () {}, {',
        '  apply: (_, self, args) => Reflect.apply(load(), self, args),',
        '  get: (_, key) => load()[key],',
        '})',
      ].join('\n'),
    }))
  },
}

// Built next to the target and swapped in at the end: chunk names change with every build, and a CLI
// started meanwhile (other tests, a benchmark) must not find half of one build and half of another.
const staging = fs.mkdtempSync(path.join(dist, '.bundle-'))
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { 'migrate-lint': path.join(src, 'cli.ts'), ...urlEntries() },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: EXTERNAL,
    banner: { js: BANNER },
    chunkNames: 'chunk-[hash]',
    // Less source for V8 to parse at each start (≈ 30 %, some ms of a one-file lint); names are kept, so
    // stack traces stay readable, and the linked source maps give the lines (node --enable-source-maps).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [relocateUrls, lazyCommonJs],
  })
  writeBuildId(staging)
  swapIn(staging)
} finally {
  fs.rmSync(staging, { recursive: true, force: true })
}

/**
 * A hash of the bundle's code: the disk cache keeps each build's entries apart with it (a rebuilt
 * migrate-lint must never read what another build computed), without hashing the files at every start.
 */
function writeBuildId(dir) {
  const hash = createHash('sha1')
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.js')).sort()) {
    hash.update(file)
    hash.update(fs.readFileSync(path.join(dir, file)))
  }
  fs.writeFileSync(path.join(dir, 'build-id.txt'), `${hash.digest('hex').slice(0, 16)}\n`)
}

/** Another build (a second test run) may swap its own in meanwhile: then move that one away too. */
function swapIn(built) {
  const old = []
  for (let attempt = 1; ; attempt++) {
    old.push(`${built}-old${attempt}`)
    try {
      fs.renameSync(target, old.at(-1))
    } catch (error) {
      if (error.code !== 'ENOENT') throw error
    }
    try {
      fs.renameSync(built, target)
      break
    } catch (error) {
      if (!['ENOTEMPTY', 'EEXIST'].includes(error.code) || attempt === 10) throw error
    }
  }
  for (const dir of old) fs.rmSync(dir, { recursive: true, force: true })
}
