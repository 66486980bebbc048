// Which release we judge (DESIGN §5): the base ref (given with --since, else the newest matching tag),
// the migrations that shipped at the base, and the ones this release adds.
import { insideFolder } from '../discover/at-ref.js'
import { copyMigration } from '../discover/build.js'
import { runnerHistory, type RunnerHistory } from '../discover/runner-history.js'
import { fileStart } from '../engine/lint.js'
import { ruleFinding } from '../engine/rule-finding.js'
import type { Git } from '../git.js'
import type { Finding, Migration, Statement } from '../model.js'
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
  /** Only its formatting changed: its statements parse to the same trees (a note, not an edit). */
  reformatted: boolean
}

export interface ReleaseSplit {
  /** Migrations that shipped at the base, as they were then, in order. */
  shipped: Migration[]
  /** Migrations this release adds, as they are now, in order. */
  added: Migration[]
  /** Shipped migrations whose text changed since (as far as their runner can tell) or that were deleted. */
  edited: ShippedChange[]
  /** Added migrations that sort before the newest shipped one. */
  outOfOrder: { migration: Migration; after: Migration }[]
}

/** The texts of one side (the base ref, or the head); a content id, when there is one, spares reading them. */
export interface SideTexts {
  text(file: string): string | null
  contentId?(file: string): string | undefined
}

/**
 * The release moved its migrations: the folders they were read from at the base, and now. A migration
 * keeps its identity across the move by its path inside its folder (what its runner knows it by), or,
 * when its name changed with the layout, by the content of its up file.
 */
export interface MovedFolders {
  base: readonly string[]
  head: readonly string[]
}

export interface SplitOptions {
  headCoversFolders: boolean
  moved?: MovedFolders
}

export function splitRelease(
  baseMigrations: readonly Migration[],
  headMigrations: readonly Migration[],
  baseTexts: SideTexts,
  headTexts: SideTexts,
  options: SplitOptions,
): ReleaseSplit {
  const moved = options.moved ?? null
  const counterparts = matchShipped(baseMigrations, headMigrations, baseTexts, headTexts, moved)
  const matched = new Set([...counterparts.values()].map(m => m.id))
  const shipped = baseMigrations.map(m => (m.inRelease ? copyMigration(m, { inRelease: false }) : m))
  const added = headMigrations.filter(m => !matched.has(m.id)).map(m => (m.inRelease ? m : copyMigration(m, { inRelease: true })))
  const edited: ShippedChange[] = []
  for (const base of baseMigrations) {
    const head = counterparts.get(base) ?? null
    if (head) {
      const change = compareShipped(base, head, baseTexts, headTexts, moved)
      if (change) edited.push(change)
    } else if (options.headCoversFolders) edited.push({ head: null, base, line: 1, reformatted: false })
  }
  const newestShipped = baseMigrations[baseMigrations.length - 1]
  const headOrder = new Map(headMigrations.map((m, i) => [m.id, i]))
  const newestAt = newestShipped && headOrder.get(counterparts.get(newestShipped)?.id ?? '')
  const outOfOrder =
    newestAt !== undefined ? added.filter(m => (headOrder.get(m.id) ?? Infinity) < newestAt).map(migration => ({ migration, after: newestShipped })) : []
  return { shipped, added, edited, outOfOrder }
}

/** Each shipped migration's version now: the same id; after a move, the same path inside its folder, else the same up file. */
function matchShipped(
  baseMigrations: readonly Migration[],
  headMigrations: readonly Migration[],
  baseTexts: SideTexts,
  headTexts: SideTexts,
  moved: MovedFolders | null,
): Map<Migration, Migration> {
  const baseKey = inFolderKey(moved?.base)
  const headKey = inFolderKey(moved?.head)
  const byKey = new Map(headMigrations.map(m => [headKey(m.id), m]))
  const counterparts = new Map<Migration, Migration>()
  for (const base of baseMigrations) {
    const head = byKey.get(baseKey(base.id))
    if (head) counterparts.set(base, head)
  }
  // A shipped migration found at no path of its own may have moved (a folder renamed, globs that list
  // the old folder and the new one): the same up file, or the same statements, is the same migration.
  if (baseMigrations.every(base => counterparts.has(base))) return counterparts
  const taken = new Set(counterparts.values())
  const byUpFile = new Map<string, Migration>()
  for (const head of headMigrations) {
    const id = headTexts.contentId?.(head.path)
    if (!taken.has(head) && id !== undefined && !byUpFile.has(id)) byUpFile.set(id, head)
  }
  for (const base of baseMigrations) {
    if (counterparts.has(base)) continue
    const id = baseTexts.contentId?.(base.path)
    const head = id === undefined ? undefined : byUpFile.get(id)
    if (!head) continue
    counterparts.set(base, head)
    byUpFile.delete(id!)
  }
  // Renamed with the layout and reformatted on the way (a tool's generated comments): the same statements.
  const paired = new Set(counterparts.values())
  const byStatements = new Map<string, Migration>()
  for (const head of headMigrations) {
    const key = paired.has(head) ? null : statementsKey(head)
    if (key !== null && !byStatements.has(key)) byStatements.set(key, head)
  }
  for (const base of baseMigrations) {
    const key = counterparts.has(base) ? null : statementsKey(base)
    const head = key === null ? undefined : byStatements.get(key)
    if (!head) continue
    counterparts.set(base, head)
    byStatements.delete(key!)
  }
  return counterparts
}

/** What an up does, formatting aside; null when a statement did not parse (or there is none). */
function statementsKey(m: Migration): string | null {
  if (!m.up.length || m.up.some(s => s.ast === null)) return null
  return m.up.map(s => treeText(s.ast!)).join('\n')
}

/** A path inside its folder when the migrations moved; the path itself otherwise. */
function inFolderKey(folders: readonly string[] | undefined): (file: string) => string {
  return folders?.length ? file => insideFolder(file, folders) : file => file
}

function compareShipped(base: Migration, head: Migration, baseTexts: SideTexts, headTexts: SideTexts, moved: MovedFolders | null): ShippedChange | null {
  const baseKey = inFolderKey(moved?.base)
  const headKey = inFolderKey(moved?.head)
  const history = runnerHistory(head.layout)
  for (const [i, source] of base.sources.entries()) {
    // Its file now: the same path, or after a move the same path inside the folder, else the same part (up, down).
    const now =
      head.id === base.id ? source.path : (head.sources.find(s => headKey(s.path) === baseKey(source.path)) ?? head.sources[i])?.path
    const id = baseTexts.contentId?.(source.path)
    if (id !== undefined && now !== undefined && id === headTexts.contentId?.(now)) continue
    const before = baseTexts.text(source.path) ?? ''
    const after = (now !== undefined ? headTexts.text(now) : null) ?? ''
    if (sameForRunner(history, before, after)) continue
    const line = firstDifferentLine(before, after)
    return { head: copyMigration(head, { editedSinceBase: true }), base, line, reformatted: sameStatements(base, head) }
  }
  return null
}

/**
 * Formatting aside (layout of the text, keyword case, comments, quoting that changes nothing), the two
 * migrations send Postgres the same statements, the same way: equal parse trees, locations left out.
 * Needs the parser loaded (loadParser). A statement that does not parse is never proven the same.
 */
export function sameStatements(a: Migration, b: Migration): boolean {
  if (a.loadProblems?.length || b.loadProblems?.length) return false
  if (a.transactional !== b.transactional || a.implicitTransaction !== b.implicitTransaction) return false
  return sameTrees(a.up, b.up) && sameTrees(a.down ?? [], b.down ?? [])
}

function sameTrees(a: readonly Statement[], b: readonly Statement[]): boolean {
  return a.length === b.length && a.every((s, i) => s.inTransaction === b[i].inTransaction && s.ast !== null && b[i].ast !== null && treeText(s.ast) === treeText(b[i].ast))
}

/** Where a node stood in the text is all that formatting changes in a parse tree. */
const LOCATION_KEYS = new Set(['location', 'stmt_location', 'stmt_len', 'name_location'])

const treeText = (ast: NonNullable<Statement['ast']>) => JSON.stringify(ast, (key, value: unknown) => (LOCATION_KEYS.has(key) ? undefined : value))

/**
 * Whether the runner sees the two texts of an applied migration as one: a checksum notices what it
 * covers (Flyway's, every line's content; Prisma's, every byte); without one, white space alone changes
 * nothing it could notice, nor what Postgres runs.
 */
function sameForRunner(history: RunnerHistory, before: string, after: string): boolean {
  if (history.checksum === 'bytes') return before === after
  if (history.checksum === 'lines') return withoutLineBreaks(before) === withoutLineBreaks(after)
  return sameIgnoringWhitespace(before, after)
}

/** Flyway reads a script line by line, without its byte order mark, and sums the lines' content only. */
const withoutLineBreaks = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?|\n/g, '')

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

/** The findings of the window: shipped migrations edited or deleted since the base, added ones sorting before a shipped one. */
export function windowFindings(split: ReleaseSplit, base: ReleaseBase | null, staged: ReadonlySet<string> | null): Finding[] {
  if (!base) return []
  const out: Finding[] = []
  for (const change of split.edited) {
    const file = change.head?.path ?? change.base.path
    if (staged && !staged.has(file)) continue
    const { messageId, data } = editMessage(change, { file, base: base.ref, line: change.line })
    out.push(ruleFinding('edited-released-migration', messageId, data, { ...fileStart(file), line: change.line }, change.base.id))
  }
  for (const { migration, after } of split.outOfOrder) {
    if (staged && !staged.has(migration.path)) continue
    const data = { file: migration.path, shipped: after.path, base: base.ref }
    out.push(ruleFinding('out-of-order-migration', 'outOfOrder', data, fileStart(migration.path), migration.id))
  }
  return out
}

/**
 * What the edit does where the runner meets it (src/discover/runner-history.ts), which sets the
 * finding's weight: a runner that refuses to migrate fails the deploy (error, even for formatting: its
 * checksum covers the text); one that runs no applied migration again leaves environments apart
 * (warning); formatting alone changes nothing Postgres runs (a note); an unknown runner may refuse (error).
 */
function editMessage(change: ShippedChange, where: { file: string; base: string; line: number }): { messageId: string; data: Record<string, string | number> } {
  const { runner, onEdit } = runnerHistory((change.head ?? change.base).layout)
  const data = { ...where, runner }
  if (!change.head) return { messageId: 'deleted', data }
  if (onEdit === 'refuses') {
    const formatting = change.reformatted ? 'only its formatting changed, but ' : ''
    return { messageId: 'edited', data: { ...data, consequence: `${formatting}${runner}'s checksum of the applied script no longer matches, and it refuses to migrate until the file is restored` } }
  }
  if (change.reformatted) {
    const note =
      onEdit === 'warns' ? `, but ${runner}'s checksum changed: it warns that the migration was modified` :
      onEdit === 'ignores' ? `, and ${runner} does not read an applied migration again` :
      '; a runner that checksums applied migrations (Flyway, sqlx) refuses it'
    return { messageId: 'reformatted', data: { ...data, note } }
  }
  if (onEdit === 'unknown') {
    const consequence = 'production will not run it again while fresh databases get the edit, and a runner that checksums applied migrations (Flyway, sqlx) refuses to migrate'
    return { messageId: 'edited', data: { ...data, consequence } }
  }
  const does =
    onEdit === 'warns'
      ? 'only warns that it was modified (migrate dev asks to reset the database) and does not run it again'
      : 'does not run an applied migration again'
  return { messageId: 'editedIgnored', data: { ...data, does } }
}

/** The run's note when no release tag is reachable: what a CI job (or a first release) should do. */
export function noBaseNote(tagPattern: string): string {
  return (
    `No tag matching ${tagPattern} is reachable from HEAD: every migration counts as part of this release, and there is no previous release's code to check against. ` +
    'Tag the commit production runs (`git tag <release> <commit> && git push origin <release>`; "tagPattern" in the config if your tags are named otherwise), ' +
    'and in CI fetch the whole history with its tags (actions/checkout with fetch-depth: 0; GitLab GIT_DEPTH: "0").'
  )
}

/** The run's note when the shipped migrations were read elsewhere than where they are now. */
export function movedNote(base: string, from: readonly string[], source: { folders: readonly string[]; globs?: readonly string[] }): string {
  const then = from.join(', ')
  const where = source.globs?.length
    ? `The "migrations" globs ${JSON.stringify(source.globs)} match nothing at ${base}`
    : `The migrations moved since ${base} (to ${source.folders.join(', ')})`
  return `${where}: the shipped ones were read where they were then, in ${then}; one that moved unchanged is the same migration, not a new one.`
}
