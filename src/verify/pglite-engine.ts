// The default engine: PGlite, Postgres compiled to WASM, in this process. Nothing to install, nothing
// left behind; the instance must be closed or the process never exits.
import { PGlite } from '@electric-sql/pglite'
import { dataDirCache, forgetInMemory, type DataDirCache } from './pglite-data-dir.js'
import type { Engine } from './engine.js'

export async function openPglite(cache: DataDirCache = dataDirCache()): Promise<Engine> {
  const db = await freshInstance(cache)
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?'
  let closed = false
  return {
    label: `PGlite (PostgreSQL ${version})`,
    version,
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

async function freshInstance(cache: DataDirCache): Promise<PGlite> {
  const saved = cache.load()
  if (saved) {
    try {
      return await PGlite.create({ loadDataDir: saved })
    } catch {
      // A damaged or foreign cache: start over from initdb and replace it.
      forgetInMemory()
    }
  }
  const db = await PGlite.create()
  await cache.save(await db.dumpDataDir('gzip'))
  return db
}
