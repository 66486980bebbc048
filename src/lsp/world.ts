// What `migrate-lint lsp` keeps between two checks of an edited migration: the release's base, the
// migrations shipped at it, the code scans (run.ts's Keep), and the texts of the migration files on
// disk. Each check is then runLint over the editor's buffers: discovery lists the folders and builds
// the migrations from texts in memory, and only the release's own migrations are replayed and judged.
import fs from 'node:fs'
import path from 'node:path'
import { rulesById } from '../../rules/index.js'
import type { CacheStore } from '../cache/store.js'
import { loadConfig } from '../config.js'
import { diskReader } from '../discover/discover.js'
import type { FileReader } from '../discover/layouts.js'
import type { CodeUsage } from '../engine/rule.js'
import { runLint, type Keep, type LintOutcome } from '../run.js'
import { gitBlobId } from '../util/git-blob-id.js'

export interface WorldOptions {
  /** The repository root (findRoot), every finding's file is relative to it. */
  root: string
  /** Where the editor opened the workspace: the nearest config is looked for from here up. */
  cwd: string
  configFile?: string
  cache: CacheStore
}

export class ReleaseWorld {
  private readonly kept = new Map<string, unknown>()
  private disk: FileReader
  /** Repository-relative path → the editor's text, for the files open in it. */
  private readonly buffers = new Map<string, string>()
  private gitStamp: string
  /** The config the kept parts were found with, as JSON. */
  private configSeen: string | null = null

  constructor(private readonly options: WorldOptions) {
    this.disk = diskReader(options.root)
    this.gitStamp = this.readGitStamp()
  }

  get root(): string {
    return this.options.root
  }

  setBuffer(file: string, text: string): void {
    this.buffers.set(file, text)
  }

  dropBuffer(file: string): void {
    this.buffers.delete(file)
  }

  /** A file changed on disk (saved, or changed outside the editor): read the migrations again. */
  filesChanged(changed: { codeToo: boolean }): void {
    this.disk = diskReader(this.options.root)
    // The working tree's code scan holds the lines that read a column; a saved code file moves them.
    // Git keeps the index's listing, which the scan of the working tree reads: found again with it.
    if (changed.codeToo) for (const part of ['code', 'git']) this.kept.delete(part)
  }

  /** The code scans of the last check (the base's and the working tree's); null outside git. */
  code(): CodeUsage | null {
    return (this.kept.get('code') as CodeUsage | undefined) ?? null
  }

  async check(): Promise<LintOutcome> {
    // A commit, a checkout or a new tag moves the base and the code: everything kept is stale then.
    const stamp = this.readGitStamp()
    if (stamp !== this.gitStamp) {
      this.gitStamp = stamp
      this.kept.clear()
      this.disk = diskReader(this.options.root)
    }
    const { root, cwd, configFile, cache } = this.options
    // Read at each check, as the CLI does at each run: the config is a file the user edits too.
    const config = loadConfig(root, configFile, new Set(rulesById.keys()), cwd)
    // The tag pattern, the migration folders and the code globs decide the base and the scans.
    const configNow = JSON.stringify(config)
    if (configNow !== this.configSeen) this.kept.clear()
    this.configSeen = configNow
    const keep: Keep = (part, compute) => {
      if (!this.kept.has(part)) this.kept.set(part, compute())
      return this.kept.get(part) as ReturnType<typeof compute>
    }
    // Only the open files are judged: the release's other migrations are replayed (from the cache up to the first open one).
    const judge = new Set(this.buffers.keys())
    try {
      return await runLint({ root, cwd, paths: [], config, cache, keep, judge, reader: withBuffers(this.disk, this.buffers) })
    } catch (error) {
      // A part that failed (a git error, a base that cannot be read) is not kept: the next check tries again.
      this.kept.clear()
      throw error
    }
  }

  /** Where HEAD, the branches and the tags are, from the files git keeps them in (no git process: git status refreshes the index). */
  private readGitStamp(): string {
    const gitDir = path.join(this.options.root, '.git')
    return ['HEAD', 'logs/HEAD', 'packed-refs', 'refs/tags', 'refs/heads']
      .map(part => fs.statSync(path.join(gitDir, part), { throwIfNoEntry: false })?.mtimeMs ?? 0)
      .join(':')
  }
}

/** The disk's texts, with the editor's unsaved buffers in place of their files. */
function withBuffers(disk: FileReader, buffers: ReadonlyMap<string, string>): FileReader {
  return {
    read: file => {
      const text = buffers.get(file)
      return text === undefined ? disk.read(file) : { text, invalidUtf8: false }
    },
    contentId: file => {
      const text = buffers.get(file)
      return text === undefined ? disk.contentId?.(file) : gitBlobId(Buffer.from(text, 'utf8'))
    },
  }
}
