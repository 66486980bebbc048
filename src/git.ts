// Everything migrate-lint asks of git (DESIGN §1, §5). Blobs at a ref are read through one
// `git cat-file --batch` process per batch of files, never one `git show` per file.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { UsageError } from './util/errors.js'

const MAX_OUTPUT = 1024 * 1024 * 1024

export const DEFAULT_TAG_PATTERN = 'v*'

/** What Git runs, in one place: the early start (EarlyGit.startLint) must ask exactly what the methods ask. */
const ARGS = {
  open: ['rev-parse', '--show-toplevel', '--verify', '--quiet', 'HEAD'],
  resolve: (ref: string) => ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
  latestTag: (pattern: string) => ['describe', '--tags', '--abbrev=0', '--match', pattern, 'HEAD'],
  staged: ['diff', '--cached', '--name-status', '-z', '--no-renames', '--'],
  /** All files, or those under `folders` (ls-tree takes its paths literally, ls-files as pathspecs). */
  listing: (ref: string, folders?: readonly string[]) => {
    const only = folders ? ['--', ...folders.map(f => (ref === '' ? `:(literal)${f}` : f))] : []
    return ref === '' ? ['ls-files', '-s', '-z', ...only] : ['ls-tree', '-r', '-z', ref, ...only]
  },
}

interface Output {
  status: number | null
  stdout: string
  stderr: string
}

export type FileStatus = 'added' | 'modified' | 'deleted'

/**
 * The first git commands of a lint, started while the modules load (they would otherwise run one
 * after the other once the lint begins): Git takes their output instead of running them again. Only
 * the same arguments in the same folder are taken, so a guess that does not come true (a config with
 * another tagPattern) costs one process and nothing else.
 */
export class EarlyGit {
  private readonly outputs = new Map<string, Output>()
  private readonly runs: Promise<unknown>[] = []

  private constructor(private readonly root: string) {}

  /** `folders`: where the migrations are, as far as the command line and the usual folders tell. */
  static startLint(root: string, lint: { staged: boolean; since?: string; folders?: readonly string[] }): EarlyGit {
    const early = new EarlyGit(root)
    early.start(ARGS.open)
    const base = lint.since
      ? early.start(ARGS.resolve(lint.since)).then(o => (o?.status === 0 ? o.stdout.trim() : null))
      : early.start(ARGS.latestTag(DEFAULT_TAG_PATTERN)).then(o => (o?.status === 0 && o.stdout.trim() ? `refs/tags/${o.stdout.trim()}` : null))
    // No usual folder, no folder named: the config's globs will say where (a listing of everything is not guessed).
    const listed = lint.folders?.length !== 0
    if (listed) early.runs.push(base.then(rev => (rev ? early.start(ARGS.listing(rev, lint.folders)) : null)))
    if (lint.staged) {
      early.start(ARGS.staged)
      if (listed) early.start(ARGS.listing('', lint.folders))
    }
    return early
  }

  /** Resolves when every command started (and those started on their output) has finished. */
  async settled(): Promise<void> {
    await Promise.all(this.runs)
  }

  /** The output of `args` run in `cwd`, once; undefined when it was not started (or git could not). */
  take(cwd: string, args: readonly string[]): Output | undefined {
    if (!this.isRoot(cwd)) return undefined
    const key = args.join('\0')
    const output = this.outputs.get(key)
    this.outputs.delete(key)
    return output
  }

  /** Git names the top level by its real path (`/private/tmp/…` for `/tmp/…` on macOS). */
  private isRoot(cwd: string): boolean {
    if (cwd === this.root) return true
    try {
      return fs.realpathSync(cwd) === fs.realpathSync(this.root)
    } catch {
      return false
    }
  }

  private start(args: string[]): Promise<Output | null> {
    const run = new Promise<Output | null>(resolve => {
      const child = spawn('git', args, { cwd: this.root })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.stderr.on('data', (d: Buffer) => err.push(d))
      child.on('error', () => resolve(null))
      child.on('close', status => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }))
    }).then(output => {
      if (output) this.outputs.set(args.join('\0'), output)
      return output
    })
    this.runs.push(run)
    return run
  }
}

/**
 * Git's words when it refuses a repository as not safe to read (CVE-2022-24765: owned by another user,
 * common in CI containers), with the fix it proposes; null for any other failure.
 */
export function refusedRepository(stderr: string): string | null {
  const reason = /detected dubious ownership in repository at '([^']*)'/.exec(stderr)
  if (!reason) return null
  return (
    `git refuses to read the repository: ${reason[0]} (it belongs to another user than the one running migrate-lint). ` +
    `If you trust it: git config --global --add safe.directory ${reason[1]}`
  )
}

/**
 * False when git certainly finds no repository from `cwd`, so that a folder outside git costs no process
 * (≈ 10–25 ms). Git looks for one by walking up from the real path of its folder: a `.git` (a folder, or
 * the file of a worktree or submodule) or the folder itself being a bare repository (a `HEAD`), unless
 * GIT_DIR names one (GIT_WORK_TREE goes with it). Whatever could make git find one goes to git, which
 * decides (GIT_CEILING_DIRECTORIES and GIT_DISCOVERY_ACROSS_FILESYSTEM only stop its walk earlier).
 */
export function mayFindRepository(cwd: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GIT_DIR !== undefined || env.GIT_WORK_TREE !== undefined) return true
  let dir: string
  try {
    dir = fs.realpathSync(cwd)
  } catch {
    return true
  }
  const present = (name: string) => {
    try {
      return fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false }) !== undefined
    } catch {
      return true // unreadable: git decides
    }
  }
  for (;;) {
    if (present('.git') || present('HEAD')) return true
    const parent = path.dirname(dir)
    if (parent === dir) return false
    dir = parent
  }
}

/** The first line git wrote to stderr says why; without one, `otherwise` does. */
function failed(args: readonly string[], stderr: string, otherwise: string): UsageError {
  return new UsageError(`git ${args[0]} failed: ${stderr.trim().split('\n')[0] || otherwise}`)
}

export class Git {
  /** Blob contents by object id: a blob is immutable, and base and head share most of them. */
  private readonly blobCache = new Map<string, Buffer>()
  /** Listings by ref and folders; and by ref, every path any of them listed (what readBlobs looks up). */
  private readonly listings = new Map<string, Map<string, string>>()
  private readonly listed = new Map<string, Map<string, string>>()

  private constructor(
    readonly root: string,
    /** The commit HEAD names; null in a repository without commits. */
    private readonly head: string | null,
    private readonly early: EarlyGit | null,
  ) {}

  /**
   * The repository holding `cwd`, or null outside one (or when git is not installed). A repository git
   * refuses to read (another user's, without safe.directory) is a usage error: taken for "no
   * repository", the run would judge no release and ignore --since and --staged.
   */
  static open(cwd: string, early: EarlyGit | null = null): Git | null {
    const known = early?.take(cwd, ARGS.open)
    // git, spawned below, reads this process's environment.
    if (!known && !mayFindRepository(cwd, process.env)) return null
    // One process for both questions: status 1 with the top level printed means "no commit yet".
    const result = known ?? spawnSync('git', ARGS.open, { cwd, encoding: 'utf8' })
    if ('error' in result && result.error) return null
    if (result.status !== 0 && result.status !== 1) {
      const refusal = refusedRepository(String(result.stderr ?? ''))
      if (refusal) throw new UsageError(refusal)
      return null
    }
    const [root, head] = result.stdout.split('\n')
    if (!root) return null
    return new Git(root, result.status === 0 && head ? head : null, early)
  }

  run(args: string[], input?: string): string {
    const known = input === undefined ? this.early?.take(this.root, args) : undefined
    if (known) {
      if (known.status === 0) return known.stdout
      throw failed(args, known.stderr, `exit status ${known.status}`)
    }
    try {
      return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', input, maxBuffer: MAX_OUTPUT, stdio: ['pipe', 'pipe', 'pipe'] })
    } catch (error) {
      throw failed(args, String((error as { stderr?: string }).stderr ?? ''), (error as Error).message)
    }
  }

  private tryRun(args: string[]): string | null {
    const known = this.early?.take(this.root, args)
    if (known) return known.status === 0 ? known.stdout : null
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
    const sha = this.tryRun(ARGS.resolve(ref))?.trim()
    if (sha) return sha
    const hint = this.isShallow()
      ? 'this clone is shallow: run `git fetch --tags --unshallow` (GitHub Actions: actions/checkout with fetch-depth: 0).'
      : 'check the name (`git tag --list`, `git branch -a`), or fetch it: `git fetch --tags origin`.'
    throw new UsageError(`unknown git ref "${ref}": ${hint}`)
  }

  /** The newest tag matching `pattern` reachable from HEAD, or null when there is none. */
  latestTag(pattern: string): string | null {
    return this.tryRun(ARGS.latestTag(pattern))?.trim() || null
  }

  /**
   * Every file path in the tree of `ref` (repository-relative, `/`-separated), or those under `folders`;
   * '' is the index (`--staged`).
   */
  listFiles(ref: string, folders?: readonly string[]): string[] {
    return [...this.blobIds(ref, folders).keys()]
  }

  /**
   * Tracked files whose working-tree content may differ from the index (git compares stat data, and the
   * contents of racily clean files): the others have the content of their index blob.
   */
  changedInWorktree(): Set<string> {
    return new Set(this.run(['diff-files', '--name-only', '-z']).split('\0').filter(Boolean))
  }

  /**
   * Files staged for the next commit, with what the commit does to them. An index with unmerged paths
   * (a merge, rebase or cherry-pick stopped on a conflict) holds no next commit yet, only the sides of
   * the conflict: judging one of them would judge a commit nobody made.
   */
  stagedChanges(): Map<string, FileStatus> {
    const changes = new Map<string, FileStatus>()
    const unmerged: string[] = []
    const diff = this.run(ARGS.staged).split('\0')
    for (let i = 0; i + 1 < diff.length; i += 2) {
      const status = diff[i]
      if (status === 'U') unmerged.push(diff[i + 1])
      else if (status) changes.set(diff[i + 1], status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified')
    }
    if (unmerged.length) {
      const named = unmerged.length > 3 ? `${unmerged.slice(0, 3).join(', ')} and ${unmerged.length - 3} more` : unmerged.join(', ')
      throw new UsageError(
        `--staged: the index has unmerged files (a conflict in progress): ${named}. ` +
          'Resolve the conflicts and `git add` the files (or abort the merge), then run it again.',
      )
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
    const ids = this.listed.get(ref) ?? this.blobIds(ref)
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
   * Object ids of the blobs at `ref` (or in the index, ''), by path: one listing per ref, folders and
   * run, which answers both which files there are and what to ask cat-file for. A repository holds
   * far more than its migrations: listing only their folders spares reading the rest.
   */
  blobIds(ref: string, folders?: readonly string[]): ReadonlyMap<string, string> {
    const key = `${ref}\0${folders?.join('\0') ?? '*'}`
    let ids = this.listings.get(key)
    if (ids) return ids
    ids = new Map()
    const listing = this.run(ARGS.listing(ref, folders))
    for (const entry of listing.split('\0')) {
      const tab = entry.indexOf('\t')
      if (tab < 0) continue
      // ls-tree: "<mode> blob <id>" (submodules are "commit"), ls-files -s: "<mode> <id> <stage>"
      const fields = entry.slice(0, tab).split(' ')
      const id = ref === '' ? fields[1] : fields[1] === 'blob' ? fields[2] : undefined
      if (id) ids.set(entry.slice(tab + 1), id)
    }
    this.listings.set(key, ids)
    const all = this.listed.get(ref) ?? new Map<string, string>()
    for (const [file, id] of ids) all.set(file, id)
    this.listed.set(ref, all)
    return ids
  }
}
