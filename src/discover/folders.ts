// Where migrations are looked for when the config names no globs: the folders given on the command
// line, else the first usual folder that exists. Light on purpose: the CLI asks it before the lint
// loads, to start listing those folders in git (EarlyGit).
import fs from 'node:fs'
import path from 'node:path'

export const DEFAULT_MIGRATION_DIRS = [
  'migrations',
  'db/migrations',
  'database/migrations',
  'sql/migrations',
  'src/migrations',
  'src/db/migrations',
  'supabase/migrations',
  'prisma/migrations',
  // drizzle-kit's default `out` folder.
  'drizzle',
  // Flyway's default location (classpath:db/migration) in a Maven or Gradle project, and as a plain folder.
  'src/main/resources/db/migration',
  'db/migration',
]

export interface MigrationFolders {
  /** Repository-relative, `/`-separated; `.` is the root. */
  folders: string[]
  /** Only folders were named (no single files): a shipped migration missing from them was deleted. */
  coversFolders: boolean
}

/**
 * `base`: the config's folder (repository-relative), under which the usual folders are looked for; a
 * package of a monorepo has its own `migrations/`.
 */
export function migrationFolders(root: string, cwd: string, paths: readonly string[], base = '.'): MigrationFolders {
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/') || '.'
  if (paths.length) {
    const entries = paths.map(p => path.resolve(cwd, p))
    const dirs = entries.map(abs => (isDirectory(abs) ? rel(abs) : rel(path.dirname(abs))))
    return { folders: [...new Set(dirs)], coversFolders: entries.every(isDirectory) }
  }
  const found = usualFolders(base).find(dir => isDirectory(path.join(root, dir)))
  return { folders: found ? [found] : [], coversFolders: true }
}

/** The usual folders under `base`, in the order they are preferred. */
export function usualFolders(base = '.'): readonly string[] {
  return base === '.' ? DEFAULT_MIGRATION_DIRS : DEFAULT_MIGRATION_DIRS.map(dir => `${base}/${dir}`)
}

/**
 * Config `migrations` entries (repository-relative) split in two: a folder on disk is read as the same
 * folder named on the command line (its layout detected), anything else is a glob.
 */
export function migrationEntries(root: string, entries: readonly string[]): { folders: string[]; globs: string[] } {
  const folders: string[] = []
  const globs: string[] = []
  for (const entry of entries) {
    const folder = path.posix.normalize(entry).replace(/\/+$/, '') || '.'
    if (!entry.startsWith('!') && isDirectory(path.join(root, folder))) folders.push(folder)
    else globs.push(entry)
  }
  return { folders, globs }
}

const isDirectory = (abs: string) => fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false

/** Folders holding migrations by name alone, wherever they sit (a monorepo's `db/postgresql/migrations`). */
const MIGRATION_FOLDER_NAME = /^migrations?$/

/**
 * The folders of a tree listing (repository-relative files) that may hold its migrations, in the order
 * auto-detection prefers them: the usual folders first, as on disk, then any other folder named
 * `migrations` or `migration`, shallowest first. Dependencies (`node_modules`) are not the project's.
 */
export function candidateMigrationFolders(files: Iterable<string>): string[] {
  const usual = new Set<string>()
  const named = new Set<string>()
  const defaults = new Set(DEFAULT_MIGRATION_DIRS)
  for (const file of files) {
    const parts = file.split('/')
    if (parts.includes('node_modules')) continue
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/')
      if (defaults.has(folder)) usual.add(folder)
      else if (MIGRATION_FOLDER_NAME.test(parts[depth - 1])) named.add(folder)
    }
  }
  const byDepth = (a: string, b: string) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0)
  return [...DEFAULT_MIGRATION_DIRS.filter(dir => usual.has(dir)), ...[...named].sort(byDepth)]
}
