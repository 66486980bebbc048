// From the files of migration folders to ordered Migration values: layouts, order, parsing; Kysely
// files are run in the loader worker on the way. One path for the working tree and for a tree at a
// git ref: files are only ever read through the FileReader.
import path from 'node:path'
import type { LayoutName, Migration } from '../model.js'
import { pushAll } from '../util/push-all.js'
import { captureMigrations, type CaptureMemo } from '../parse/kysely/capture.js'
import { loadParser } from '../parse/sql.js'
import {
  buildKyselyMigration,
  buildSqlMigration,
  DEFAULT_KYSELY_OPTIONS,
  type KyselyMigrationInput,
  type KyselyOptions,
  type SqlMigrationInput,
} from './build.js'
import { classify, detectLayout, isKyselyFile, lazyPart, orderMigrations, splitKysely, type FileReader, type SqlLayout } from './layouts.js'
import { UsageError } from '../util/errors.js'

export interface MigrationGroup {
  /** The folder whose files these are; null when globs picked them. */
  folder: string | null
  files: readonly string[]
  /**
   * Set when the files were named one by one on the command line: each is linted even where it fits no
   * layout of its folder. `siblings` lists the whole folder (for the up of a named down).
   */
  named?: { siblings(): readonly string[] }
}

export interface AssembleOptions {
  /** Repository root: Kysely migrations resolve their imports from their folder under it. */
  root: string
  /** Config `layout`: every folder is read as this layout. */
  layout?: LayoutName
  kysely?: KyselyOptions
  /** Where Kysely captures are kept between runs (src/cache/kysely-memo.ts); without it, each run captures again. */
  captures?: CaptureMemo
}

export interface Assembled {
  migrations: Migration[]
  /** Files in a migrations folder that fit no layout (or a Kysely file that exports no up). */
  unknownFiles: string[]
}

export async function assembleMigrations(groups: readonly MigrationGroup[], reader: FileReader, options: AssembleOptions): Promise<Assembled> {
  const inputs: (SqlMigrationInput | KyselyMigrationInput)[] = []
  const unknownFiles: string[] = []
  // Where each group's migrations start in `inputs`.
  const starts: number[] = []
  for (const group of groups) {
    starts.push(inputs.length)
    if (!group.files.length) continue
    const { kysely, rest } = splitKysely(group.files, group.folder, reader, options.layout)
    pushAll(inputs, kysely)
    if (!rest.length) continue
    if (group.named) {
      pushAll(inputs, namedMigrations(rest, group.named.siblings, reader, options.layout))
      continue
    }
    if (options.layout === 'kysely') {
      pushAll(unknownFiles, rest)
      continue
    }
    const classified = classify(rest, reader, detectLayout(rest, reader, options.layout))
    pushAll(inputs, classified.migrations)
    pushAll(unknownFiles, classified.unknown)
  }
  const inFolder = new Map<string, string>()
  starts.forEach((start, i) => namesInFolder(inputs.slice(start, starts[i + 1] ?? inputs.length).map(m => m.id), inFolder))
  const ordered = orderMigrations(inputs, id => inFolder.get(id) ?? id)
  const kyselyOptions = options.kysely ?? DEFAULT_KYSELY_OPTIONS
  const kyselyInputs = ordered.filter(isKysely)
  const captured = await captureMigrations(kyselyInputs, { root: options.root, timeoutMs: kyselyOptions.timeoutMs, memo: options.captures })
  // Building a Kysely migration parses the SQL it recorded.
  if (kyselyInputs.length) await loadParser()
  const captures = new Map(kyselyInputs.map((input, i) => [input.id, captured[i]]))
  const migrations: Migration[] = []
  for (const input of ordered) {
    const order = migrations.length
    if (!isKysely(input)) {
      migrations.push(buildSqlMigration({ ...input, order }))
      continue
    }
    const capture = captures.get(input.id)!
    // Kysely's provider skips a file that exports no up(): say so instead of guessing.
    if (capture.exports && !capture.exports.up) unknownFiles.push(input.path)
    else migrations.push(buildKyselyMigration({ ...input, order }, capture, kyselyOptions))
  }
  return { migrations, unknownFiles }
}

/**
 * SQL files named one by one on the command line (squawk users pass the changed files:
 * `migrate-lint $(git diff --name-only -- '*.sql')`). In a layout whose down is a file of its own, a
 * named part brings its whole migration, found by name in the folder (the up of a named down, the down
 * of a named up). A named `.sql` file that fits no layout there is linted as a plain SQL migration; any
 * other file that is no part of one cannot be a migration, and saying so beats linting nothing. Files
 * the layout knows (a Drizzle journal, a Prisma lock, a Flyway `.conf`) are read as part of their folder.
 */
function namedMigrations(named: readonly string[], siblings: () => readonly string[], reader: FileReader, forced: LayoutName | undefined): SqlMigrationInput[] {
  const layout = forced === 'kysely' ? null : detectLayout(named, reader, forced)
  // Only these need the folder: detecting a layout from all its files would read every one of them.
  const files = layout && SEPARATE_DOWN.has(layout) ? withPartners(named, siblings(), reader, layout) : named
  const classified = layout ? classify(files, reader, layout) : { migrations: [], unknown: [...named] }
  const wanted = new Set(named)
  const kept = classified.migrations.filter(m => wanted.has(m.up.path) || (m.down !== null && wanted.has(m.down.path)))
  const covered = new Set(kept.flatMap(m => [m.up.path, m.down?.path]))
  const unknown = new Set(classified.unknown)
  const listed = new Set(files)
  const plain: SqlMigrationInput[] = []
  for (const file of named) {
    if (covered.has(file) || (listed.has(file) && !unknown.has(file) && !file.endsWith('.sql'))) continue
    if (!file.endsWith('.sql')) throw new UsageError(`${file}: not a migration. Name .sql files, Kysely migrations (.ts, .js) or their folders.`)
    plain.push({ id: file, layout: 'sql', order: 0, up: lazyPart(file, reader, { inTransaction: false }), down: null })
  }
  return [...kept, ...plain]
}

const SEPARATE_DOWN: ReadonlySet<LayoutName> = new Set(['golang-migrate', 'diesel', 'flyway'])

/**
 * The named files, the other parts of their migrations, and the folder's files the layout reads beside
 * them (a Flyway `.conf`, diesel's `metadata.toml`). The folder is classified by name only: a part
 * names its content by hashing it, which for every file of a large folder costs seconds.
 */
function withPartners(named: readonly string[], siblings: readonly string[], reader: FileReader, layout: SqlLayout): string[] {
  const byName: FileReader = { read: file => reader.read(file), markers: reader.markers && (file => reader.markers!(file)) }
  const folder = siblings.filter(f => !isKyselyFile(f))
  const { migrations, unknown } = classify(folder, byName, layout)
  const wanted = new Set(named)
  const parts = (m: SqlMigrationInput) => [m.up.path, ...(m.down ? [m.down.path] : [])]
  const inMigrations = new Set(migrations.flatMap(parts))
  const others = new Set(unknown)
  const partners = migrations.filter(m => parts(m).some(p => wanted.has(p))).flatMap(parts)
  return [...new Set([...named, ...partners, ...folder.filter(f => !inMigrations.has(f) && !others.has(f))])]
}

/**
 * Each migration's path inside the folder its group's migrations share (`v1.10/x.sql` under
 * `…/versioned`): a folder's name may carry the order (temporal's v1.0 … v1.19), and two folders'
 * flat files still compare by their file names.
 */
function namesInFolder(ids: readonly string[], out: Map<string, string>): void {
  if (!ids.length) return
  let shared = path.posix.dirname(ids[0]).split('/')
  for (const id of ids) {
    const parts = path.posix.dirname(id).split('/')
    let n = 0
    while (n < shared.length && shared[n] === parts[n]) n++
    if (n < shared.length) shared = shared.slice(0, n)
  }
  const prefix = shared.length && shared[0] !== '.' ? `${shared.join('/')}/` : ''
  for (const id of ids) out.set(id, id.slice(prefix.length))
}

const isKysely = (input: SqlMigrationInput | KyselyMigrationInput): input is KyselyMigrationInput => input.layout === 'kysely'
