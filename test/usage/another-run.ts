// A usage scan as the next run of the CLI makes it: a new process (nothing in memory: no file scans,
// no recent trees), the disk cache in `dir`, and the usage memo handed in as run.ts hands it.
import { vi } from 'vitest'
import type { CodeTree } from '../../src/usage/scan.js'
import type { UsageScan } from '../../src/usage/usage.js'

export async function scanInAnotherRun(dir: string): Promise<(tree: CodeTree) => UsageScan> {
  vi.resetModules()
  const store = await import('../../src/cache/store.js')
  store.useCache(new store.DiskCache(dir))
  const { scanCodeTree } = await import('../../src/usage/scan.js')
  const { usageMemo } = await import('../../src/cache/usage-memo.js')
  return tree => scanCodeTree(tree, usageMemo())
}
