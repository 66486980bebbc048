// A content-addressed cache on disk (issue 7): base schemas, findings, usage scans, Kysely captures.
// Entries are immutable: the key is a hash of everything the value depends on, so a hit is always
// right, and two runs at once can only write the same bytes for the same key. Writes go to a private
// temporary file renamed into place (atomic on POSIX): a reader sees a whole entry or none. An entry
// that does not parse, names another key or does not have its kind's shape (shapes.ts) is a miss,
// never an error.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fitsKind } from './shapes.js'

export type CacheKind = 'schema' | 'usage' | 'unestablished' | 'kysely' | 'findings' | 'markers' | 'files'

export interface CacheStore {
  get<T>(kind: CacheKind, key: string): T | undefined
  set(kind: CacheKind, key: string, value: unknown): void
}

/** Used when caching is off: every lookup misses, nothing is written. */
export const NO_CACHE: CacheStore = {
  get: () => undefined,
  set: () => {},
}

let active: CacheStore = NO_CACHE

/**
 * The store behind the process-wide memos (base schemas, findings, Kysely captures, usage scans). The CLI opens the
 * disk cache; everything else (tests, the library) keeps results in the process only.
 */
export function activeCache(): CacheStore {
  return active
}

export function useCache(store: CacheStore): void {
  active = store
}

// Kept here too: the cache's users name their keys with it.
export { hashKey } from '../util/hash-key.js'

interface Entry {
  key: string
  value: unknown
}

export class DiskCache implements CacheStore {
  private readonly created = new Set<string>()
  private unwritable = false

  /** `dir` holds one version of the tool: a new build or parser never reads an old build's entries. */
  constructor(readonly dir: string) {}

  get<T>(kind: CacheKind, key: string): T | undefined {
    const file = this.file(kind, key)
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch {
      return undefined
    }
    let entry: Entry
    try {
      entry = JSON.parse(text) as Entry
    } catch {
      return undefined
    }
    if (entry?.key !== key || !fitsKind(kind, entry.value)) return undefined
    // An entry's time says when a run last used it (pruneStaleEntries reads it).
    if (!this.unwritable) {
      try {
        const now = new Date()
        fs.utimesSync(file, now, now)
      } catch {}
    }
    return entry.value as T
  }

  set(kind: CacheKind, key: string, value: unknown): void {
    if (this.unwritable) return
    const file = this.file(kind, key)
    const folder = path.dirname(file)
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      if (!this.created.has(folder)) {
        fs.mkdirSync(folder, { recursive: true })
        // The folder's time says when this version was last used (pruneStaleVersions reads it).
        if (!this.created.size) fs.utimesSync(this.dir, new Date(), new Date())
        this.created.add(folder)
      }
      fs.writeFileSync(temp, asciiOnly(JSON.stringify({ key, value } satisfies Entry)))
      fs.renameSync(temp, file)
    } catch {
      // A cache that cannot be written (read-only home, full disk) only makes the next run slower.
      this.unwritable = true
      try {
        fs.rmSync(temp, { force: true })
      } catch {}
    }
  }

  private file(kind: CacheKind, key: string): string {
    return path.join(this.dir, kind, key.slice(0, 2), `${key}.json`)
  }
}

/**
 * JSON with every character beyond ASCII written as a `\u` escape (JSON.parse reads the same value back;
 * JSON.stringify puts such characters only inside strings). Read again, an ASCII file decodes to a
 * one-byte string: the findings of 10,000 migrations (6.6 MB) hold a few `…` and `→`, which made the
 * whole text a two-byte string of 13 MB, slower to decode and to parse.
 */
export function asciiOnly(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

const STALE_DAYS = 30
/** `<build id>-<dependency id>`, as openCache names a version's folder. */
const VERSION_NAME = /^[0-9a-f]{16}-[0-9a-f]{8}$/

/**
 * When a new version's folder is about to be made, the folders of versions that no run has written to
 * for 30 days are removed: each upgrade or rebuild starts a folder, and nothing else would ever delete
 * the old ones. A version still in use elsewhere only loses its entries (a miss, never an error).
 */
export function pruneStaleVersions(versionDir: string, now = Date.now()): void {
  const base = path.dirname(versionDir)
  let names: string[]
  try {
    if (fs.existsSync(versionDir)) return
    names = fs.readdirSync(base)
  } catch {
    return
  }
  // Only folders named as versions are: MIGRATE_LINT_CACHE_DIR may point at a folder shared with others.
  for (const name of names.filter(n => VERSION_NAME.test(n))) {
    const dir = path.join(base, name)
    try {
      if (now - fs.statSync(dir).mtimeMs > STALE_DAYS * 86_400_000) fs.rmSync(dir, { recursive: true, force: true })
    } catch {}
  }
}

const ENTRY_STALE_DAYS = 14
const DAY = 86_400_000

/**
 * Once a day, the entries of a version that no run has read or written for 14 days are removed, and
 * temporary files that a stopped run left. Within one version most entries go stale: each commit makes
 * a new schema of the release's committed migrations, each base a new code scan.
 */
export function pruneStaleEntries(versionDir: string, now = Date.now()): void {
  const stamp = path.join(versionDir, '.pruned')
  let files: fs.Dirent[]
  try {
    if (now - fs.statSync(stamp).mtimeMs < DAY) return
  } catch {}
  try {
    files = fs.readdirSync(versionDir, { recursive: true, withFileTypes: true }).filter(e => e.isFile() && e.name !== '.pruned')
    fs.writeFileSync(stamp, '')
  } catch {
    return
  }
  for (const file of files) {
    const full = path.join(file.parentPath, file.name)
    const maxAge = file.name.endsWith('.tmp') ? DAY : ENTRY_STALE_DAYS * DAY
    try {
      if (now - fs.statSync(full).mtimeMs > maxAge) fs.rmSync(full, { force: true })
    } catch {}
  }
}

export interface CacheLocation {
  env: NodeJS.ProcessEnv
  /** Identifies the build of migrate-lint and of its parser: entries of other versions are never read. */
  version: string
}

/**
 * `MIGRATE_LINT_CACHE_DIR`, else the XDG cache folder: outside the repository, which the linter does not
 * write to. Old versions' folders are left to the user's cache cleaner.
 */
export function cacheDir(location: CacheLocation): string {
  const { env } = location
  const base = env.MIGRATE_LINT_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'migrate-lint')
  return path.join(base, location.version)
}
