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
  const list = (paths: readonly string[]) => (ref === '' ? git.listIndexFiles(paths) : git.listFiles(ref, paths))
  const excluded = source.exclude?.length ? picomatch([...source.exclude]) : () => false
  if (source.globs?.length) {
    const match = picomatch([...source.globs])
    return [{ folder: null, files: list([]).filter(f => match(f) && !excluded(f)).sort() }]
  }
  return source.folders.map(folder => {
    const inFolder = folder === '.' ? list([]) : list([folder]).filter(f => f.startsWith(`${folder}/`))
    return { folder, files: inFolder.filter(f => !excluded(f) && !path.posix.basename(f).startsWith('.')).sort() }
  })
}
