// Migrations as they are in a git tree (a commit, or the index for --staged): the same layouts and
// order as on disk. Texts come through cat-file batches, and only when something asks for them.
import path from 'node:path'
import picomatch from 'picomatch'
import type { Git } from '../git.js'
import type { LayoutName, Migration } from '../model.js'
import { assembleMigrations, type MigrationGroup } from './assemble.js'
import type { KyselyOptions } from './build.js'
import type { CaptureMemo } from '../parse/kysely/capture.js'
import { decodeText } from './discover.js'
import { candidateMigrationFolders, usualFolders } from './folders.js'
import { textMarkers, type FileReader, type FileText, type TextMarkers } from './layouts.js'

export interface TreeSource {
  /** Folders (repository-relative), each read with its layout detected. */
  folders: readonly string[]
  /** Globs that pick files besides the folders' (config `migrations`). */
  globs?: readonly string[]
  /** The config's folder (repository-relative): a package's migrations never moved out of its package. */
  within?: string
  exclude?: readonly string[]
  layout?: LayoutName
  kysely?: KyselyOptions
}

export interface TreeMigrations {
  migrations: Migration[]
  unknownFiles: string[]
  /** A file's text at the ref (null when it is not there), to compare versions of a migration. */
  text(file: string): string | null
  /** Its blob id: two equal ids are two equal texts, neither of them read. */
  contentId(file: string): string | undefined
}

export interface RefOptions {
  /** False for the migrations that shipped at a base ref. */
  inRelease?: boolean
  /**
   * The index only: files that change from run to run (the staged ones). The others keep their markers
   * in a pack of their own, as a commit's files do: the next commit attempt reads none of them.
   */
  changing?: ReadonlySet<string>
  /** Where the markers of a tree's files are kept between runs; without it, each run reads them again. */
  markers?: MarkerMemo
  /** Where Kysely captures are kept between runs (src/cache/kysely-memo.ts); without it, each run captures again. */
  captures?: CaptureMemo
}

/** Blob id → bit 1 a Drizzle breakpoint, bit 2 a dbmate `migrate:up`. */
export type MarkerPack = Record<string, number>

/**
 * The cache layer's side (src/cache/marker-memo.ts): a pack is named by the blob ids of the files it
 * describes, which never change, so neither do their markers.
 */
export interface MarkerMemo {
  recall(blobIds: readonly string[]): MarkerPack | undefined
  keep(blobIds: readonly string[], pack: MarkerPack): void
}

/**
 * `ref` is a commit id, or '' for the index. Texts are read on first use, in one batch: a migration is
 * known by its blob id, and a shipped one whose schema comes from the cache is never read. Kysely
 * migrations are run from their text at the ref.
 */
export async function migrationsAtRef(git: Git, ref: string, source: TreeSource, options: RefOptions = {}): Promise<TreeMigrations> {
  const groups = listGroups(git, ref, source)
  const files = groups.flatMap(g => g.files)
  const ids = groups.length ? git.blobIds(ref, listedFolders(source)) : new Map<string, string>()
  // A commit's files keep their markers in a pack (its tree never changes); so do the index's, but for
  // the files that change with each `git add`.
  const packed = ref !== '' ? files : options.changing ? files.filter(f => !options.changing!.has(f)) : null
  const memo = packed && options.markers ? { files: packed, ids: packed.map(f => ids.get(f) ?? ''), store: options.markers } : null
  if (memo) learnMarkers(memo.store.recall(memo.ids))
  const reader = new TreeReader(git, ref, files, ids)
  const { migrations, unknownFiles } = await assembleMigrations(groups, reader, {
    root: git.root,
    layout: source.layout,
    kysely: source.kysely,
    captures: options.captures,
  })
  if (memo && memo.ids.some(id => reader.learned.has(id))) memo.store.keep(memo.ids, markerPack(memo.files, ids))
  if (options.inRelease === false) for (const m of migrations) m.inRelease = false
  return {
    migrations,
    unknownFiles,
    text: file => (ids.has(file) ? reader.read(file).text : null),
    contentId: file => ids.get(file),
  }
}

export interface ShippedMigrations extends TreeMigrations {
  /**
   * Set when the release moved its migrations: `source` holds none at the ref, and these are the folders
   * they were read from there instead; null when they were read where `source` says.
   */
  movedFrom: string[] | null
}

/**
 * The migrations that shipped at `ref`, read where they were then (DESIGN §5: folders move between
 * releases). Where `source` (the head's folders or globs) says, when that holds migrations at the ref;
 * else in the ref's tree, found as auto-detection finds a folder on disk: the usual folders, in their
 * order, then any other folder named `migrations` or `migration` that holds files of the head's
 * migrations (the same blob, or the same path inside the folder). Folders with such files come first:
 * they are where the release moved its migrations from.
 */
export async function shippedMigrationsAtRef(git: Git, ref: string, source: TreeSource, memos: Pick<RefOptions, 'markers' | 'captures'> = {}): Promise<ShippedMigrations> {
  const atSource = await migrationsAtRef(git, ref, source, { ...memos, inRelease: false })
  if (atSource.migrations.length) return { ...atSource, movedFrom: null }
  const tree = git.blobIds(ref)
  const scope = source.within && source.within !== '.' ? source.within : null
  // In a package (config in its folder), its folders are found as at the root of its own repository.
  const inScope = scope ? [...tree.keys()].filter(f => inFolder(f, scope)).map(f => f.slice(scope.length + 1)) : tree.keys()
  const candidates = candidateMigrationFolders(inScope)
    .map(folder => (scope ? `${scope}/${folder}` : folder))
    .filter(folder => !source.folders.includes(folder))
  if (!candidates.length) return { ...atSource, movedFrom: null }
  const evidence = movedFileCounter(git, tree, source)
  const counted = candidates.map(folder => ({ folder, files: evidence(folder) }))
  const withFiles = counted.filter(c => c.files > 0).sort((a, b) => b.files - a.files).map(c => c.folder)
  const usual = new Set<string>(usualFolders(scope ?? '.'))
  // The head's files decide; without any, only a usual folder, as on disk (a `migration` folder of
  // application code is not guessed to hold migrations).
  const tries = withFiles.length ? [outermost(withFiles)] : candidates.filter(f => usual.has(f)).map(f => [f])
  for (const folders of tries) {
    // The config's layout describes the folder of now; the old folder's layout is detected.
    const found = await migrationsAtRef(git, ref, { ...source, folders, globs: undefined, layout: undefined }, { ...memos, inRelease: false })
    if (found.migrations.length) return { ...found, movedFrom: folders }
  }
  return { ...atSource, movedFrom: null }
}

/** How many files of a folder at the ref the index holds under `source`: by blob, or by path inside the folder. */
function movedFileCounter(git: Git, tree: ReadonlyMap<string, string>, source: TreeSource): (folder: string) => number {
  const inSource = inTreeSource(source)
  const now = [...git.blobIds('', listedFolders(source))].filter(([file]) => inSource(file))
  const blobs = new Set(now.map(([, id]) => id))
  const roots = sourceRoots(source)
  const insideNow = new Set(now.map(([file]) => insideFolder(file, roots)))
  // Migration names carry a version (a README of both folders proves nothing).
  const sameName = (inside: string) => /\d/.test(inside) && insideNow.has(inside)
  return folder => {
    let files = 0
    for (const [file, id] of tree) {
      if (inFolder(file, folder) && (blobs.has(id) || sameName(insideFolder(file, [folder])))) files++
    }
    return files
  }
}

/** The folders a source reads: its folders, and where its globs start. */
export function sourceRoots(source: TreeSource): string[] {
  return [...source.folders, ...(source.globs ?? []).map(glob => picomatch.scan(glob).base || '.')]
}

/** A path inside the longest of `folders` that holds it. */
export function insideFolder(file: string, folders: readonly string[]): string {
  const folder = [...folders].sort((a, b) => b.length - a.length).find(f => inFolder(file, f))
  return folder === undefined || folder === '.' ? file : file.slice(folder.length + 1)
}

/** Folders not inside another of the list. */
function outermost(folders: readonly string[]): string[] {
  return folders.filter(f => !folders.some(other => other !== f && inFolder(f, other)))
}

/** What detectLayout looks for, by blob id: a blob never changes, so neither do its markers. */
const knownMarkers = new Map<string, TextMarkers>()

function learnMarkers(pack: MarkerPack | undefined): void {
  if (!pack || typeof pack !== 'object') return
  for (const [id, bits] of Object.entries(pack)) {
    if (typeof bits === 'number') knownMarkers.set(id, { breakpoint: (bits & 1) !== 0, dbmateUp: (bits & 2) !== 0 })
  }
}

function markerPack(files: readonly string[], ids: ReadonlyMap<string, string>): MarkerPack {
  const pack: MarkerPack = {}
  for (const file of files) {
    const id = ids.get(file)
    const markers = id === undefined ? undefined : knownMarkers.get(id)
    if (id !== undefined && markers) pack[id] = (markers.breakpoint ? 1 : 0) | (markers.dbmateUp ? 2 : 0)
  }
  return pack
}

const EMPTY: FileText = { text: '', invalidUtf8: false }

class TreeReader implements FileReader {
  private readonly texts = new Map<string, FileText>()
  /** Blobs whose markers were computed here: no pack held them. */
  readonly learned = new Set<string>()

  constructor(
    private readonly git: Git,
    private readonly ref: string,
    private readonly files: readonly string[],
    private readonly ids: ReadonlyMap<string, string>,
  ) {
    // Files with unknown markers are read now, together: detecting the folder's layout may ask for them.
    const unknown = files.filter(f => !knownMarkers.has(ids.get(f) ?? ''))
    if (unknown.length) this.load(unknown)
  }

  read(file: string): FileText {
    // The first text asked for that was not read brings all the others with it: one git process, not one per file.
    if (!this.texts.has(file) && this.ids.has(file)) this.load([file, ...this.files.filter(f => f !== file && !this.texts.has(f))])
    return this.texts.get(file) ?? EMPTY
  }

  contentId(file: string): string | undefined {
    return this.ids.get(file)
  }

  markers(file: string): TextMarkers | undefined {
    return knownMarkers.get(this.ids.get(file) ?? '')
  }

  private load(files: readonly string[]): void {
    for (const [file, bytes] of this.git.readBlobs(this.ref, files)) {
      const text = decodeBlob(bytes)
      this.texts.set(file, text)
      const id = this.ids.get(file)!
      if (!knownMarkers.has(id)) {
        knownMarkers.set(id, textMarkers(text.text))
        this.learned.add(id)
      }
    }
  }
}

/**
 * Blobs are shared between refs (git's blob cache): base and index decode each shared one once, and
 * get the same string, which a text comparison then finds equal at once.
 */
const decodedBlobs = new WeakMap<Buffer, FileText>()

function decodeBlob(bytes: Buffer): FileText {
  let decoded = decodedBlobs.get(bytes)
  if (!decoded) decodedBlobs.set(bytes, (decoded = decodeText(bytes)))
  return decoded
}

/** Globs may match anywhere: only folders narrow the listing. */
const listedFolders = (source: TreeSource) => (source.globs?.length ? undefined : source.folders)

function listGroups(git: Git, ref: string, source: TreeSource): MigrationGroup[] {
  if (!source.globs?.length && !source.folders.length) return []
  const files = git.listFiles(ref, listedFolders(source)).filter(inTreeSource(source))
  const inAFolder = (f: string) => source.folders.some(folder => inFolder(f, folder))
  const groups: MigrationGroup[] = source.folders.map(folder => ({
    folder,
    files: files.filter(f => inFolder(f, folder) && !path.posix.basename(f).startsWith('.')).sort(),
  }))
  // A file of a folder as well is read once, with its folder (as on disk).
  if (source.globs?.length) groups.push({ folder: null, files: files.filter(f => !inAFolder(f)).sort() })
  return groups
}

/** Whether a repository path lies where migrations are read from (a folder, or the globs) and is not excluded. */
export function inTreeSource(source: TreeSource): (file: string) => boolean {
  const excluded = source.exclude?.length ? picomatch([...source.exclude]) : () => false
  const globbed = source.globs?.length ? picomatch([...source.globs]) : () => false
  const included = (file: string) => globbed(file) || source.folders.some(folder => inFolder(file, folder))
  return file => included(file) && !excluded(file)
}

const inFolder = (file: string, folder: string) => folder === '.' || file.startsWith(`${folder}/`)
