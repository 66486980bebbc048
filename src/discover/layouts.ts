// Which files are migrations, in which layout, and in which order (DESIGN §3). Works on paths and a
// read function only, so the same code serves the working tree and a tree at a git ref.
import path from 'node:path'
import type { LayoutName } from '../model.js'
import { UsageError } from '../util/errors.js'
import { pushAll } from '../util/push-all.js'
import { getter, lazyFields, stateOf } from '../util/lazy-fields.js'
import type { KyselyMigrationInput, SqlMigrationInput, SqlPart } from './build.js'
import { classifyDrizzle, hasBreakpoint, isDrizzleJournal } from './drizzle-layout.js'
import { classifyFlyway, isFlywayScript } from './flyway-layout.js'

export type SqlLayout = Exclude<LayoutName, 'kysely'>
export const SQL_LAYOUTS: readonly SqlLayout[] = ['sql', 'golang-migrate', 'dbmate', 'diesel', 'prisma', 'drizzle', 'flyway', 'supabase']
/** Every value config `layout` takes. */
export const LAYOUTS: readonly LayoutName[] = [...SQL_LAYOUTS, 'kysely']

/** Layouts with no place for a down migration: there is none to write. */
export const LAYOUTS_WITHOUT_DOWN: ReadonlySet<LayoutName> = new Set(['sql', 'prisma', 'drizzle', 'supabase'])

export interface FileText {
  text: string
  invalidUtf8: boolean
}

export interface FileReader {
  read(file: string): FileText
  /** A name for the file's content that is known without reading it (a git blob id); none on disk. */
  contentId?(file: string): string | undefined
  /** What detectLayout looks for in the file's text, when it is known without reading the file. */
  markers?(file: string): TextMarkers | undefined
}

/** The marks in a text that make its folder a Drizzle or a dbmate folder. */
export interface TextMarkers {
  breakpoint: boolean
  dbmateUp: boolean
}

export function textMarkers(text: string): TextMarkers {
  return { breakpoint: hasBreakpoint(text), dbmateUp: DBMATE_UP.test(text) }
}

export interface LayoutResult {
  migrations: SqlMigrationInput[]
  /** Files in a migrations folder that fit no layout: reported once, never guessed at. */
  unknown: string[]
}

/** How the runner treats one file of a migration; the text comes from the reader. */
export type PartShape = Omit<SqlPart, 'path' | 'text' | 'invalidUtf8' | 'contentId'>

/** What one layout's classifier gets: the files, and how to read one of them as a part of a migration. */
export interface LayoutFiles {
  files: readonly string[]
  reader: FileReader
  part(file: string, shape: PartShape): SqlPart
}

const GOLANG = /^(\d+)_(.+)\.(up|down)\.sql$/
/** The runner sends the file (or section) as one query: see runner-transactions.ts. */
const ONE_QUERY: PartShape = { inTransaction: true, detection: 'one-query' }
const VERSIONED_SQL = /^(\d+)[_-].*\.sql$/
const DBMATE_UP = /^--\s*migrate:up\b(.*)$/m
const DIESEL_PART = /^(up|down)\.sql$/
const PRISMA_MIGRATION = 'migration.sql'
const PRISMA_LOCK = 'migration_lock.toml'
// The Supabase CLI's migrateFilePattern: it skips any other file of the folder.
const SUPABASE = /^\d+_.*\.sql$/
const SUPABASE_FOLDER = /(^|\/)supabase\/migrations\//

/** Picks the layout of one folder's files; `forced` comes from config. Folder shapes first, then names, then contents. */
export function detectLayout(files: readonly string[], reader: FileReader, forced?: SqlLayout): SqlLayout {
  if (forced) return forced
  const names = files.map(f => path.posix.basename(f))
  const sql = files.filter(f => f.endsWith('.sql'))
  if (names.some(n => DIESEL_PART.test(n)) && files.some(f => path.posix.dirname(f) !== '.')) return 'diesel'
  // Every SQL file a migration.sql: one folder per migration, as Prisma writes them.
  if (names.includes(PRISMA_LOCK) || (sql.length > 0 && sql.every(f => path.posix.basename(f) === PRISMA_MIGRATION))) return 'prisma'
  if (files.some(f => SUPABASE_FOLDER.test(f))) return 'supabase'
  if (names.some(n => GOLANG.test(n))) return 'golang-migrate'
  if (names.some(isFlywayScript)) return 'flyway'
  if (files.some(isDrizzleJournal)) return 'drizzle'
  const markers = sql.map(f => reader.markers?.(f) ?? textMarkers(reader.read(f).text))
  if (markers.some(m => m.breakpoint)) return 'drizzle'
  if (markers.some(m => m.dbmateUp)) return 'dbmate'
  return 'sql'
}

/** `files` are the paths of one migrations folder (relative to the repository root). */
export function classify(files: readonly string[], reader: FileReader, layout: SqlLayout): LayoutResult {
  const result: LayoutResult = { migrations: [], unknown: [] }
  const part = (file: string, shape: PartShape) => lazyPart(file, reader, shape)
  const take = ({ migrations, unknown }: LayoutResult) => {
    pushAll(result.migrations, migrations)
    pushAll(result.unknown, unknown)
  }
  switch (layout) {
    case 'sql':
      for (const file of files) {
        if (!file.endsWith('.sql')) result.unknown.push(file)
        else result.migrations.push({ id: file, layout, order: 0, up: part(file, { inTransaction: false }), down: null })
      }
      break
    // Runs each file as one pipeline, an implicit transaction (pkg/migration/file.go: "ExecBatch is
    // implicitly transactional"), except the statements it runs alone (runner-transactions.ts).
    case 'supabase':
      for (const file of files) {
        if (!SUPABASE.test(path.posix.basename(file))) result.unknown.push(file)
        else result.migrations.push({ id: file, layout, order: 0, up: part(file, { inTransaction: true, detection: 'supabase' }), down: null })
      }
      break
    // Prisma Migrate splits migration.sql into statements and sends each alone, in autocommit: no
    // transaction (prisma-engines #5767, 2026; before, the file went as one query, an implicit
    // transaction). Folders sort by name, as strings.
    case 'prisma':
      for (const file of files) {
        const name = path.posix.basename(file)
        if (name === PRISMA_LOCK) continue
        if (name !== PRISMA_MIGRATION) result.unknown.push(file)
        else {
          const up = part(file, { inTransaction: false })
          result.migrations.push({ id: path.posix.dirname(file), layout, order: 0, up, down: null, sortBy: 'name' })
        }
      }
      break
    case 'drizzle':
      take(classifyDrizzle({ files, reader, part }))
      break
    case 'flyway':
      take(classifyFlyway({ files, reader, part }))
      break
    // One query per file: an implicit transaction when it holds several statements.
    case 'golang-migrate': {
      // A Set, not files.includes: a folder of 10,000 files took a second to pair.
      const present = new Set(files)
      const downs = new Map<string, string>()
      for (const file of files) {
        const m = GOLANG.exec(path.posix.basename(file))
        if (m?.[3] === 'down') downs.set(file.replace(/\.down\.sql$/, ''), file)
      }
      for (const file of files) {
        const m = GOLANG.exec(path.posix.basename(file))
        if (!m) result.unknown.push(file)
        else if (m[3] === 'up') {
          const down = downs.get(file.replace(/\.up\.sql$/, ''))
          const up = part(file, ONE_QUERY)
          result.migrations.push({ id: file, layout, order: 0, up, down: down ? part(down, ONE_QUERY) : null })
        } else if (!present.has(file.replace(/\.down\.sql$/, '.up.sql'))) result.unknown.push(file)
      }
      break
    }
    case 'dbmate':
      for (const file of files) {
        if (!file.endsWith('.sql')) {
          result.unknown.push(file)
          continue
        }
        const sections = dbmateSections(reader.read(file).text)
        result.migrations.push({
          id: file,
          layout,
          order: 0,
          // transaction:false: dbmate Execs the section as one query, without a BEGIN of its own.
          up: part(file, { ...(sections.up.transaction ? { inTransaction: true } : ONE_QUERY), range: sections.up.range }),
          down: sections.down ? part(file, { ...(sections.down.transaction ? { inTransaction: true } : ONE_QUERY), range: sections.down.range }) : null,
        })
      }
      break
    case 'diesel': {
      const dirs = new Map<string, { up?: string; down?: string; metadata?: string }>()
      for (const file of files) {
        const name = path.posix.basename(file)
        const dir = path.posix.dirname(file)
        const entry = dirs.get(dir) ?? {}
        if (name === 'up.sql') entry.up = file
        else if (name === 'down.sql') entry.down = file
        else if (name === 'metadata.toml') entry.metadata = file
        else {
          result.unknown.push(file)
          continue
        }
        dirs.set(dir, entry)
      }
      for (const [dir, entry] of dirs) {
        if (!entry.up) {
          result.unknown.push(...[entry.down, entry.metadata].filter((f): f is string => Boolean(f)))
          continue
        }
        // run_in_transaction = false: diesel batch_executes the file as one query.
        const inTransaction = !(entry.metadata && /run_in_transaction\s*=\s*false/.test(reader.read(entry.metadata).text))
        const shape = inTransaction ? { inTransaction } : ONE_QUERY
        result.migrations.push({
          id: dir,
          layout,
          order: 0,
          up: part(entry.up, shape),
          down: entry.down ? part(entry.down, shape) : null,
        })
      }
      break
    }
  }
  return result
}

/**
 * The text is read on first use: in a git tree whose blob ids are known, a migration is told apart by
 * its content id, and a shipped one whose schema comes from the cache is never read at all.
 */
export function lazyPart(file: string, reader: FileReader, shape: PartShape): SqlPart {
  return lazyFields({ path: file, ...shape, contentId: reader.contentId?.(file) }, READ, { file, reader }, LAZY_PART_FIELDS) as SqlPart
}

const READ = Symbol('read')
const readOf = (part: SqlPart) => {
  const { file, reader } = stateOf<{ file: string; reader: FileReader }>(part, READ)
  return reader.read(file)
}
const LAZY_PART_FIELDS: PropertyDescriptorMap = {
  text: getter<SqlPart>(function () {
    return readOf(this).text
  }),
  invalidUtf8: getter<SqlPart>(function () {
    return readOf(this).invalidUtf8
  }),
}

interface Section {
  range: { start: number; end: number }
  transaction: boolean
}

/** dbmate: `-- migrate:up [transaction:false]` … `-- migrate:down` … in one file. */
export function dbmateSections(text: string): { up: Section; down: Section | null } {
  const bytes = Buffer.from(text, 'utf8')
  const markers: { kind: 'up' | 'down'; lineStart: number; bodyStart: number; transaction: boolean }[] = []
  const re = /^--\s*migrate:(up|down)\b([^\n]*)$/gm
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lineStart = Buffer.byteLength(text.slice(0, m.index), 'utf8')
    const lineEnd = lineStart + Buffer.byteLength(m[0], 'utf8')
    markers.push({ kind: m[1] as 'up' | 'down', lineStart, bodyStart: lineEnd, transaction: !/transaction:\s*false/.test(m[2]) })
  }
  const sectionOf = (kind: 'up' | 'down'): Section | null => {
    const i = markers.findIndex(m => m.kind === kind)
    if (i < 0) return null
    const end = markers[i + 1]?.lineStart ?? bytes.length
    return { range: { start: markers[i].bodyStart, end }, transaction: markers[i].transaction }
  }
  return { up: sectionOf('up') ?? { range: { start: 0, end: bytes.length }, transaction: true }, down: sectionOf('down') }
}

const KYSELY_FILE = /\.m?[jt]s$/
const DECLARATION = /\.d\.m?ts$/

/** The files Kysely's FileMigrationProvider imports: .ts, .mts, .js, .mjs, not declarations. */
export const isKyselyFile = (file: string): boolean => KYSELY_FILE.test(file) && !DECLARATION.test(file)

/**
 * Takes the Kysely migrations out of one group of files; the rest goes to the SQL layouts. `folder` is
 * the folder the group lists (null for globs): as FileMigrationProvider reads only its folder's own
 * files, scripts in its subfolders (helpers) are not migrations. A folder holding both SQL files and
 * Kysely files is a usage error: no runner reads both, and guessing would lint the wrong thing — unless
 * config `layout` says `kysely`, and the SQL files are then no migrations.
 */
export function splitKysely(
  files: readonly string[],
  folder: string | null,
  reader: FileReader,
  forced?: LayoutName,
): { kysely: KyselyMigrationInput[]; rest: string[] } {
  const isMigration = (file: string) => isKyselyFile(file) && (folder === null || path.posix.dirname(file) === folder)
  const kysely = files.filter(isMigration)
  const rest = files.filter(f => !isMigration(f))
  for (const dir of forced === 'kysely' ? [] : new Set(kysely.map(f => path.posix.dirname(f)))) {
    const sql = rest.find(f => f.endsWith('.sql') && path.posix.dirname(f) === dir)
    if (sql) {
      const ts = kysely.find(f => path.posix.dirname(f) === dir)!
      throw new UsageError(
        `${dir} holds both SQL migrations (${path.posix.basename(sql)}) and Kysely migrations (${path.posix.basename(ts)}). ` +
          'Keep each kind in its own folder and name both (two paths, or two "migrations" globs): they are linted together, ordered by name.',
      )
    }
  }
  return {
    kysely: kysely.map(file => ({ id: file, layout: 'kysely', order: 0, path: file, text: reader.read(file).text })),
    rest,
  }
}

/**
 * Orders migrations as their tools do: by version when every migration has one, else by name. The
 * version is the layout's own when it has one (Flyway's dotted version, Drizzle's journal), else the
 * leading number of the file name (golang-migrate and dbmate parse it as a number: 2_x before 10_x).
 * By name means the path inside the migrations folder (`nameInFolder`; the file name when not given),
 * compared as a person reads versions: v1.9/x.sql before v1.10/x.sql (temporal's versioned folders,
 * applied in version order by its schema tool). Prisma and Kysely's Migrator sort names as plain
 * strings (10_x before 2_x), so a set of them alone keeps that order; SQL and Kysely migrations from
 * two folders sort together.
 */
export function orderMigrations<T extends { id: string; layout?: LayoutName; sortBy?: 'name' | readonly bigint[] }>(
  migrations: readonly T[],
  nameInFolder: (id: string) => string = id => path.posix.basename(id),
): T[] {
  const fileName = (m: T) => {
    const base = path.posix.basename(m.id)
    return m.layout === 'kysely' ? base.slice(0, base.lastIndexOf('.')) : base
  }
  const version = (m: T): readonly bigint[] | undefined => {
    if (m.sortBy !== undefined) return m.sortBy === 'name' ? undefined : m.sortBy
    const leading = /^(\d+)/.exec(fileName(m))?.[1]
    return leading === undefined ? undefined : [BigInt(leading)]
  }
  const plainStrings = migrations.every(m => m.layout === 'kysely' || m.sortBy === 'name')
  // Keys computed once per migration, not once per comparison (10,000 migrations: ≈ 140,000 comparisons).
  const keyed = migrations.map(m => {
    const name = m.layout === 'kysely' ? fileName(m) : nameInFolder(m.id)
    return { m, name, parts: plainStrings ? null : naturalParts(name), version: version(m) }
  })
  const numeric = migrations.length > 0 && !migrations.every(m => m.layout === 'kysely') && keyed.every(k => k.version !== undefined)
  const byName = (a: (typeof keyed)[number], b: (typeof keyed)[number]) =>
    (a.parts && b.parts ? compareNatural(a.parts, b.parts) : 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : a.m.id < b.m.id ? -1 : a.m.id > b.m.id ? 1 : 0)
  return keyed.sort((a, b) => (numeric && compareVersions(a.version!, b.version!)) || byName(a, b)).map(k => k.m)
}

/** `v1.10/x.sql` → ['v', 1n, '.', 10n, '/x.sql']: runs of digits as numbers, the rest as text. */
function naturalParts(name: string): (string | bigint)[] {
  return (name.match(/\d+|\D+/g) ?? []).map(run => (/^\d/.test(run) ? BigInt(run) : run))
}

/** Part by part: numbers as numbers, text as text, a number before text; equal so far, the shorter first. */
function compareNatural(a: readonly (string | bigint)[], b: readonly (string | bigint)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    if (typeof x !== typeof y) return typeof x === 'bigint' ? -1 : 1
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

/** Part by part, as numbers; a missing part counts as 0 (Flyway: 1.10 after 1.9, 2 after 1.10, 1.0 = 1). */
export function compareVersions(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n
    const y = b[i] ?? 0n
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

export const isVersionedSql = (file: string) => VERSIONED_SQL.test(path.posix.basename(file))
