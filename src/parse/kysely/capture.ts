// Runs Kysely migrations in the loader worker, one after the other, and collects what each one did.
// A migration that hangs or kills the worker costs only itself: the worker is replaced and the
// others go on. Its down() still gets its own turn in the fresh worker.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { activeCache, hashKey } from '../../cache/store.js'
import { LoaderThread } from './loader-thread.js'
import type { Part, Problem, RecordedQuery, WorkerMessage } from './protocol.js'

export interface KyselySource {
  /** Repository-relative, `/`-separated: where findings point. */
  path: string
  text: string
}

export interface CaptureOptions {
  /** The repository root: `path` is relative to it, and imports resolve from the file's folder there. */
  root: string
  timeoutMs: number
  /** Heap limit of the loader worker. */
  memoryMb?: number
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
}

const DEFAULT_MEMORY_MB = 512

/**
 * What a file with this exact text gave, for the life of the process: a release run loads the
 * migrations at the base ref and in the working tree, mostly the same texts (and a hung one would
 * cost its timeout twice).
 */
const seen = new Map<string, Capture>()

export async function captureMigrations(sources: readonly KyselySource[], options: CaptureOptions): Promise<Capture[]> {
  const key = (s: KyselySource) => JSON.stringify([path.resolve(options.root, s.path), options.timeoutMs, s.text])
  // On disk: only what the file's text alone decides, and only complete captures (a timeout may not recur).
  const diskKey = (s: KyselySource) => (importsLocalFiles(s.text) ? null : hashKey('kysely', s.path, s.text))
  for (const s of sources) {
    const stored = seen.has(key(s)) ? undefined : withKey(diskKey(s), k => activeCache().get<Capture>('kysely', k))
    if (stored) seen.set(key(s), stored)
  }
  const missing = sources.filter(s => !seen.has(key(s)))
  const fresh = await captureAll(missing, options)
  missing.forEach((s, i) => {
    seen.set(key(s), fresh[i])
    if (!fresh[i].problems.length) withKey(diskKey(s), k => activeCache().set('kysely', k, fresh[i]))
  })
  return sources.map(s => seen.get(key(s))!)
}

function withKey<T>(key: string | null, use: (key: string) => T): T | undefined {
  return key === null ? undefined : use(key)
}

/** What a Kysely file does depends on the files it imports too, unless it imports only packages. */
export function importsLocalFiles(text: string): boolean {
  return /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s*)['"`]\.{1,2}\//m.test(text)
}

async function captureAll(sources: readonly KyselySource[], options: CaptureOptions): Promise<Capture[]> {
  const captures: Capture[] = sources.map(s => ({ path: s.path, exports: null, up: [], down: [], problems: [] }))
  if (!sources.length) return captures
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-kysely-'))
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB
  const turns: Turn[] = sources.map((_, index) => ({ index, parts: ['up', 'down'] }))
  let thread: LoaderThread | null = null
  try {
    for (let t = 0; t < turns.length; t++) {
      const { index, parts } = turns[t]
      const capture = captures[index]
      thread ??= new LoaderThread({ tempDir, memoryMb })
      const notStarted = await thread.started()
      if (notStarted) {
        await thread.terminate()
        thread = null
        for (const rest of turns.slice(t)) captures[rest.index].problems.push(cutShort(rest.parts.includes('up') ? 'module' : 'down', notStarted))
        break
      }
      const ended = new Set<Stage>()
      const file = path.resolve(options.root, capture.path)
      const outcome = await thread.run({ type: 'load', job: t, file, text: sources[index].text, parts }, options.timeoutMs, message =>
        apply(capture, message, ended),
      )
      if (outcome.done) continue
      await thread.terminate()
      thread = null
      const stage: Stage = !ended.has('module') ? 'module' : (parts.find(p => capture.exports?.[p] && !ended.has(p)) ?? parts[0])
      capture.problems.push(cutShort(stage, outcome.reason))
      if (stage === 'up' && capture.exports?.down && parts.includes('down')) turns.push({ index, parts: ['down'] })
    }
  } finally {
    await thread?.terminate()
    fs.rmSync(tempDir, { recursive: true, force: true })
  }
  return captures
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
  }
}

const cutShort = (stage: Stage, reason: string) => ({ stage, problem: { kind: 'failed' as const, reason, frame: null } })
