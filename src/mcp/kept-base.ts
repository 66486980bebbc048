// What check_release keeps between calls: the release's base (the newest tag) and the migrations
// shipped at it — run.ts's Keep parts 'base' and 'atBase'. Both follow from git's refs alone, so they
// stay right until a commit, a checkout, a new or moved tag or branch; the working tree's migrations
// and code, which the agent edits between calls, are read again at each call (the code scans come
// from the process's memo of recent trees, src/usage/scan.ts).
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.js'
import type { Keep } from '../run.js'

const KEPT_PARTS = new Set(['base', 'atBase'])

export class KeptBase {
  private readonly kept = new Map<string, unknown>()
  private key = ''

  /**
   * The Keep for one call, or undefined when nothing can be kept: a `since` names a ref that may move
   * without a trace in the refs read here (a fetched remote branch), and a .git that is a file (a
   * worktree, a submodule) keeps its refs elsewhere.
   */
  forCall(root: string, request: { since?: string; paths?: readonly string[] }, config: Config): Keep | undefined {
    const stamp = request.since === undefined ? refsStamp(root) : null
    if (stamp === null) return undefined
    const key = JSON.stringify([stamp, request.paths ?? [], config])
    if (key !== this.key) {
      this.kept.clear()
      this.key = key
    }
    return (part, compute) => {
      if (!KEPT_PARTS.has(part)) return compute()
      if (!this.kept.has(part)) this.kept.set(part, compute())
      return this.kept.get(part) as ReturnType<typeof compute>
    }
  }
}

/**
 * When HEAD, the branches and the tags last moved, from the files and folders git writes them in
 * (a ref is written to a lock file renamed into place: its folder's time moves). Null outside a
 * plain .git folder.
 */
function refsStamp(root: string): string | null {
  const gitDir = path.join(root, '.git')
  if (!fs.statSync(gitDir, { throwIfNoEntry: false })?.isDirectory()) return null
  const times: number[] = []
  for (const part of ['HEAD', 'logs/HEAD', 'packed-refs', 'refs/tags', 'refs/heads']) {
    const stat = fs.statSync(path.join(gitDir, part), { throwIfNoEntry: false })
    times.push(stat?.mtimeMs ?? 0)
    // Tags and branches with a slash (release/1.2) live in folders of their own.
    if (stat?.isDirectory()) for (const sub of fs.readdirSync(path.join(gitDir, part), { recursive: true, withFileTypes: true })) if (sub.isDirectory()) times.push(fs.statSync(path.join(sub.parentPath, sub.name)).mtimeMs)
  }
  return times.join(':')
}
