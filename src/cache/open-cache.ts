// Opens the disk cache for a CLI run. Its folder is named after the running build and the versions of
// the packages whose output is cached (the SQL parser, oxc-parser for the usage scan, Kysely for the
// captures): a rebuilt migrate-lint (new rules, new replay) or another dependency never reads entries
// that another one wrote, so no entry needs a version of its own.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDir, DiskCache, hashKey, NO_CACHE, pruneStaleEntries, pruneStaleVersions, type CacheStore } from './store.js'

const SHAPING_PACKAGES = ['libpg-query', 'oxc-parser', 'kysely']

export function openCache(env: NodeJS.ProcessEnv): CacheStore {
  if (env.MIGRATE_LINT_NO_CACHE === '1') return NO_CACHE
  const build = buildId()
  if (!build) return NO_CACHE
  const dir = cacheDir({ env, version: `${build}-${dependencyId()}` })
  pruneStaleVersions(dir)
  pruneStaleEntries(dir)
  return new DiskCache(dir)
}

/**
 * The bundle's id, written by scripts/build.mjs next to it. Null when the code runs without the bundle
 * (sources through tsx, tests in-process, the tsc output that scripts import): no cache then, since
 * nothing else says which build wrote an entry.
 */
function buildId(): string | null {
  try {
    return fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'build-id.txt'), 'utf8').trim() || null
  } catch {
    return null
  }
}

function dependencyId(): string {
  const require = createRequire(import.meta.url)
  const versions = SHAPING_PACKAGES.map(name => `${name}@${packageVersion(require, name)}`)
  return hashKey(...versions).slice(0, 8)
}

/**
 * From the package's own package.json, in the folders Node looks in for it, in its order (resolving
 * the package's entry point would cost more, and some export maps hide package.json).
 */
function packageVersion(require: NodeJS.Require, name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    let pkg: { name?: string; version?: string }
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8')) as typeof pkg
    } catch {
      continue
    }
    if (pkg.name === name && pkg.version) return pkg.version
  }
  return 'unknown'
}
