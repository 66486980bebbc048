// Finds the migration files on disk: CLI paths, config globs, or the usual folders.
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import picomatch from 'picomatch'
import type { LayoutName, Migration } from '../model.js'
import { UsageError } from '../util/errors.js'
import { assembleMigrations, type MigrationGroup } from './assemble.js'
import type { KyselyOptions } from './build.js'
import type { CaptureMemo } from '../parse/kysely/capture.js'
import { textMarkers, type FileReader, type FileText } from './layouts.js'
import { gitBlobId } from '../util/git-blob-id.js'
import { migrationEntries, usualFolders } from './folders.js'
import { CONFIG_FILE, packageKeyIn } from '../config-file.js'

export { DEFAULT_MIGRATION_DIRS } from './folders.js'

export interface DiscoverOptions {
  /** Repository root; every path in the result is relative to it, `/`-separated. */
  root: string
  /** Files or folders named on the command line (relative to cwd or absolute). */
  paths: readonly string[]
  cwd: string
  /** Config `migrations` folders (repository-relative), each read as if named on the command line. */
  folders?: readonly string[]
  globs?: readonly string[]
  /** The config's folder (repository-relative): where the usual folders are looked for. */
  base?: string
  exclude?: readonly string[]
  layout?: LayoutName
  /** How Kysely migrations are run (config `kysely`); defaults apply when absent. */
  kysely?: KyselyOptions
  /** Reads the files instead of the disk (migrate-lint lsp: an editor's unsaved buffer, texts kept between runs). */
  reader?: FileReader
  /** What earlier runs learned about the files (a warm run reads only the files that changed). */
  facts?: FileFactsMemo
  /** Kysely captures of earlier runs (src/cache/kysely-memo.ts): a warm run runs only the migrations that changed. */
  captures?: CaptureMemo
}

/**
 * What a run learned about a migration file it read: its content (as git names it) and its layout
 * markers, valid while the file has the same size, modification and change times and inode.
 */
export type FileFact = [size: number, mtimeMs: number, ctimeMs: number, ino: number, blobId: string, markers: number]

/** The cache layer's side (src/cache/file-facts.ts): the facts of a listing of files, kept between runs. */
export interface FileFactsMemo {
  /** `scope` names where the files were listed (their folders, the globs): the facts of one listing. */
  recall(root: string, scope: readonly string[]): Record<string, FileFact> | undefined
  keep(root: string, scope: readonly string[], facts: Record<string, FileFact>): void
}

export interface Discovered {
  migrations: Migration[]
  unknownFiles: string[]
  /** Where we looked, for messages. */
  sources: string[]
  /** Symbolic links in the migration folders that were not followed (see listFiles). */
  skippedLinks: string[]
}

/** Async because Kysely migrations are run (in a worker) to see their SQL; SQL files are only parsed. */
export async function discoverMigrations(options: DiscoverOptions): Promise<Discovered> {
  const links: LinkCheck = { root: options.root, skipped: [] }
  const groups = findGroups(options, links)
  const files = groups.flatMap(g => g.files)
  const scope = groups.map(g => g.folder ?? `globs ${(options.globs ?? []).join(' ')}`)
  // An editor's reader (migrate-lint lsp) knows its texts; the disk's is told what earlier runs learned.
  const disk = options.reader ? null : diskReader(options.root, options.facts?.recall(options.root, scope))
  const { migrations, unknownFiles } = await assembleMigrations(groups, options.reader ?? disk!, {
    root: options.root,
    layout: options.layout,
    kysely: options.kysely,
    captures: options.captures,
  })
  const learned = disk?.learned(files)
  if (learned) options.facts?.keep(options.root, scope, learned)
  return { migrations, unknownFiles, sources: groups.map(g => g.folder ?? (options.globs ?? []).join(',')), skippedLinks: links.skipped }
}

function findGroups(options: DiscoverOptions, links: LinkCheck): MigrationGroup[] {
  const groups = new Map<string, MigrationGroup>()
  const rel = (abs: string) => path.relative(options.root, abs).split(path.sep).join('/')
  const ignore = [...(options.exclude ?? []), '**/node_modules/**']
  const list = (patterns: string | string[], cwd: string) => listFiles(patterns, cwd, ignore, links)
  // `exclude` is repository-relative; fast-glob's ignore matches paths relative to the folder listed.
  const excluded = options.exclude?.length ? picomatch([...options.exclude]) : null
  const listFolder = (abs: string, check: LinkCheck = links) => {
    const files = listTree(abs, check).map(f => rel(path.join(abs, f)))
    return excluded ? files.filter(f => !excluded(f)) : files
  }
  const addFolder = (abs: string) => {
    const folder = rel(abs) || '.'
    groups.set(folder, { folder, files: listFolder(abs) })
  }
  if (options.paths.length) {
    for (const p of options.paths) {
      const abs = path.resolve(options.cwd, p)
      const stat = fs.statSync(abs, { throwIfNoEntry: false })
      if (!stat) throw new UsageError(`${p}: no such file or folder.`)
      if (stat.isDirectory()) addFolder(abs)
      else {
        const folder = rel(path.dirname(abs)) || '.'
        const group = groups.get(folder)
        // Also named as a folder: the file is one of its files already.
        if (group && !group.named) continue
        const dir = path.dirname(abs)
        // Links in the folder are noted where they are listed for what they are, not for the files next to a named one.
        const siblings = () => listFolder(dir, { root: options.root, skipped: [] })
        groups.set(folder, { folder, files: [...(group?.files ?? []), rel(abs)], named: { siblings } })
      }
    }
    return [...groups.values()]
  }
  // Config entries given as globs that are folders are folders (a caller that passed them unsplit).
  const entries = migrationEntries(options.root, options.globs ?? [])
  for (const folder of [...(options.folders ?? []), ...entries.folders]) addFolder(path.join(options.root, folder))
  if (entries.globs.length) {
    const files = list(entries.globs, options.root)
    if (!files.length) throw new UsageError(`No migration matches the \`migrations\` globs ${JSON.stringify(entries.globs)} in ${options.root}.`)
    // A file of a folder entry as well is read once, with its folder.
    const folders = [...groups.keys()]
    groups.set('', { folder: null, files: files.filter(f => !folders.some(g => g === '.' || f.startsWith(`${g}/`))) })
  }
  if (groups.size) return [...groups.values()]
  for (const dir of usualFolders(options.base)) {
    const abs = path.join(options.root, dir)
    if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) continue
    return [{ folder: dir, files: listFolder(abs) }]
  }
  const nested = (options.base ?? '.') === '.' ? nestedConfigFiles(options.root) : []
  throw new UsageError(
    nested.length
      ? `No migrations found at the repository root, and its packages have configs of their own (${listed(nested)}): run migrate-lint in a package's folder, or with --config <that file>.`
      : `No migrations found: pass a folder (migrate-lint db/migrations) or set "migrations" in migrate-lint.config.json.`,
  )
}

/** The config files of a repository's packages (not the root's own), repository-relative: where a run at the root found nothing. */
function nestedConfigFiles(root: string): string[] {
  const found = fg.sync([`**/${CONFIG_FILE}`, '**/package.json'], { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'] })
  return found.filter(f => f.includes('/') && (path.posix.basename(f) === CONFIG_FILE || packageKeyIn(path.join(root, f)) === true)).sort()
}

function listed(files: readonly string[]): string {
  return files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ')
}

/** Symbolic links found in the migration folders and not followed, for a note. */
export interface LinkCheck {
  root: string
  skipped: string[]
}

/**
 * Files under `cwd`, sorted. Symbolic links to folders are not entered (`loop -> .` would list the
 * folder again at every depth, two such links 2^40 times); a link to a file is read only when its
 * target is a file inside the repository: a pull request cannot make the linter read, and print, what
 * lies outside. For the migrations and for the application code on disk.
 */
export function listFiles(patterns: string | string[], cwd: string, ignore: string[], links: LinkCheck): string[] {
  const entries = fg.sync(patterns, { cwd, ignore, onlyFiles: false, followSymbolicLinks: false, objectMode: true })
  const files: string[] = []
  for (const entry of entries) {
    if (entry.dirent.isFile()) files.push(entry.path)
    else if (entry.dirent.isSymbolicLink()) {
      if (linkedFileInside(path.join(cwd, entry.path), links.root)) files.push(entry.path)
      else links.skipped.push(path.relative(links.root, path.join(cwd, entry.path)).split(path.sep).join('/'))
    }
  }
  return files.sort()
}

/**
 * What listFiles('**' + '/*', dir, ['**' + '/node_modules/**'], links) lists, without fast-glob (its walk and
 * matching were ≈ 40 % of discovering an unchanged folder): no name starting with a dot (fast-glob's
 * `dot: false`), nothing named node_modules (nor under it), folders walked breadth first as fast-glob
 * walks them (the order the skipped links are noted in), links not entered, sorted.
 */
export function listTree(dir: string, links: LinkCheck): string[] {
  const files: string[] = []
  const folders = ['']
  for (let i = 0; i < folders.length; i++) {
    const prefix = folders[i]
    for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
      const file = prefix + entry.name
      if (entry.isDirectory()) folders.push(`${file}/`)
      else if (entry.isFile()) files.push(file)
      else if (entry.isSymbolicLink()) {
        if (linkedFileInside(path.join(dir, file), links.root)) files.push(file)
        else links.skipped.push(path.relative(links.root, path.join(dir, file)).split(path.sep).join('/'))
      }
    }
  }
  return files.sort()
}

function linkedFileInside(link: string, root: string): boolean {
  try {
    const target = fs.realpathSync(link)
    const inside = path.relative(fs.realpathSync(root), target)
    return !inside.startsWith('..') && !path.isAbsolute(inside) && fs.statSync(target).isFile()
  } catch {
    return false
  }
}

/** The note for symbolic links that were not followed; null when there were none. */
export function skippedLinksNote(skipped: readonly string[]): string | null {
  if (!skipped.length) return null
  return `Not followed: symbolic links to a folder, or out of the repository (${listed(skipped)}).`
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function decodeText(bytes: Uint8Array): { text: string; invalidUtf8: boolean } {
  try {
    return { text: utf8.decode(bytes), invalidUtf8: false }
  } catch {
    return { text: Buffer.from(bytes).toString('utf8'), invalidUtf8: true }
  }
}

/**
 * A file whose times are this close to the moment it was read may have been written again within the
 * same tick of the file system's clock, unseen by its stat ("racy clean", as git calls it): its fact is
 * not kept. The kernel stamps files from a clock that lags by a few ms; a file system that keeps whole
 * seconds (FAT: 2 s) needs the wider window.
 */
function racy(stat: fs.Stats, readAt: number): boolean {
  const coarse = stat.mtimeMs % 1000 === 0 && stat.ctimeMs % 1000 === 0
  return Math.max(stat.mtimeMs, stat.ctimeMs) > readAt - (coarse ? 2000 : 50)
}

interface DiskReader extends FileReader {
  /** The facts of `files` when this run read some file that the known facts did not cover; else null. */
  learned(files: readonly string[]): Record<string, FileFact> | null
}

/**
 * Reads each file once; names its content as git would, so it compares with a blob at a ref unread.
 * A file whose stat matches a known fact is named and its markers told without reading it: its text
 * is read only if something asks for it (a warm run asks for none).
 */
export function diskReader(root: string, known?: Record<string, FileFact>): DiskReader {
  const cache = new Map<string, FileText & { id: string; stat: fs.Stats | undefined; readAt: number }>()
  const stats = new Map<string, fs.Stats | undefined>()
  const statOf = (file: string) => {
    if (!stats.has(file)) stats.set(file, fs.statSync(path.join(root, file), { throwIfNoEntry: false }))
    return stats.get(file)
  }
  const fresh = (file: string): FileFact | undefined => {
    const fact = known && Object.hasOwn(known, file) ? known[file] : undefined
    if (!fact) return undefined
    const stat = statOf(file)
    return stat && stat.size === fact[0] && stat.mtimeMs === fact[1] && stat.ctimeMs === fact[2] && stat.ino === fact[3] ? fact : undefined
  }
  const entry = (file: string) => {
    let found = cache.get(file)
    if (!found) {
      // Before reading: a write after the stat makes the fact stale, never the other way round.
      const stat = known ? statOf(file) : fs.statSync(path.join(root, file), { throwIfNoEntry: false })
      const readAt = Date.now()
      const bytes = readMigrationFile(root, file)
      cache.set(file, (found = { ...decodeText(bytes), id: gitBlobId(bytes), stat, readAt }))
    }
    return found
  }
  return {
    read: entry,
    contentId: file => fresh(file)?.[4] ?? entry(file).id,
    markers: file => {
      const fact = fresh(file)
      return fact ? { breakpoint: (fact[5] & 1) !== 0, dbmateUp: (fact[5] & 2) !== 0 } : undefined
    },
    learned: files => {
      const facts: Record<string, FileFact> = {}
      let learnedAny = false
      for (const file of files) {
        const fact = fresh(file)
        if (fact) facts[file] = fact
        const read = fact ? undefined : cache.get(file)
        const stat = read?.stat
        if (!read || !stat || racy(stat, read.readAt)) continue
        const markers = textMarkers(read.text)
        facts[file] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, read.id, (markers.breakpoint ? 1 : 0) | (markers.dbmateUp ? 2 : 0)]
        learnedAny = true
      }
      return learnedAny ? facts : null
    },
  }
}

/**
 * A migration that cannot be read is a usage error naming it: skipped, what it does would go unjudged;
 * as a crash, the user would get a stack instead of the file.
 */
function readMigrationFile(root: string, file: string): Buffer {
  try {
    return fs.readFileSync(path.join(root, file))
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    const why = code ? `${code}: ${message.replace(/^[A-Z]+: /, '').replace(/, (open|read) '.*'$/, '')}` : message
    throw new UsageError(`${file}: cannot read the migration (${why}). Fix its permissions, or leave it out with "exclude" in migrate-lint.config.json.`)
  }
}
