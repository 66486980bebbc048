// Which engine: a server when --database-url is given, else the embedded PGlite. Each is imported only
// when used (PGlite's WASM is large, `pg` is not needed without a URL).
import type { Engine } from './engine.js'

/** `extensions`: what the migrations CREATE EXTENSION; PGlite loads them at start, a server has them or not. */
export async function openEngine(databaseUrl: string | undefined, extensions: readonly string[] = []): Promise<Engine> {
  if (databaseUrl) {
    const { openServer } = await import('./server-engine.js')
    return openServer(databaseUrl)
  }
  const { openPglite } = await import('./pglite-engine.js')
  return openPglite(undefined, extensions)
}
