// The linter's loader runs a pull request's Kysely migrations, which are untrusted code: in a child
// process of its own, under Node's permission model, never in a thread of the linter. What it may do:
// - read the folders it needs (this package, the node_modules folders imports resolve from, the
//   folder the ES module bundles are written to by the main process); nothing else, so no source
//   file, .env or home folder is read, and nothing at all is written;
// - no child processes, no worker threads, no native addons, no inspector (the permission model's
//   defaults once it is on); an empty environment, so there is no secret to read;
// - a memory cap on all of the process (the resident set, read from /proc: Buffers count, not only
//   the heap; Node and Kysely themselves take ≈ 55 MB of it) and a hard kill at the time limit, which
//   also ends a blocking call.
// Node 20 has no switch for the network: a migration may open a socket, but has nothing to send that
// the pull request does not already hold.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoaderChannel } from './loader-channel.js'

export interface SandboxOptions {
  /** Folders (and files) the process may read. */
  reads: readonly string[]
  /** The cap on the process's heap; its resident memory may be RUNTIME_MB more. */
  memoryMb: number
}

/** How often the resident set is read: a loop that allocates 100 MB in a tick overshoots by that much at worst. */
const MEMORY_POLL_MS = 50
const PAGE_BYTES = 4096
/** What Node, this package's code and Kysely hold before any migration runs (≈ 55 MB), and some room. */
const RUNTIME_MB = 128

/** `entry`: the URL of the process's module, without its extension (the way capture.ts names it). */
export function sandboxChannel(options: SandboxOptions, entry: URL): LoaderChannel {
  const script = builtEntry(entry)
  const reads = [...new Set([path.dirname(script), ...options.reads])]
  const args = [
    permissionFlag(),
    ...reads.map(read => `--allow-fs-read=${read}`),
    `--max-old-space-size=${options.memoryMb}`,
    '--no-warnings',
    script,
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: {}, serialization: 'advanced' })
  // What it printed last tells why it could not start; the rest is the migrations' console output.
  let lastError = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (lastError = (lastError + chunk).slice(-2000)))
  let killedFor: string | null = null
  const kill = (reason: string | null) => {
    killedFor ??= reason
    child.kill('SIGKILL')
  }
  const outOfMemory = `it ran out of memory (the loader's limit is ${options.memoryMb} MB of heap, ${options.memoryMb + RUNTIME_MB} MB in all)`
  const watch = setInterval(() => {
    const resident = residentMb(child.pid)
    if (resident !== null && resident > options.memoryMb + RUNTIME_MB) kill(outOfMemory)
  }, MEMORY_POLL_MS)
  watch.unref()

  const goneListeners: ((reason: string) => void)[] = []
  let gone = false
  const goneWith = (reason: string) => {
    clearInterval(watch)
    if (gone) return
    gone = true
    for (const listener of goneListeners) listener(reason)
  }
  child.on('error', error => goneWith(`the loader could not be started: ${error.message}`))
  // 'close', not 'exit': what it sent before it ended has been read by then.
  child.on('close', (code, signal) => goneWith(killedFor ?? exitReason(code, signal, lastError, outOfMemory)))
  return {
    post: message => {
      if (child.connected) child.send(message as never)
    },
    onMessage: listener => void child.on('message', listener),
    onGone: listener => void goneListeners.push(listener),
    terminate: () =>
      new Promise<void>(resolve => {
        if (gone || child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('close', () => resolve())
        kill(null)
      }),
  }
}

/**
 * Built, the entry is a file next to this module's; run from the TypeScript sources (tests), it is the
 * built one too: a process under the permission model cannot load tsx (its hooks start a worker and
 * probe the file system), and the tests build dist/ first (test/global-setup.ts).
 */
function builtEntry(entry: URL): string {
  const own = fileURLToPath(entry)
  if (!import.meta.url.endsWith('.ts')) return `${own}.js`
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
  const name = path.relative(path.join(root, 'src'), own).split(path.sep).join('-')
  const built = path.join(root, 'dist', 'bundle', `${name}.js`)
  if (!fs.existsSync(built)) throw new Error(`${path.relative(root, built)} is missing: run npm run build`)
  return built
}

/** Node 20 calls it --experimental-permission; later versions --permission. */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission'
}

/** Linux's view of the process's resident set; null where there is no /proc (the heap cap still holds). */
function residentMb(pid: number | undefined): number | null {
  if (pid === undefined) return null
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1])
    return Number.isFinite(pages) ? (pages * PAGE_BYTES) / (1024 * 1024) : null
  } catch {
    return null
  }
}

function exitReason(code: number | null, signal: NodeJS.Signals | null, stderr: string, outOfMemory: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) return outOfMemory
  const said = stderr
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .find(line => /^(?:\w*Error|Error \[)/.test(line))
  const how = signal ? `signal ${signal}` : `exit code ${code}`
  return said ? `the loader stopped (${how}): ${said}` : `the loader stopped (${how})`
}
