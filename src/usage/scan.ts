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
  for (const file of files) {
    if (!isCodeFile(file.path) || !mentionsQuery(file.text)) continue
    scan.filesParsed++
    const found = scanFileOnce(file.path, file.text)
    scan.usages.push(...found.usages)
    scan.inserts.push(...found.inserts)
    scan.unresolved.push(...found.unresolved)
  }
  return freezeScan(scan)
}

/**
 * A release run scans the previous release's code and this one's, mostly the same files: each text is
 * scanned once per process, and once per build when the disk cache is open (pre-commit runs meet the
 * same base every time).
 */
const scanned = new Map<string, FileUsage>()

function scanFileOnce(path: string, text: string): FileUsage {
  const key = hashKey('usage', path, text)
  let found = scanned.get(key) ?? activeCache().get<FileUsage>('usage', key)
  if (!found) {
    found = scanFile(path, text)
    activeCache().set('usage', key, found)
  }
  scanned.set(key, found)
  return found
}

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
