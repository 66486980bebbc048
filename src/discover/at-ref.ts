// Migrations as they are in a git tree (a commit, or the index for --staged): the same layouts and
// order as on disk, read through one cat-file batch.
import path from 'node:path'
import picomatch from 'picomatch'
import type { Git } from '../git.js'
import type { LayoutName, Migration } from '../model.js'
import { assembleMigrations, type MigrationGroup } from './assemble.js'
import type { KyselyOptions } from './build.js'
import { decodeText } from './discover.js'
import type { FileReader } from './layouts.js'

export interface TreeSource {
  /** Folders (repository-relative) or, when `globs` is set, nothing: the globs pick the files. */
  folders: readonly string[]
  globs?: readonly string[]
  exclude?: readonly string[]
  layout?: LayoutName
  kysely?: KyselyOptions
}

export interface TreeMigrations {
  migrations: Migration[]
  unknownFiles: string[]
  /** Raw file texts by path, to compare versions of a migration. */
  texts: Map<string, string>
}

/** `ref` is a commit id, or '' for the index. Kysely migrations are run from their text at the ref. */
export async function migrationsAtRef(git: Git, ref: string, source: TreeSource): Promise<TreeMigrations> {
  const groups = listGroups(git, ref, source)
  const allFiles = groups.flatMap(g => g.files)
  const blobs = git.readBlobs(ref, allFiles)
  const decoded = new Map([...blobs].map(([file, bytes]) => [file, decodeBlob(bytes)]))
  const reader: FileReader = { read: file => decoded.get(file) ?? { text: '', invalidUtf8: false } }
  const { migrations, unknownFiles } = await assembleMigrations(groups, reader, {
    root: git.root,
    layout: source.layout,
    kysely: source.kysely,
  })
  return { migrations, unknownFiles, texts: new Map([...decoded].map(([file, d]) => [file, d.text])) }
}

/**
 * Blobs are shared between refs (git's blob cache): base and index decode each shared one once, and
 * get the same string, which the parse memo and the text comparisons then find at once.
 */
const decodedBlobs = new WeakMap<Buffer, ReturnType<typeof decodeText>>()

function decodeBlob(bytes: Buffer): ReturnType<typeof decodeText> {
  let decoded = decodedBlobs.get(bytes)
  if (!decoded) decodedBlobs.set(bytes, (decoded = decodeText(bytes)))
  return decoded
}

function listGroups(git: Git, ref: string, source: TreeSource): MigrationGroup[] {
  const files = git.listFiles(ref).filter(inTreeSource(source))
  if (source.globs?.length) return [{ folder: null, files: files.sort() }]
  return source.folders.map(folder => ({
    folder,
    files: files.filter(f => inFolder(f, folder) && !path.posix.basename(f).startsWith('.')).sort(),
  }))
}

/** Whether a repository path lies where migrations are read from (a folder, or the globs) and is not excluded. */
export function inTreeSource(source: TreeSource): (file: string) => boolean {
  const excluded = source.exclude?.length ? picomatch([...source.exclude]) : () => false
  const included = source.globs?.length
    ? picomatch([...source.globs])
    : (file: string) => source.folders.some(folder => inFolder(file, folder))
  return file => included(file) && !excluded(file)
}

const inFolder = (file: string, folder: string) => folder === '.' || file.startsWith(`${folder}/`)
