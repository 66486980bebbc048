// PGlite ships Postgres' contrib extensions (pgcrypto, ltree, pg_trgm, citext, hstore, uuid-ossp, …)
// as modules of their own (@electric-sql/pglite/contrib/<name>) that must be handed to PGlite.create:
// CREATE EXTENSION alone says "not available". verify scans the migrations it replays for CREATE
// EXTENSION first and loads those, and only those (each costs start-up time), before PGlite starts.
// An extension PGlite does not ship stops the replay at its CREATE EXTENSION, with one finding, rather
// than letting every statement that uses it fail after it.
import type { Extension } from '@electric-sql/pglite'
import type { Migration, Statement } from '../model.js'
import { withInner } from '../engine/lint.js'
import { nodeAs } from '../sql/ast.js'
import { refusalOf } from './refusal.js'

export interface ExtensionStatement {
  /** As Postgres names it, lower case: `uuid-ossp`. */
  name: string
  migration: Migration
  statement: Statement
}

/** Each CREATE EXTENSION the migrations run (ups and downs, DO blocks included) that verify would run. */
export function extensionStatements(migrations: readonly Migration[]): ExtensionStatement[] {
  const found: ExtensionStatement[] = []
  for (const migration of migrations) {
    for (const statement of withInner([...migration.up, ...(migration.down ?? [])])) {
      const name = nodeAs(statement.ast, 'CreateExtensionStmt')?.extname?.toLowerCase()
      // One verify refuses to run (file_fdw reaches files) is reported as refused, not loaded.
      if (name && !refusalOf(statement)) found.push({ name, migration, statement })
    }
  }
  return found
}

/** Built into every Postgres, PGlite included: nothing to load. */
const BUILT_IN = new Set(['plpgsql'])

/**
 * PGlite's modules for the extensions named, and the names it does not ship. A name comes from a
 * migration (untrusted): only a plain identifier is looked up, and only under contrib/.
 */
export async function loadPgliteExtensions(names: Iterable<string>): Promise<{ extensions: Record<string, Extension>; missing: Set<string> }> {
  const extensions: Record<string, Extension> = {}
  const missing = new Set<string>()
  for (const name of new Set(names)) {
    if (BUILT_IN.has(name)) continue
    const module = name.replace(/-/g, '_')
    const extension = /^[a-z][a-z0-9_]*$/.test(module) ? await contribModule(module) : null
    if (extension) extensions[module] = extension
    else missing.add(name)
  }
  return { extensions, missing }
}

async function contribModule(module: string): Promise<Extension | null> {
  try {
    const loaded = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, Extension | undefined>
    return loaded[module] ?? null
  } catch {
    return null
  }
}
