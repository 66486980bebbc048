// The SQL parser, libpg-query. It is CommonJS: required, not imported, because an ES import makes Node
// lex its source for named exports at every start (≈ 5 ms of a pre-commit run).
import { createRequire } from 'node:module'
import type * as LibPgQuery from 'libpg-query'

export const { loadModule, parsePlPgSQLSync, parseSync, scanSync } = createRequire(import.meta.url)('libpg-query') as typeof LibPgQuery
