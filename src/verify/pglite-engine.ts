// The default engine: PGlite, Postgres compiled to WASM, in this process. Nothing to install, nothing
// left behind; the instance must be closed or the process never exits.
import { PGlite, type Extension } from '@electric-sql/pglite'
import { dataDirCache, forgetInMemory, type DataDirCache } from './pglite-data-dir.js'
import type { Engine } from './engine.js'
import { loadPgliteExtensions } from './pglite-extensions.js'

/** `extensions`: names as CREATE EXTENSION gives them; those PGlite ships are loaded, the others are `missingExtensions`. */
export async function openPglite(cache: DataDirCache = dataDirCache(), extensions: readonly string[] = []): Promise<Engine> {
  const { extensions: modules, missing } = await loadPgliteExtensions(extensions)
  const db = await freshInstance(cache, modules)
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?'
  let closed = false
  return {
    label: `PGlite (PostgreSQL ${version})`,
    version,
    missingExtensions: missing,
    async exec(sql) {
      await db.exec(sql)
    },
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<T>(sql, [...params])).rows
    },
    async run(sql, params) {
      const result = params.length ? await db.query<object>(sql, [...params]) : (await db.exec(sql)).at(-1)
      return { rows: result?.rows ?? [], affected: result?.affectedRows ?? null }
    },
    async close() {
      if (closed) return
      closed = true
      await db.close()
    },
  }
}

async function freshInstance(cache: DataDirCache, extensions: Record<string, Extension>): Promise<PGlite> {
  const saved = cache.load()
  if (saved) {
    try {
      return await PGlite.create({ loadDataDir: saved, extensions })
    } catch {
      // A damaged or foreign cache: start over from initdb and replace it.
      forgetInMemory()
    }
  }
  // The cache is a fresh initdb, the same with or without extensions: CREATE EXTENSION has not run.
  const db = await PGlite.create({ extensions })
  await cache.save(await db.dumpDataDir('gzip'))
  return db
}
