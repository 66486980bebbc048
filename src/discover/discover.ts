// Finds the migration files on disk: CLI paths, config globs, or the usual folders.
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import picomatch from 'picomatch'
import type { LayoutName, Migration } from '../model.js'
import { UsageError } from '../util/errors.js'
import { assembleMigrations, type MigrationGroup } from './assemble.js'
import type { KyselyOptions } from './build.js'
import type { FileReader, FileText } from './layouts.js'
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
  const { migrations, unknownFiles } = await assembleMigrations(groups, options.reader ?? diskReader(options.root), {
    root: options.root,
    layout: options.layout,
    kysely: options.kysely,
  })
  return { migrations, unknownFiles, sources: groups.map(g => g.folder ?? (options.globs ?? []).join(',')), skippedLinks: links.skipped }
}

function findGroups(options: DiscoverOptions, links: LinkCheck): MigrationGroup[] {
  const groups = new Map<string, MigrationGroup>()
  const rel = (abs: string) => path.relative(options.root, abs).split(path.sep).join('/')
  const ignore = [...(options.exclude ?? []), '**/node_modules/**']
  const list = (patterns: string | string[], cwd: string) => listFiles(patterns, cwd, ignore, links)
  // `exclude` is repository-relative; fast-glob's ignore matches paths relative to the folder listed.
  const excluded = picomatch([...(options.exclude ?? [])])
  const listFolder = (abs: string, check: LinkCheck = links) =>
    listFiles('**/*', abs, ['**/node_modules/**'], check).map(f => rel(path.join(abs, f))).filter(f => !excluded(f))
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

/** Reads each file once; names its content as git would, so it compares with a blob at a ref unread. */
export function diskReader(root: string): FileReader {
  const cache = new Map<string, FileText & { id: string }>()
  const entry = (file: string) => {
    let found = cache.get(file)
    if (!found) {
      const bytes = readMigrationFile(root, file)
      cache.set(file, (found = { ...decodeText(bytes), id: gitBlobId(bytes) }))
    }
    return found
  }
  return { read: entry, contentId: file => entry(file).id }
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
