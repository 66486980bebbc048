// A report's pieces go to stdout one at a time: to a slow reader (a pipe) the next piece is written
// only once the stream took the last, so they never all wait in memory; a reader that went away ends
// the writing without hanging.
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { writePieces } from '../../src/util/write-pieces.js'

/** A stream that takes one piece per tick. */
function slowReader() {
  const received: string[] = []
  const stream = new Writable({
    highWaterMark: 8,
    write(chunk: Buffer, _encoding, done) {
      setImmediate(() => {
        received.push(chunk.toString())
        done()
      })
    },
  })
  return { stream, received }
}

describe('writePieces', () => {
  it('writes every piece in order, each after the stream took the one before', async () => {
    const reader = slowReader()
    const pieces = Array.from({ length: 50 }, (_, i) => `piece ${i}\n`)
    const seen: string[] = []
    // What the stream still held, unwritten, when each piece was handed to it.
    const queued: number[] = []
    await writePieces(reader.stream, pieces, piece => {
      seen.push(piece)
      queued.push(reader.stream.writableLength)
    })
    await new Promise(resolve => reader.stream.end(resolve))
    expect(reader.received).toEqual(pieces)
    expect(seen).toEqual(pieces)
    expect(Math.max(...queued)).toBe(0)
  })

  it('stops at a stream that was destroyed (the reader went away), without hanging', async () => {
    const reader = slowReader()
    const pieces = (function* () {
      yield 'first piece, longer than the high-water mark\n'
      reader.stream.destroy()
      yield 'never written\n'
    })()
    await writePieces(reader.stream, pieces)
    expect(reader.received).not.toContain('never written\n')
  })
})
