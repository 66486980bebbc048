// The usage scan's boundary (usage/scan.ts): a code tree's scan, kept on disk as one entry (one file to
// read or write, not one per app file) by the tree's files and content ids, and the last trees' scans
// whole in this process.
import type { UsageMemo } from '../usage/scan.js'
import type { UsageScan } from '../usage/usage.js'
import { activeCache } from './store.js'
import { fileUsageFromRecord, fileUsageToRecord, type FileUsageRecord } from './usage-record.js'

type PackRecord = [file: string, record: FileUsageRecord, depends?: string][]

export function usageMemo(): UsageMemo {
  return {
    recent: (key, scan) => {
      const seen = recentScans.get(key)
      if (seen) return seen
      const found = scan()
      recentScans.set(key, found)
      // The oldest goes: a long-lived process (the MCP server) sees a new head tree at each edit.
      if (recentScans.size > RECENT_SCANS) recentScans.delete(recentScans.keys().next().value!)
      return found
    },
    recall: key => {
      const pack = activeCache().get<PackRecord>('usage', key)
      if (!pack) return undefined
      try {
        return pack.map(([file, record, depends]) => [file, fileUsageFromRecord(file, record), depends ?? ''] as const)
      } catch {
        return undefined
      }
    },
    keep: (key, pack) =>
      activeCache().set(
        'usage',
        key,
        pack.map(([file, found, depends]): PackRecord[number] => (depends ? [file, fileUsageToRecord(file, found), depends] : [file, fileUsageToRecord(file, found)])),
      ),
  }
}

/**
 * The last trees' scans, whole and frozen: a process that judges release after release (the MCP
 * server) answers the previous release's scan without reading and decoding its cache entry again
 * (≈ 2 MB for 2,000 files of code).
 */
const recentScans = new Map<string, UsageScan>()
const RECENT_SCANS = 4
