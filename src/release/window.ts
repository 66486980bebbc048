// Which release we judge (DESIGN §5): the base ref (given with --since, else the newest matching tag),
// the migrations that shipped at the base, and the ones this release adds.
import { copyMigration } from '../discover/build.js'
import type { Git } from '../git.js'
import type { Migration } from '../model.js'
import { UsageError } from '../util/errors.js'

export interface ReleaseBase {
  /** As the user named it (`v1.4`, `origin/main`). */
  ref: string
  /** What git commands are given for it: the commit id, or for the newest tag its full ref name. */
  rev: string
}

export interface WindowRequest {
  since?: string
  tagPattern: string
}

/** The base of the release, or null when the repository has no matching tag (everything is new). */
export function resolveBase(git: Git, request: WindowRequest): ReleaseBase | null {
  if (request.since) return { ref: request.since, rev: git.resolve(request.since) }
  if (!git.hasCommits()) return null
  // describe found it, so it names a commit: no rev-parse (one git process less before a commit).
  const tag = git.latestTag(request.tagPattern)
  if (tag) return { ref: tag, rev: `refs/tags/${tag}` }
  if (git.isShallow()) {
    throw new UsageError(
      `no tag matching ${request.tagPattern} in this shallow clone: run \`git fetch --tags --unshallow\` (GitHub Actions: actions/checkout with fetch-depth: 0), or pass --since <ref>.`,
    )
  }
  return null
}

export interface ShippedChange {
  /** The migration as it is now (null when it was deleted). */
  head: Migration | null
  base: Migration
  /** First line that differs, in the file as it is now. */
  line: number
}

export interface ReleaseSplit {
  /** Migrations that shipped at the base, as they were then, in order. */
  shipped: Migration[]
  /** Migrations this release adds, as they are now, in order. */
  added: Migration[]
  /** Shipped migrations whose text changed since (whitespace aside) or that were deleted. */
  edited: ShippedChange[]
  /** Added migrations that sort before the newest shipped one. */
  outOfOrder: { migration: Migration; after: Migration }[]
}

/** The texts of one side (the base ref, or the head); a content id, when there is one, spares reading them. */
export interface SideTexts {
  text(file: string): string | null
  contentId?(file: string): string | undefined
}

export function splitRelease(
  baseMigrations: readonly Migration[],
  headMigrations: readonly Migration[],
  baseTexts: SideTexts,
  headTexts: SideTexts,
  options: { headCoversFolders: boolean },
): ReleaseSplit {
  const baseIds = new Map(baseMigrations.map(m => [m.id, m]))
  const headIds = new Map(headMigrations.map(m => [m.id, m]))
  const shipped = baseMigrations.map(m => (m.inRelease ? copyMigration(m, { inRelease: false }) : m))
  const added = headMigrations.filter(m => !baseIds.has(m.id)).map(m => (m.inRelease ? m : copyMigration(m, { inRelease: true })))
  const edited: ShippedChange[] = []
  for (const base of baseMigrations) {
    const head = headIds.get(base.id) ?? null
    if (!head) {
      if (options.headCoversFolders) edited.push({ head: null, base, line: 1 })
      continue
    }
    for (const source of base.sources) {
      const id = baseTexts.contentId?.(source.path)
      if (id !== undefined && id === headTexts.contentId?.(source.path)) continue
      const before = baseTexts.text(source.path) ?? ''
      const now = headTexts.text(source.path) ?? ''
      if (sameIgnoringWhitespace(before, now)) continue
      edited.push({ head: copyMigration(head, { editedSinceBase: true }), base, line: firstDifferentLine(before, now) })
      break
    }
  }
  const newestShipped = baseMigrations[baseMigrations.length - 1]
  const headOrder = new Map(headMigrations.map((m, i) => [m.id, i]))
  const outOfOrder = newestShipped
    ? added.filter(m => sortsBefore(m, newestShipped, headOrder)).map(migration => ({ migration, after: newestShipped }))
    : []
  return { shipped, added, edited, outOfOrder }
}

/** Whitespace-only edits (reformatting, trailing newlines) are not edits of what the migration does. */
export function sameIgnoringWhitespace(a: string, b: string): boolean {
  if (a === b) return true
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim()
}

function firstDifferentLine(before: string, now: string): number {
  const a = before.split('\n').map(l => l.trim())
  const b = now.split('\n').map(l => l.trim())
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return i + 1
  return Math.max(1, b.length)
}

/** Order as the head's migrations are ordered (their `order` is the layout's order). */
function sortsBefore(m: Migration, shipped: Migration, headOrder: ReadonlyMap<string, number>): boolean {
  const pm = headOrder.get(m.id)
  const ps = headOrder.get(shipped.id)
  return ps !== undefined && pm !== undefined && pm < ps
}
