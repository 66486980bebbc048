// The line of the migration that did something is the first stack frame inside the migration file.
// With source maps on, V8 prints the .ts positions; ESM frames may name the file as a file:// URL.
import { pathToFileURL } from 'node:url'
import type { Frame } from './protocol.js'

export function firstFrameIn(stack: string | undefined, file: string): Frame | null {
  if (!stack) return null
  const names = [file, pathToFileURL(file).href]
  for (const line of stack.split('\n')) {
    if (!line.trimStart().startsWith('at ')) continue
    for (const name of names) {
      const frame = positionAfter(line, name)
      if (frame) return frame
    }
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
