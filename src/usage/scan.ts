// The usage scan of a set of app files (DESIGN §2 "Usage"). Pure: the caller reads the files (from
// the working tree or at a git ref), so the same code scans the base and the head of a release.
// libpg-query must be loaded first (loadParser()).
import { isCodeFile, mentionsQuery } from './mentions-query.js'
import { scanFile } from './scan-file.js'
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
    const found = scanFile(file.path, file.text)
    scan.usages.push(...found.usages)
    scan.inserts.push(...found.inserts)
    scan.unresolved.push(...found.unresolved)
  }
  return freezeScan(scan)
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
