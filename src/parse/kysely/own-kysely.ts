// The migration's `import … from 'kysely'` is pointed at this package's own Kysely (CommonJS build),
// the copy the recording database is made with: `sql`, `Kysely` and `NoResultError` must be one
// copy for `instanceof` and builders to agree, whatever version (if any) the user's repo installs.
import { createRequire } from 'node:module'
import type * as Kysely from 'kysely'

const require = createRequire(import.meta.url)

export const ownKysely = require('kysely') as typeof Kysely

/** Resolved once per thread: every migration imports kysely. */
const resolved = new Map<string, string>()

/** Our file for `kysely` or `kysely/<subpath>`; null for any other request. */
export function resolveOwnKysely(request: string): string | null {
  if (request !== 'kysely' && !request.startsWith('kysely/')) return null
  let file = resolved.get(request)
  if (file === undefined) resolved.set(request, (file = require.resolve(request)))
  return file
}
