// A fresh PGlite costs an initdb (≈ 2–7 s); loading a saved fresh data dir costs ≈ 0.8 s (DESIGN §10).
// The first run saves one (gzip, ≈ 4.5 MB) in the temp folder; later runs, and later instances in the
// same process, start from it. A missing or unreadable cache only costs time, never a failure.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'

export interface DataDirCache {
  /** The saved fresh data dir (an uncompressed tar), or null. */
  load(): Blob | null
  save(gzipped: Blob): Promise<void>
}

let inMemory: Blob | null = null

/** Keyed by PGlite's version: a data dir of another Postgres build does not load. */
export function dataDirCache(dir = cacheDir()): DataDirCache {
  const file = path.join(dir, `pglite-${pgliteVersion()}-fresh.tar.gz`)
  return {
    load() {
      if (inMemory) return inMemory
      try {
        inMemory = new Blob([zlib.gunzipSync(fs.readFileSync(file))])
        return inMemory
      } catch {
        return null
      }
    },
    async save(gzipped) {
      const bytes = Buffer.from(await gzipped.arrayBuffer())
      inMemory = new Blob([zlib.gunzipSync(bytes)])
      try {
        fs.mkdirSync(dir, { recursive: true })
        // Written aside and renamed: a concurrent run never reads half a file.
        const partial = `${file}.${process.pid}.partial`
        fs.writeFileSync(partial, bytes)
        fs.renameSync(partial, file)
      } catch {
        // A read-only temp folder: every run pays the initdb, nothing else changes.
      }
    },
  }
}

export function forgetInMemory(): void {
  inMemory = null
}

function cacheDir(): string {
  const override = process.env.MIGRATE_LINT_CACHE_DIR
  if (override) return override
  const user = typeof process.getuid === 'function' ? `-${process.getuid()}` : ''
  return path.join(os.tmpdir(), `migrate-lint${user}`)
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url)
  const entry = require.resolve('@electric-sql/pglite')
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}
