// The usage scan of a set of app files (DESIGN §2 "Usage"). Pure: the caller reads the files (from
// the working tree or at a git ref), so the same code scans the base and the head of a release.
// libpg-query must be loaded first (loadParser()).
import { isCodeFile, mentionsQuery } from './mentions-query.js'
import { activeCache, hashKey } from '../cache/store.js'
import { scanFile, type FileUsage } from './scan-file.js'
import { fileUsageFromRecord, fileUsageToRecord, type FileUsageRecord } from '../cache/usage-record.js'
import type { UsageScan } from './usage.js'

export interface CodeFile {
  /** Relative to the repository root, `/`-separated: it is what findings show. */
  path: string
  text: string
}

/** Code files whose contents are named without reading them (git blob ids), the texts read on a miss. */
export interface CodeTree {
  files: readonly { path: string; contentId: string }[]
  texts(): ReadonlyMap<string, string>
}

/** Texts at hand (tests, one-off scans): each is named by a hash of itself. */
export function scanUsage(files: readonly CodeFile[]): UsageScan {
  const texts = new Map(files.map(f => [f.path, f.text]))
  return scanCodeTree({ files: files.map(f => ({ path: f.path, contentId: hashKey('text', f.text) })), texts: () => texts })
}

/**
 * The scan of a whole code tree is one cache entry, keyed by every file's path and content id: a tree
 * seen before (the previous release's, at every run of --since) is answered without reading a file.
 */
export function scanCodeTree(tree: CodeTree): UsageScan {
  const code = tree.files.filter(f => isCodeFile(f.path))
  const packKey = hashKey('usage-tree', ...code.flatMap(f => [f.path, f.contentId]))
  const keyOf = new Map(code.map(f => [f.path, hashKey('usage', f.path, f.contentId)]))
  const pack = readPack(packKey, keyOf)
  let parsed: string[]
  if (pack) parsed = pack
  else {
    const texts = tree.texts()
    // A file without a query keyword cannot hold a query: it is not parsed.
    parsed = code.map(f => f.path).filter(file => mentionsQuery(texts.get(file) ?? ''))
    for (const file of parsed) {
      const key = keyOf.get(file)!
      if (!scanned.has(key)) scanned.set(key, scanFile(file, texts.get(file) ?? ''))
    }
    activeCache().set('usage', packKey, parsed.map(file => [file, fileUsageToRecord(file, scanned.get(keyOf.get(file)!)!)]))
  }
  const scan: UsageScan = { usages: [], inserts: [], unresolved: [], filesScanned: tree.files.length, filesParsed: parsed.length }
  for (const file of parsed) {
    const found = scanned.get(keyOf.get(file)!)!
    scan.usages.push(...found.usages)
    scan.inserts.push(...found.inserts)
    scan.unresolved.push(...found.unresolved)
  }
  return freezeScan(scan)
}

/** The files of a cached scan that were parsed, their scans put in the memo; null on a miss. */
function readPack(key: string, keyOf: ReadonlyMap<string, string>): string[] | null {
  const pack = activeCache().get<[string, FileUsageRecord][]>('usage', key)
  if (!Array.isArray(pack) || pack.some(entry => !keyOf.has(entry?.[0]))) return null
  let found: FileUsage[]
  try {
    found = pack.map(([file, record]) => fileUsageFromRecord(file, record))
  } catch {
    return null
  }
  pack.forEach(([file], i) => scanned.set(keyOf.get(file)!, found[i]))
  return pack.map(([file]) => file)
}

/**
 * A release run scans the previous release's code and this one's, mostly the same files: each file is
 * scanned once per process, by path and content id. On disk a whole scan is one entry (one file to
 * read or write, not one per app file); reading the base's scan also fills this memo, so the head's
 * scan parses only the files that changed since.
 */
const scanned = new Map<string, FileUsage>()

/** Base and head scans go to many rules: none may change what another reads. */
function freezeScan(scan: UsageScan): UsageScan {
  for (const usage of scan.usages) {
    Object.freeze(usage.loc)
    Object.freeze(usage)
  }
  for (const insert of scan.inserts) {
    Object.freeze(insert.columns)
    Object.freeze(insert.loc)
    Object.freeze(insert)
  }
  for (const item of scan.unresolved) Object.freeze(item)
  Object.freeze(scan.usages)
  Object.freeze(scan.inserts)
  Object.freeze(scan.unresolved)
  return Object.freeze(scan)
}
