// The usage scan of a set of app files (DESIGN §2 "Usage"). Pure: the caller reads the files (from
// the working tree or at a git ref), so the same code scans the base and the head of a release.
// libpg-query must be loaded first (loadParser()).
import { isCodeFile, mentionsQuery } from './mentions-query.js'
import { activeCache, hashKey } from '../cache/store.js'
import { scanFile, type FileUsage } from './scan-file.js'
import type { UsageScan } from './usage.js'

export interface CodeFile {
  /** Relative to the repository root, `/`-separated: it is what findings show. */
  path: string
  text: string
}

export function scanUsage(files: readonly CodeFile[]): UsageScan {
  const scan: UsageScan = { usages: [], inserts: [], unresolved: [], filesScanned: files.length, filesParsed: 0 }
  const parsed = files.filter(file => isCodeFile(file.path) && mentionsQuery(file.text)).map(file => ({ file, key: hashKey('usage', file.path, file.text) }))
  const packKey = hashKey('usage-scan', ...parsed.map(p => p.key))
  const pack = activeCache().get<Record<string, FileUsage>>('usage', packKey)
  if (pack) for (const [key, found] of Object.entries(pack)) scanned.set(key, found)
  for (const { file, key } of parsed) {
    let found = scanned.get(key)
    if (!found) scanned.set(key, (found = scanFile(file.path, file.text)))
    scan.filesParsed++
    scan.usages.push(...found.usages)
    scan.inserts.push(...found.inserts)
    scan.unresolved.push(...found.unresolved)
  }
  if (!pack) activeCache().set('usage', packKey, Object.fromEntries(parsed.map(({ key }) => [key, scanned.get(key)!])))
  return freezeScan(scan)
}

/**
 * A release run scans the previous release's code and this one's, mostly the same files: each text is
 * scanned once per process. On disk a whole scan is one entry (one file to read or write, not one per
 * app file); reading the base's scan also fills this memo, so the head's scan parses only the files
 * that changed since.
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
