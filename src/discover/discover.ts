// Finds the migration files on disk: CLI paths, config globs, or the usual folders.
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import type { LayoutName, Migration } from '../model.js'
import { UsageError } from '../util/errors.js'
import { assembleMigrations, type MigrationGroup } from './assemble.js'
import type { KyselyOptions } from './build.js'
import type { FileReader, FileText } from './layouts.js'
import { gitBlobId } from '../util/git-blob-id.js'
import { DEFAULT_MIGRATION_DIRS } from './folders.js'

export { DEFAULT_MIGRATION_DIRS } from './folders.js'

export interface DiscoverOptions {
  /** Repository root; every path in the result is relative to it, `/`-separated. */
  root: string
  /** Files or folders named on the command line (relative to cwd or absolute). */
  paths: readonly string[]
  cwd: string
  globs?: readonly string[]
  exclude?: readonly string[]
  layout?: LayoutName
  /** How Kysely migrations are run (config `kysely`); defaults apply when absent. */
  kysely?: KyselyOptions
}

export interface Discovered {
  migrations: Migration[]
  unknownFiles: string[]
  /** Where we looked, for messages. */
  sources: string[]
}

/** Async because Kysely migrations are run (in a worker) to see their SQL; SQL files are only parsed. */
export async function discoverMigrations(options: DiscoverOptions): Promise<Discovered> {
  const groups = findGroups(options)
  const { migrations, unknownFiles } = await assembleMigrations(groups, diskReader(options.root), {
    root: options.root,
    layout: options.layout,
    kysely: options.kysely,
  })
  return { migrations, unknownFiles, sources: groups.map(g => g.folder ?? (options.globs ?? []).join(',')) }
}

function findGroups(options: DiscoverOptions): MigrationGroup[] {
  const groups = new Map<string, MigrationGroup>()
  const rel = (abs: string) => path.relative(options.root, abs).split(path.sep).join('/')
  const ignore = [...(options.exclude ?? []), '**/node_modules/**']
  const add = (folder: string, file: string) => {
    const group = groups.get(folder) ?? { folder, files: [] }
    groups.set(folder, { folder, files: [...group.files, file] })
  }
  if (options.paths.length) {
    for (const p of options.paths) {
      const abs = path.resolve(options.cwd, p)
      const stat = fs.statSync(abs, { throwIfNoEntry: false })
      if (!stat) throw new UsageError(`${p}: no such file or folder.`)
      if (stat.isDirectory()) {
        const files = fg.sync('**/*', { cwd: abs, ignore, onlyFiles: true }).sort()
        const folder = rel(abs) || '.'
        groups.set(folder, { folder, files: files.map(f => rel(path.join(abs, f))) })
      } else add(rel(path.dirname(abs)) || '.', rel(abs))
    }
    return [...groups.values()]
  }
  if (options.globs?.length) {
    const files = fg.sync([...options.globs], { cwd: options.root, ignore, onlyFiles: true }).sort()
    if (!files.length) throw new UsageError(`No migration matches the \`migrations\` globs ${JSON.stringify(options.globs)} in ${options.root}.`)
    return [{ folder: null, files }]
  }
  for (const dir of DEFAULT_MIGRATION_DIRS) {
    const abs = path.join(options.root, dir)
    if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) continue
    return [{ folder: dir, files: fg.sync('**/*', { cwd: abs, ignore, onlyFiles: true }).sort().map(f => `${dir}/${f}`) }]
  }
  throw new UsageError(
    `No migrations found: pass a folder (migrate-lint db/migrations) or set "migrations" in migrate-lint.config.json.`,
  )
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
function diskReader(root: string): FileReader {
  const cache = new Map<string, FileText & { id: string }>()
  const entry = (file: string) => {
    let found = cache.get(file)
    if (!found) {
      const bytes = fs.readFileSync(path.join(root, file))
      cache.set(file, (found = { ...decodeText(bytes), id: gitBlobId(bytes) }))
    }
    return found
  }
  return { read: entry, contentId: file => entry(file).id }
}
