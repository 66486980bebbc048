// Gathers the application code of the previous release (at the base ref, through git) and of this one
// (the working tree), and scans both for the tables and columns they use.
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import picomatch from 'picomatch'
import type { Config } from '../config.js'
import { decodeText } from '../discover/discover.js'
import type { CodeUsage } from '../engine/rule.js'
import type { Git } from '../git.js'
import type { ReleaseBase } from './window.js'
import { scanUsage, type CodeFile } from '../usage/scan.js'
import type { UsageScan } from '../usage/usage.js'

export function scanCodeUsage(
  git: Git,
  root: string,
  config: Config,
  base: ReleaseBase | null,
  /** Migration folders and globs: migrations are not application code, even inside `code` globs. */
  migrations: { folders: readonly string[]; globs?: readonly string[] },
  notes: string[],
): CodeUsage {
  const ignore = codeIgnore(config, migrations)
  // Scanned on first use: most migrations (adds, indexes) never ask, and pre-commit must feel instant.
  const scanBase = once(() => {
    const files = base ? baseCode(git, base.rev, config.code, ignore) : []
    if (base && files.length === 0) {
      notes.push(`No application code matched ${JSON.stringify(config.code)} at ${base.ref}: drops were checked against no previous code. Set "code" in the config.`)
    }
    return noteUnresolved(scanUsage(files), base?.ref ?? 'the base', notes)
  })
  const scanHead = once(() => noteUnresolved(scanUsage(headCode(root, config.code, ignore)), 'the working tree', notes))
  return {
    baseLabel: base?.ref ?? 'the previous release',
    get base() {
      return scanBase()
    },
    get head() {
      return scanHead()
    },
  }
}

function noteUnresolved(scan: UsageScan, where: string, notes: string[]): UsageScan {
  const n = scan.unresolved.length
  if (n) {
    const first = scan.unresolved[0]
    notes.push(
      `${n} quer${n === 1 ? 'y' : 'ies'} in the code at ${where} could not be resolved statically (first: ${first.file}:${first.line}, ${first.reason}); ` +
        'a drop is only proven unused for the queries that were resolved.',
    )
  }
  return scan
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | null = null
  return () => (value ??= { v: compute() }).v
}

function headCode(root: string, globs: readonly string[], ignore: string[]): CodeFile[] {
  return fg
    .sync([...globs], { cwd: root, ignore, onlyFiles: true })
    .sort()
    .map(file => ({ path: file, text: decodeText(fs.readFileSync(path.join(root, file))).text }))
}

/** What is not application code: excluded paths, dependencies, and migrations (even inside `code` globs). */
export function codeIgnore(config: Config, migrations: { folders: readonly string[]; globs?: readonly string[] }): string[] {
  return [...config.exclude, '**/node_modules/**', ...migrations.folders.map(f => `${f}/**`), ...(migrations.globs ?? [])]
}

export function baseCode(git: Git, rev: string, globs: readonly string[], ignore: string[]): CodeFile[] {
  const wanted = picomatch([...globs])
  const skipped = picomatch(ignore)
  const files = git.listFiles(rev).filter(f => wanted(f) && !skipped(f))
  const blobs = git.readBlobs(rev, files)
  return files.filter(f => blobs.has(f)).map(f => ({ path: f, text: decodeText(blobs.get(f)!).text }))
}
