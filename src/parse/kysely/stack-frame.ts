// The line of the migration that did something is the first stack frame inside the migration file.
// With source maps on, V8 prints the .ts positions; ESM frames may name the file as a file:// URL.
import { findSourceMap } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Frame } from './protocol.js'

export function firstFrameIn(stack: string | undefined, file: string): Frame | null {
  if (!stack) return null
  const names = [file, pathToFileURL(file).href]
  for (const line of stack.split('\n')) {
    if (!line.trimStart().startsWith('at ')) continue
    const frame = frameInLine(line, names)
    if (frame) return frame
  }
  return null
}

function frameInLine(line: string, names: readonly string[]): Frame | null {
  for (const name of names) {
    const frame = positionAfter(line, name)
    if (frame) return frame
  }
  return null
}

/** `… (NAME:12:5)` or `at NAME:12:5`: the name must be followed by the position and end the location. */
function positionAfter(line: string, name: string): Frame | null {
  for (let at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
    const before = line[at - 1]
    if (before !== '(' && before !== ' ') continue
    const m = /^:(\d+):(\d+)(?:\)|$)/.exec(line.slice(at + name.length))
    if (m) return { line: Number(m[1]), column: Number(m[2]) }
  }
  return null
}

/**
 * `firstFrameIn(new Error().stack, file)` at the caller, without formatting a stack string: one call
 * per recorded query (twice) made source-mapped `stack` strings a large part of loading a migration.
 * The CallSites are read as Node's source-map formatter (prepareStackTraceWithSourceMaps, Node 20)
 * would print them, and only frames that can name `file` are mapped, so the answer is the same.
 */
export function frameLocator(file: string): () => Frame | null {
  const url = pathToFileURL(file).href
  const names = [file, url]
  /** Generated files other than `file` (an ESM bundle) whose source map leads to it. */
  const leadsHere = new Map<string, boolean>()
  const mapsToFile = (name: string): boolean => {
    let known = leadsHere.get(name)
    if (known === undefined) leadsHere.set(name, (known = findSourceMap(name)?.payload.sources.some(source => pathOf(source) === file) ?? false))
    return known
  }

  const frameOf = (site: NodeJS.CallSite): Frame | null => {
    const name = site.getFileName()
    // Eval'd code: V8's own text names where the eval was called.
    if (typeof name !== 'string') return site.isEval() ? frameInLine(`    at ${site}`, names) : null
    const own = name === file || name === url
    if (!own && !mapsToFile(name)) return null
    const map = findSourceMap(own ? url : name)
    if (map) {
      const { originalSource, originalLine, originalColumn } = map.findEntry(site.getLineNumber()! - 1, site.getColumnNumber()! - 1) as {
        originalSource?: string
        originalLine?: number
        originalColumn?: number
      }
      if (originalSource !== undefined && originalLine !== undefined && originalColumn !== undefined) {
        return pathOf(originalSource) === file ? { line: originalLine + 1, column: originalColumn + 1 } : null
      }
    }
    // Unmapped, V8 prints the generated position under the frame's own name.
    const line = site.getLineNumber()
    const column = site.getColumnNumber()
    return own && line !== null && column !== null ? { line, column } : null
  }

  const firstIn = (sites: readonly NodeJS.CallSite[]): Frame | null => {
    for (const site of sites) {
      const frame = frameOf(site)
      if (frame) return frame
    }
    return null
  }
  // The migration's frame is a few frames down (Kysely's compile and execute): look there first.
  // The first frame in the file is the same in a shorter stack when it is in it at all.
  const locate = (): Frame | null => {
    const limit = Error.stackTraceLimit
    if (!(limit > NEAR_FRAMES)) return firstIn(callSites(locate, limit))
    const near = callSites(locate, NEAR_FRAMES)
    return firstIn(near) ?? (near.length < NEAR_FRAMES ? null : firstIn(callSites(locate, limit)))
  }
  return locate
}

/** As the formatter prints a mapped frame's source. */
const pathOf = (source: string): string => (source.startsWith('file://') ? fileURLToPath(source) : source)

const NEAR_FRAMES = 10

/** The top `limit` frames of the stack below `below` (what `new Error()` there would hold), as V8's CallSites. */
function callSites(below: () => unknown, limit: number): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace
  const previousLimit = Error.stackTraceLimit
  Error.prepareStackTrace = (_, sites) => sites
  Error.stackTraceLimit = limit
  try {
    const holder: { stack?: NodeJS.CallSite[] } = {}
    Error.captureStackTrace(holder, below)
    return holder.stack ?? []
  } finally {
    Error.prepareStackTrace = previous
    Error.stackTraceLimit = previousLimit
  }
}
