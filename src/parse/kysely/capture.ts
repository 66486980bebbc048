// Runs Kysely migrations in the capture process, one after the other, and collects what each one did.
// The migrations are untrusted code: the process is locked down (sandbox-process.ts) and all it says
// is checked (protocol.ts). A migration that hangs or kills the process costs only itself: the
// process is replaced and the others go on. Its down() still gets its own turn in the fresh one.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { importsAny } from './import-requests.js'
import { LoaderThread, type JobOutcome } from './loader-thread.js'
import type { Prepared } from './prepared-module.js'
import type { OwnResolver } from './transpile.js'
import { checkWorkerMessage, type Part, type Problem, type RecordedQuery, type WorkerMessage } from './protocol.js'
import { sandboxChannel } from './sandbox-process.js'

export interface KyselySource {
  /** Repository-relative, `/`-separated: where findings point. */
  path: string
  text: string
}

export interface CaptureOptions {
  /** The repository root: `path` is relative to it, and imports resolve from the file's folder there. */
  root: string
  timeoutMs: number
  /** Memory limit of the capture process (all of it, not only the heap). */
  memoryMb?: number
  /** Where complete captures are kept between runs; without it, each run captures again. */
  memo?: CaptureMemo
}

/**
 * The cache layer's side (src/cache/kysely-memo.ts): a capture by the file's path and text. It is only
 * asked about a file whose text alone decides what it does, and given only complete captures (a
 * timeout may not recur).
 */
export interface CaptureMemo {
  recall(source: KyselySource): Capture | undefined
  keep(source: KyselySource, capture: Capture): void
}

export type Stage = Part | 'module'

export interface Capture {
  path: string
  /** What the module exports; null when importing it failed or did not finish. */
  exports: { up: boolean; down: boolean } | null
  up: RecordedQuery[]
  down: RecordedQuery[]
  problems: { stage: Stage; problem: Problem }[]
}

interface Turn {
  index: number
  parts: Part[]
  prepared?: Prepared
}

const DEFAULT_MEMORY_MB = 512
/**
 * Migrations prepared ahead of the one running. esbuild's service transpiles them in parallel (on
 * the other core) while the process runs: one round trip each, in turn, left it waiting most of the
 * time. Bounded, so that 10,000 transpiled texts are not all held at once.
 */
const PREPARE_AHEAD = 64
/** Jobs the process holds: it goes on to the next without waiting for the main process in between. */
const HANDED_OVER = 16
/**
 * Capture processes side by side. Two gave no gain on 2 cores shared with other work (1,000 and 10,000
 * migrations: the same wall time, more CPU and memory); the main process and esbuild use the other core.
 */
const LANES = 1
/** The capture process's own code, built next to this module. */
const ENTRY = new URL('./capture-process', import.meta.url)

/**
 * What a file with this exact text gave, for the life of the process: a release run loads the
 * migrations at the base ref and in the working tree, mostly the same texts (and a hung one would
 * cost its timeout twice). It stays in the stage, unlike the memo between runs: it deduplicates the
 * stage's own work within one process, failed captures and files that import local ones included,
 * which the memo never holds.
 */
const seen = new Map<string, Capture>()

export async function captureMigrations(sources: readonly KyselySource[], options: CaptureOptions): Promise<Capture[]> {
  const keyed = sources.map(source => ({
    source,
    key: JSON.stringify([path.resolve(options.root, source.path), options.timeoutMs, source.text]),
    // Between runs: only what the file's text alone decides.
    kept: options.memo && !importsLocalFiles(source.text) ? options.memo : null,
  }))
  for (const { source, key, kept } of keyed) {
    const stored = seen.has(key) ? undefined : kept?.recall(source)
    if (stored) seen.set(key, stored)
  }
  const missing = keyed.filter(k => !seen.has(k.key))
  const fresh = await captureAll(missing.map(k => k.source), options)
  missing.forEach(({ source, key, kept }, i) => {
    seen.set(key, fresh[i])
    if (kept && !fresh[i].problems.length) kept.keep(source, fresh[i])
  })
  return keyed.map(k => seen.get(k.key)!)
}

/** What a Kysely file does depends on the files it imports too, unless it imports only packages. */
export function importsLocalFiles(text: string): boolean {
  return importsAny(text, request => /^\.{1,2}\//.test(request))
}

async function captureAll(sources: readonly KyselySource[], options: CaptureOptions): Promise<Capture[]> {
  const captures: Capture[] = sources.map(s => ({ path: s.path, exports: null, up: [], down: [], problems: [] }))
  if (!sources.length) return captures
  // The ES module bundles the process imports: written by this process, outside the repository.
  const tempDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-kysely-')))
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB
  const queue: Turn[] = sources.map((_, index) => ({ index, parts: ['up', 'down'] }))
  const files = sources.map(s => path.resolve(options.root, s.path))
  // Loaded here: a lint without Kysely migrations loads neither Kysely nor esbuild.
  const { resolveOwnKysely } = await import('./own-kysely.js')
  const prepared = await preparer(sources.map((s, i) => ({ file: files[i], text: s.text })), tempDir, resolveOwnKysely)
  const reads = [tempDir, ownKyselyFolder(resolveOwnKysely), ...nodeModulesAbove(files)]
  let jobs = 0

  /** One process at a time, each kept HANDED_OVER jobs ahead, until the queue is empty. */
  const lane = async (): Promise<void> => {
    let thread: LoaderThread | null = null
    const handedOver: { turn: Turn; ended: Set<Stage>; outcome: Promise<JobOutcome> }[] = []
    try {
      while (queue.length || handedOver.length) {
        if (!thread) {
          thread = new LoaderThread(sandboxChannel({ reads, memoryMb }, ENTRY), { check: checkWorkerMessage })
          const notStarted = await thread.started()
          if (notStarted) {
            for (const rest of queue.splice(0)) captures[rest.index].problems.push(cutShort(rest.parts.includes('up') ? 'module' : 'down', notStarted))
            break
          }
        }
        while (handedOver.length < HANDED_OVER && queue.length) {
          const turn = queue.shift()!
          turn.prepared ??= await prepared(turn.index)
          if ('error' in turn.prepared) {
            const { error, frame } = turn.prepared
            captures[turn.index].problems.push({ stage: 'module', problem: { kind: 'failed', reason: error, frame } })
            continue
          }
          const job = { type: 'load', job: jobs++, file: files[turn.index], prepared: turn.prepared, parts: turn.parts } as const
          const ended = new Set<Stage>()
          const capture = captures[turn.index]
          handedOver.push({ turn, ended, outcome: thread.run(job, options.timeoutMs, message => apply(capture, message, ended)) })
        }
        if (!handedOver.length) continue
        const { turn, ended, outcome } = handedOver.shift()!
        const result = await outcome
        if (result.done) continue
        await thread.terminate()
        thread = null
        // The jobs behind it never ran: first in line for the next worker.
        queue.unshift(...(result.ran ? [] : [turn]), ...handedOver.splice(0).map(h => h.turn))
        if (!result.ran) continue
        const { index, parts } = turn
        const capture = captures[index]
        const stage: Stage = !ended.has('module') ? 'module' : (parts.find(p => capture.exports?.[p] && !ended.has(p)) ?? parts[0])
        capture.problems.push(cutShort(stage, result.reason))
        if (stage === 'up' && capture.exports?.down && parts.includes('down')) queue.push({ index, parts: ['down'], prepared: turn.prepared })
      }
    } finally {
      await thread?.terminate()
    }
  }

  try {
    await Promise.all(Array.from({ length: LANES }, lane))
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true })
  }
  return captures
}

/** `prepared(i)`, asked for in increasing order, keeps PREPARE_AHEAD more under way. */
async function preparer(
  files: readonly { file: string; text: string }[],
  esmDir: string,
  resolveOwn: OwnResolver,
): Promise<(index: number) => Promise<Prepared>> {
  const { prepareMigration } = await import('./transpile.js')
  const started = new Map<number, Promise<Prepared>>()
  let next = 0
  return index => {
    for (; next < files.length && next <= index + PREPARE_AHEAD; next++) {
      const { file, text } = files[next]
      const esmFile = path.join(esmDir, `${next}-${path.basename(file).replace(/\.[^.]+$/, '')}.mjs`)
      started.set(next, prepareMigration(text, file, esmFile, resolveOwn))
    }
    const result = started.get(index)!
    started.delete(index)
    return result
  }
}

/** The folder of the Kysely the capture process is given (its own code is added by sandbox-process.ts). */
function ownKyselyFolder(resolveOwn: OwnResolver): string {
  const kysely = fs.realpathSync(resolveOwn('kysely')!)
  const parts = kysely.split(path.sep)
  const at = parts.lastIndexOf('kysely')
  return at > 0 ? parts.slice(0, at + 1).join(path.sep) : path.dirname(kysely)
}

/** Every node_modules folder Node looks in for the migrations' package imports, from each one's folder up. */
function nodeModulesAbove(files: readonly string[]): string[] {
  const found = new Set<string>()
  const seen = new Set<string>()
  for (const file of files) {
    for (let dir = path.dirname(file); !seen.has(dir); dir = path.dirname(dir)) {
      seen.add(dir)
      const candidate = path.join(dir, 'node_modules')
      if (fs.existsSync(candidate)) found.add(fs.realpathSync(candidate))
      if (path.dirname(dir) === dir) break
    }
  }
  return [...found]
}

function apply(capture: Capture, message: WorkerMessage, ended: Set<Stage>): void {
  switch (message.type) {
    case 'module':
      ended.add('module')
      capture.exports = message.exports
      break
    case 'query':
      capture[message.part].push(message.query)
      break
    case 'end':
      ended.add(message.part)
      if (message.problem) capture.problems.push({ stage: message.part, problem: message.problem })
      break
    case 'stray':
      capture.problems.push({ stage: message.part, problem: message.problem })
      break
  }
}

const cutShort = (stage: Stage, reason: string) => ({ stage, problem: { kind: 'failed' as const, reason, frame: null } })
