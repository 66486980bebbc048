// The SQL parser, libpg-query. It is CommonJS: required, not imported, because an ES import makes Node
// lex its source for named exports at every start (≈ 5 ms of a pre-commit run). Required on first use,
// not when this module loads: requiring it reads its 1.7 MB of WASM and compiles it, which a lint
// answered from the cache (nothing parsed) would pay for nothing.
import { createRequire } from 'node:module'
import type * as LibPgQuery from 'libpg-query'

let required: typeof LibPgQuery | undefined
const libPgQuery = () => (required ??= createRequire(import.meta.url)('libpg-query') as typeof LibPgQuery)

export const loadModule: typeof LibPgQuery.loadModule = () => libPgQuery().loadModule()
export const parseSync: typeof LibPgQuery.parseSync = query => libPgQuery().parseSync(query)
export const parsePlPgSQLSync: typeof LibPgQuery.parsePlPgSQLSync = query => libPgQuery().parsePlPgSQLSync(query)
export const scanSync: typeof LibPgQuery.scanSync = query => libPgQuery().scanSync(query)
