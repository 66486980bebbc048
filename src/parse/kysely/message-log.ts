// What the linter's loader worker tells the main thread, through shared memory instead of one
// postMessage each: a postMessage per recorded query was a fifth of the worker's time (≈ 30 µs each,
// waking the main thread every time). The worker writes each message to a ring buffer the main thread
// reads when it hears from the worker (the end of a job) or gives up on it: a migration that hangs or
// crashes after some queries still leaves them, as when each was posted at once.
//
// Order: every message gets a sequence number, logged or posted (when the log is full, or a job ends).
// Before handling a posted message, the main thread takes the logged ones numbered below it.

const CAPACITY = 1 << 20
/** Two Int32 counters: bytes written, bytes read (they wrap at 2³²; the ring is indexed modulo CAPACITY). */
const HEADER = 8
const WRITTEN = 0
const READ = 1
/** Each entry: its length and its sequence number (u32 each), then its JSON in UTF-8. */
const ENTRY_HEADER = 8

export function createLog(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + CAPACITY)
}

export type Sequenced<M> = M & { seq: number }

class Ring {
  protected readonly counters: Int32Array
  protected readonly bytes: Uint8Array

  constructor(buffer: SharedArrayBuffer) {
    this.counters = new Int32Array(buffer, 0, 2)
    this.bytes = new Uint8Array(buffer, HEADER, CAPACITY)
  }

  protected put(at: number, from: Uint8Array): void {
    const start = at & (CAPACITY - 1)
    const first = Math.min(from.length, CAPACITY - start)
    this.bytes.set(from.subarray(0, first), start)
    if (first < from.length) this.bytes.set(from.subarray(first), 0)
  }

  protected take(at: number, into: Uint8Array, length: number): void {
    const start = at & (CAPACITY - 1)
    const first = Math.min(length, CAPACITY - start)
    into.set(this.bytes.subarray(start, start + first), 0)
    if (first < length) into.set(this.bytes.subarray(0, length - first), first)
  }
}

/** The worker's end. */
export class LogWriter extends Ring {
  private seq = 0
  private scratch = Buffer.alloc(4096)

  /** Logs `message` and returns true; false when it does not fit now: post it, numbered with `next()`. */
  write(message: object): boolean {
    const json = JSON.stringify(message)
    const need = ENTRY_HEADER + Buffer.byteLength(json)
    const written = Atomics.load(this.counters, WRITTEN)
    const free = CAPACITY - ((written - Atomics.load(this.counters, READ)) >>> 0)
    if (need > free) return false
    if (need > this.scratch.length) this.scratch = Buffer.alloc(Math.max(need, this.scratch.length * 2))
    this.scratch.writeUInt32LE(need - ENTRY_HEADER, 0)
    this.scratch.writeUInt32LE(this.seq++ >>> 0, 4)
    this.scratch.write(json, ENTRY_HEADER)
    this.put(written >>> 0, this.scratch.subarray(0, need))
    Atomics.store(this.counters, WRITTEN, (written + need) | 0)
    return true
  }

  /** The number of a message posted instead of logged. */
  next(): number {
    return this.seq++
  }
}

/** The main thread's end. */
export class LogReader extends Ring {
  private scratch = Buffer.alloc(4096)
  private readonly entryHeader = Buffer.alloc(ENTRY_HEADER)

  /** Hands over, in order, the logged messages numbered below `before` (all of them by default). */
  drain(handle: (message: unknown) => void, before = Infinity): void {
    let read = Atomics.load(this.counters, READ)
    const written = Atomics.load(this.counters, WRITTEN)
    while (read !== written) {
      this.take(read >>> 0, this.entryHeader, ENTRY_HEADER)
      const length = this.entryHeader.readUInt32LE(0)
      if (this.entryHeader.readUInt32LE(4) >= before) break
      if (length > this.scratch.length) this.scratch = Buffer.alloc(Math.max(length, this.scratch.length * 2))
      this.take((read + ENTRY_HEADER) >>> 0, this.scratch, length)
      read = (read + ENTRY_HEADER + length) | 0
      Atomics.store(this.counters, READ, read)
      handle(JSON.parse(this.scratch.toString('utf8', 0, length)))
    }
  }
}
