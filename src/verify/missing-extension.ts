// A migration that creates an extension the engine cannot provide (PGlite ships contrib only: no
// PostGIS, no pgvector): everything after its CREATE EXTENSION would fail for want of its types and
// functions, each failure a finding of its own. verify replays the migrations before that one only, and
// says once, at its CREATE EXTENSION, what it left unrun; the release is then unproven (src/release/verdict.ts), not failed.
import type { Finding, Migration } from '../model.js'
import { ruleFinding } from '../engine/rule-finding.js'
import { withInner } from '../engine/lint.js'
import type { Engine } from './engine.js'
import { extensionStatements } from './pglite-extensions.js'

export interface ExtensionStop {
  /** The migrations before the one that needs the extension. */
  shipped: readonly Migration[]
  added: readonly Migration[]
  /** Whether release migrations were left out: the round trip has no whole release to undo. */
  releaseCut: boolean
  finding: Finding
}

const MISSING_HELP =
  'Nothing to fix in the migration: run `migrate-lint verify --database-url <url>` against a Postgres that has the extension installed ' +
  '(verify makes a throw-away database there), or accept the unproven verdict for this release.'

/** Null when every extension the ups create is there. */
export function stopAtMissingExtension(engine: Engine, shipped: readonly Migration[], added: readonly Migration[]): ExtensionStop | null {
  const missing = engine.missingExtensions
  if (!missing?.size) return null
  const all = [...shipped, ...added]
  const stop = extensionStatements(all).find(e => missing.has(e.name) && withInner(e.migration.up).includes(e.statement))
  if (!stop) return null
  const at = all.indexOf(stop.migration)
  const later = all.slice(at + 1).map(m => m.path)
  const data = {
    engine: engine.label,
    extension: stop.name,
    skipped: later.length
      ? `${stop.migration.path} and the ${later.length} migration${later.length === 1 ? '' : 's'} after it (${later.join(', ')}) were not replayed`
      : `${stop.migration.path} was not replayed`,
  }
  return {
    shipped: shipped.slice(0, Math.min(at, shipped.length)),
    added: added.slice(0, Math.max(0, at - shipped.length)),
    // The stop is in the release, or before it: either way the release is not whole.
    releaseCut: added.length > 0,
    finding: ruleFinding('verify-statement-failed', 'extensionMissing', data, stop.statement.loc, stop.migration.id, MISSING_HELP),
  }
}
