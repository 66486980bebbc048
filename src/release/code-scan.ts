// Gathers the application code of the previous release (at the base ref, through git) and of this one
// (the working tree), and scans both for the tables and columns they use.
import fs from 'node:fs'
import path from 'node:path'
import picomatch from 'picomatch'
import type { Config } from '../config.js'
import { decodeText, listFiles } from '../discover/discover.js'
import type { CodeUsage, UnestablishedUse, UseQuery } from '../engine/rule.js'
import { labelMentions, unaccountedMentions, type Mention } from '../usage/readers/text-fallback.js'
import { normalizeTable } from '../usage/table-scope.js'
import type { Git } from '../git.js'
import type { ReleaseBase } from './window.js'
import { gitBlobId } from '../util/git-blob-id.js'
import { NO_USAGE_MEMO, scanCodeTree, type CodeFile, type CodeTree, type UsageMemo } from '../usage/scan.js'
import type { UsageScan } from '../usage/usage.js'

export function scanCodeUsage(
  git: Git,
  root: string,
  config: Config,
  base: ReleaseBase | null,
  /** Migration folders and globs: migrations are not application code, even inside `code` globs. */
  migrations: { folders: readonly string[]; globs?: readonly string[] },
  notes: string[],
  memos: CodeScanMemos = {},
): CodeUsage {
  const { recall = (_key, find) => find(), usage = NO_USAGE_MEMO } = memos
  const ignore = codeIgnore(config, migrations)
  // Scanned on first use: most migrations (adds, indexes) never ask, and pre-commit must feel instant.
  const baseTree = once(() => (base ? codeAtRef(git, base.rev, config.code, ignore) : { files: [], texts: () => new Map<string, string>() }))
  const scanBase = once(() => {
    const tree = baseTree()
    if (base && tree.files.length === 0) {
      notes.push(`No application code matched ${JSON.stringify(config.code)} at ${base.ref}: a change that can break old code could not be checked against it. Set "code" in the config.`)
    }
    return noteUnresolved(scanCodeTree(tree, usage), base?.ref ?? 'the base', notes, 'a change they may touch (a table their file names, any table for a computed name) is unproven, not revert-safe.')
  })
  const scanHead = once(() =>
    noteUnresolved(scanCodeTree(headCode(git, root, config.code, ignore), usage), 'the working tree', notes, "a drop is only proven unused by this release's code for the queries that were resolved."),
  )
  const baseLabel = base?.ref ?? 'the previous release'
  return {
    baseLabel,
    get base() {
      return scanBase()
    },
    get head() {
      return scanHead()
    },
    unestablished: query => (base ? unestablishedUses(baseTree(), scanBase(), query, { label: baseLabel, globs: config.code }, recall) : []),
  }
}

/** Where the scans and their answers are kept between runs (the cache layer's, handed in by run.ts); without them, each is found again. */
export interface CodeScanMemos {
  recall?: RecallUses
  usage?: UsageMemo
}

/**
 * The cache layer's side (src/cache/code-memo.ts): `key` names all an answer depends on, the question
 * and the base tree's files by blob id.
 */
export type RecallUses = (key: readonly (string | readonly string[])[], find: () => UnestablishedUse[]) => UnestablishedUse[]

/**
 * Where the previous release's code may use what a change takes away, beyond what the readers
 * established: no code to read at all, a query the readers saw but could not resolve in a file that
 * names the table, or a mention no understood query accounts for (src/usage/readers/text-fallback.ts).
 * The mentions need every file's text: they are kept in the cache by the tree's blob ids and the query.
 */
function unestablishedUses(
  tree: CodeTree,
  scan: UsageScan,
  query: UseQuery,
  base: { label: string; globs: readonly string[] },
  recall: RecallUses,
): UnestablishedUse[] {
  if (tree.files.length === 0) {
    return [{ file: null, line: 0, column: 0, why: `no application code matched ${JSON.stringify(base.globs)} at ${base.label}` }]
  }
  const asked = 'label' in query ? ['label', query.label, ...query.names] : ['use', normalizeTable(query.table), query.column ?? '']
  return recall([asked, tree.files.flatMap(f => [f.path, f.contentId])], () => {
    const texts = tree.texts()
    const files = tree.files.map(f => ({ path: f.path, text: texts.get(f.path) ?? '' }))
    return 'label' in query ? labelMentions(files, query.label, query.names).map(m => asUse(m, 'no reader follows values')) : tableUses(files, scan, query)
  })
}

function tableUses(files: readonly CodeFile[], scan: UsageScan, query: { table: string; column?: string }): UnestablishedUse[] {
  const naming = new Set(unaccountedMentions(files, scan, { table: query.table }).map(m => m.file))
  const table = normalizeTable(query.table)
  const unresolved = scan.unresolved
    .filter(u => u.anyTable || u.table === table || (u.table === undefined && naming.has(u.file)))
    .map(u => ({ file: u.file, line: u.line, column: u.column, why: `a query there could not be resolved (${u.reason})` }))
  return [...unresolved, ...unaccountedMentions(files, scan, query).map(m => asUse(m, 'in code no reader understands'))]
}

function asUse(m: Mention, why: string): UnestablishedUse {
  return { file: m.file, line: m.line, column: m.column, why: `${m.what} ${why}` }
}

function noteUnresolved(scan: UsageScan, where: string, notes: string[], consequence: string): UsageScan {
  const n = scan.unresolved.length
  if (n) {
    const first = scan.unresolved[0]
    notes.push(
      `${n} quer${n === 1 ? 'y' : 'ies'} in the code at ${where} could not be resolved statically (first: ${first.file}:${first.line}, ${first.reason}); ` +
        consequence,
    )
  }
  return scan
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | null = null
  return () => (value ??= { v: compute() }).v
}

/**
 * The working tree's code, each file named as git names it (its blob id), so that it meets the base's
 * scan: a tracked file git finds unchanged since the index has its index blob's id and is not read
 * unless the scan is not in the cache; the others are read and hashed.
 */
function headCode(git: Git, root: string, globs: readonly string[], ignore: string[]): CodeTree {
  const indexed = git.blobIds('')
  const changed = git.changedInWorktree()
  const texts = new Map<string, string>()
  const read = (file: string) => fs.readFileSync(path.join(root, file))
  // Links out of the repository and into folders are not followed, as for the migrations.
  const files = listFiles([...globs], root, ignore, { root, skipped: [] }).map(file => {
    const id = changed.has(file) ? undefined : indexed.get(file)
    if (id) return { path: file, contentId: id }
    const bytes = read(file)
    texts.set(file, decodeText(bytes).text)
    return { path: file, contentId: gitBlobId(bytes) }
  })
  return {
    files,
    texts: () => {
      for (const { path: file } of files) if (!texts.has(file)) texts.set(file, decodeText(read(file)).text)
      return texts
    },
  }
}

/** The code at a commit by blob id; its texts are read only when its scan is not in the cache. */
function codeAtRef(git: Git, rev: string, globs: readonly string[], ignore: string[]): CodeTree {
  const ids = git.blobIds(rev)
  const files = codePaths(git, rev, globs, ignore).map(file => ({ path: file, contentId: ids.get(file)! }))
  // Read once: the usage scan on a miss, then each change the text fallback is asked about.
  return { files, texts: once(() => new Map(codeTexts(git, rev, files.map(f => f.path)).map(f => [f.path, f.text]))) }
}

function codePaths(git: Git, rev: string, globs: readonly string[], ignore: string[]): string[] {
  const wanted = picomatch([...globs])
  const skipped = picomatch(ignore)
  return git.listFiles(rev).filter(f => wanted(f) && !skipped(f))
}

/** What is not application code: excluded paths, dependencies, and migrations (even inside `code` globs). */
export function codeIgnore(config: Config, migrations: { folders: readonly string[]; globs?: readonly string[] }): string[] {
  return [...config.exclude, ...NOT_APPLICATION_CODE, ...migrations.folders.map(f => `${f}/**`), ...(migrations.globs ?? [])]
}

/**
 * Dependencies, build output, tests and type declarations: none of it is code a release runs against
 * its database, for the readers and the text search alike.
 */
const NOT_APPLICATION_CODE = [
  '**/node_modules/**',
  '**/vendor/**',
  '**/dist/**',
  '**/build/**',
  '**/.next/**',
  '**/coverage/**',
  '**/{__tests__,__mocks__,test,tests,spec,e2e}/**',
  '**/*.{test,spec,e2e}.*',
  '**/*_test.go',
  '**/test_*.py',
  '**/*.d.{ts,mts,cts}',
]

export function baseCode(git: Git, rev: string, globs: readonly string[], ignore: string[]): CodeFile[] {
  return codeTexts(git, rev, codePaths(git, rev, globs, ignore))
}

function codeTexts(git: Git, rev: string, files: readonly string[]): CodeFile[] {
  const blobs = git.readBlobs(rev, files)
  return files.filter(f => blobs.has(f)).map(f => ({ path: f, text: decodeText(blobs.get(f)!).text }))
}
