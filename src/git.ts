// Everything migrate-lint asks of git (DESIGN §1, §5). Blobs at a ref are read through one
// `git cat-file --batch` process per batch of files, never one `git show` per file.
import { execFileSync, spawnSync } from 'node:child_process'
import { UsageError } from './util/errors.js'

const MAX_OUTPUT = 1024 * 1024 * 1024

export type FileStatus = 'added' | 'modified' | 'deleted'

export class Git {
  /** Blob contents by object id: a blob is immutable, and base and head share most of them. */
  private readonly blobCache = new Map<string, Buffer>()
  private readonly listings = new Map<string, Map<string, string>>()

  private constructor(
    readonly root: string,
    /** The commit HEAD names; null in a repository without commits. */
    private readonly head: string | null,
  ) {}

  /** The repository holding `cwd`, or null outside one (or when git is not installed). */
  static open(cwd: string): Git | null {
    // One process for both questions: status 1 with the top level printed means "no commit yet".
    const result = spawnSync('git', ['rev-parse', '--show-toplevel', '--verify', '--quiet', 'HEAD'], { cwd, encoding: 'utf8' })
    if (result.error || (result.status !== 0 && result.status !== 1)) return null
    const [root, head] = result.stdout.split('\n')
    if (!root) return null
    return new Git(root, result.status === 0 && head ? head : null)
  }

  run(args: string[], input?: string): string {
    try {
      return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', input, maxBuffer: MAX_OUTPUT, stdio: ['pipe', 'pipe', 'pipe'] })
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0]
      throw new UsageError(`git ${args[0]} failed: ${stderr || (error as Error).message}`)
    }
  }

  private tryRun(args: string[]): string | null {
    const result = spawnSync('git', args, { cwd: this.root, encoding: 'utf8', maxBuffer: MAX_OUTPUT })
    return result.status === 0 ? result.stdout : null
  }

  isShallow(): boolean {
    return this.tryRun(['rev-parse', '--is-shallow-repository'])?.trim() === 'true'
  }

  hasCommits(): boolean {
    return this.head !== null
  }

  /** The commit a ref names; a ref that does not exist is a usage error with the fix. */
  resolve(ref: string): string {
    const sha = this.tryRun(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])?.trim()
    if (sha) return sha
    const hint = this.isShallow()
      ? 'this clone is shallow: run `git fetch --tags --unshallow` (GitHub Actions: actions/checkout with fetch-depth: 0).'
      : 'check the name (`git tag --list`, `git branch -a`), or fetch it: `git fetch --tags origin`.'
    throw new UsageError(`unknown git ref "${ref}": ${hint}`)
  }

  /** The newest tag matching `pattern` reachable from HEAD, or null when there is none. */
  latestTag(pattern: string): string | null {
    return this.tryRun(['describe', '--tags', '--abbrev=0', '--match', pattern, 'HEAD'])?.trim() || null
  }

  /** Every file path in the tree of `ref` (repository-relative, `/`-separated); '' is the index (`--staged`). */
  listFiles(ref: string): string[] {
    return [...this.blobIds(ref).keys()]
  }

  /** What changed between `base` and the working tree, untracked files included (they are added). */
  changesSince(base: string): Map<string, FileStatus> {
    const changes = new Map<string, FileStatus>()
    const diff = this.run(['diff', '--name-status', '-z', '--no-renames', base, '--']).split('\0')
    for (let i = 0; i + 1 < diff.length; i += 2) {
      const status = diff[i]
      if (status) changes.set(diff[i + 1], status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified')
    }
    for (const file of this.run(['ls-files', '-z', '--others', '--exclude-standard']).split('\0')) {
      if (file) changes.set(file, 'added')
    }
    return changes
  }

  /** Files staged for the next commit, with what the commit does to them. */
  stagedChanges(): Map<string, FileStatus> {
    const changes = new Map<string, FileStatus>()
    const diff = this.run(['diff', '--cached', '--name-status', '-z', '--no-renames', '--']).split('\0')
    for (let i = 0; i + 1 < diff.length; i += 2) {
      const status = diff[i]
      if (status) changes.set(diff[i + 1], status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified')
    }
    return changes
  }

  /**
   * Contents of many files at once: `ref` is a commit, or '' for the index (staged content).
   * Files missing at that ref are absent from the result. Blobs are asked for by object id: git
   * resolves `<ref>:<path>` by walking trees for every file, which is 7x slower on large trees.
   */
  readBlobs(ref: string, files: readonly string[]): Map<string, Buffer> {
    const blobs = new Map<string, Buffer>()
    if (!files.length) return blobs
    const ids = this.blobIds(ref)
    for (const file of files) {
      const known = this.blobCache.get(ids.get(file) ?? '')
      if (known) blobs.set(file, known)
    }
    const wanted = files.filter(f => ids.has(f) && !blobs.has(f))
    if (!wanted.length) return blobs
    const input = wanted.map(f => `${ids.get(f)}\n`).join('')
    const result = spawnSync('git', ['cat-file', '--batch'], { cwd: this.root, input, maxBuffer: MAX_OUTPUT })
    if (result.status !== 0) throw new UsageError(`git cat-file failed: ${String(result.stderr).trim()}`)
    const out = result.stdout
    let at = 0
    for (const file of wanted) {
      const newline = out.indexOf(0x0a, at)
      const header = out.toString('utf8', at, newline)
      at = newline + 1
      if (header.endsWith(' missing')) continue
      const size = Number(header.split(' ')[2])
      const blob = out.subarray(at, at + size)
      blobs.set(file, blob)
      this.blobCache.set(ids.get(file)!, blob)
      at += size + 1
    }
    return blobs
  }

  /**
   * Object ids of every blob at `ref` (or in the index, ''), by path: one listing per ref and run,
   * which answers both which files there are and what to ask cat-file for.
   */
  blobIds(ref: string): ReadonlyMap<string, string> {
    let ids = this.listings.get(ref)
    if (ids) return ids
    ids = new Map()
    const listing = ref === '' ? this.run(['ls-files', '-s', '-z']) : this.run(['ls-tree', '-r', '-z', ref])
    for (const entry of listing.split('\0')) {
      const tab = entry.indexOf('\t')
      if (tab < 0) continue
      // ls-tree: "<mode> blob <id>" (submodules are "commit"), ls-files -s: "<mode> <id> <stage>"
      const fields = entry.slice(0, tab).split(' ')
      const id = ref === '' ? fields[1] : fields[1] === 'blob' ? fields[2] : undefined
      if (id) ids.set(entry.slice(tab + 1), id)
    }
    this.listings.set(ref, ids)
    return ids
  }
}
