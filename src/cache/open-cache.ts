// Opens the disk cache for a CLI run. Its folder is named after a hash of the running build and the
// parser's version: a rebuilt migrate-lint (new rules, new replay) or another libpg-query never reads
// entries that an older one wrote, so no entry needs a version of its own.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDir, DiskCache, NO_CACHE, type CacheStore } from './store.js'

export function openCache(env: NodeJS.ProcessEnv): CacheStore {
  if (env.MIGRATE_LINT_NO_CACHE === '1') return NO_CACHE
  const build = buildId()
  if (!build) return NO_CACHE
  return new DiskCache(cacheDir({ env, version: `${build}-pg${parserVersion()}` }))
}

/** Hash of the built code this process runs (dist/); null when it runs from sources (tsx, tests). */
function buildId(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const dist = findDist(here)
  if (!dist) return null
  const hash = createHash('sha1')
  for (const file of jsFiles(dist).sort()) {
    hash.update(path.relative(dist, file))
    hash.update(fs.readFileSync(file))
  }
  return hash.digest('hex').slice(0, 16)
}

function findDist(from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'dist') return dir
    if (path.dirname(dir) === dir) return null
  }
}

function jsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && (e.name.endsWith('.js') || e.name.endsWith('.mjs')))
    .map(e => path.join(e.parentPath, e.name))
}

function parserVersion(): string {
  const require = createRequire(import.meta.url)
  return (require('libpg-query/package.json') as { version: string }).version
}
