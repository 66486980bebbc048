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

export function scanCodeUsage(
  git: Git,
  root: string,
  config: Config,
  base: ReleaseBase | null,
  migrationFolders: readonly string[],
  notes: string[],
): CodeUsage {
  const ignore = [...config.exclude, '**/node_modules/**', ...migrationFolders.map(f => `${f}/**`)]
  const headFiles = headCode(root, config.code, ignore)
  const baseFiles = base ? baseCode(git, base.sha, config.code, ignore) : []
  const head = scanUsage(headFiles)
  const baseScan = scanUsage(baseFiles)
  if (base && baseFiles.length === 0) {
    notes.push(`No application code matched ${JSON.stringify(config.code)} at ${base.ref}: drops were checked against no previous code. Set "code" in the config.`)
  }
  const unresolved = baseScan.unresolved.length + head.unresolved.length
  if (unresolved) {
    notes.push(`${unresolved} quer${unresolved === 1 ? 'y' : 'ies'} in the code could not be resolved statically (e.g. a table name in a variable); they were not counted.`)
  }
  return { baseLabel: base?.ref ?? 'the previous release', base: baseScan, head }
}

function headCode(root: string, globs: readonly string[], ignore: string[]): CodeFile[] {
  return fg
    .sync([...globs], { cwd: root, ignore, onlyFiles: true })
    .sort()
    .map(file => ({ path: file, text: decodeText(fs.readFileSync(path.join(root, file))).text }))
}

function baseCode(git: Git, sha: string, globs: readonly string[], ignore: string[]): CodeFile[] {
  const wanted = picomatch([...globs])
  const skipped = picomatch(ignore)
  const files = git.listFiles(sha).filter(f => wanted(f) && !skipped(f))
  const blobs = git.readBlobs(sha, files)
  return files.filter(f => blobs.has(f)).map(f => ({ path: f, text: decodeText(blobs.get(f)!).text }))
}
