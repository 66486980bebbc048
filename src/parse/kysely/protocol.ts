// What the loader worker and the main thread say to each other. Plain, cloneable data only: it
// crosses a thread boundary (structured clone), so no classes, functions or Errors.
import type { Transpiled } from './transpile.js'

/** 1-based line and column in the migration's own (.ts) text, through its source map. */
export interface Frame {
  line: number
  column: number
}

export type Part = 'up' | 'down'

export interface RecordedQuery {
  sql: string
  /** The query's `$n` parameters, already written as SQL literals (parameters[0] is `$1`). */
  parameters: string[]
  /** A `db.transaction()` (or a controlled transaction) was open when it ran. */
  inTransaction: boolean
  /** Where the builder's `.execute…()` was called: the first frame in the file when the query was compiled. */
  call: Frame | null
  /**
   * The first frame in the file when the query ran: the fallback when nothing was compiled on the
   * migration's stack (a CompiledQuery run by hand through `db.executeQuery`). Null when `call` is known.
   */
  statement: Frame | null
}

export interface Problem {
  kind: 'failed' | 'partial'
  reason: string
  frame: Frame | null
}

export interface LoadJob {
  type: 'load'
  job: number
  /** Absolute path the module gets: imports resolve from its folder, stack frames name it. */
  file: string
  text: string
  /** `text` transpiled by the main thread; the worker transpiles it when absent. */
  transpiled?: Transpiled
  parts: Part[]
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'module'; job: number; exports: { up: boolean; down: boolean } }
  | { type: 'query'; job: number; part: Part; query: RecordedQuery }
  /** The end of one part (or of importing, `module`): null when it ran to the end. */
  | { type: 'end'; job: number; part: Part | 'module'; problem: Problem | null }
  | { type: 'done'; job: number }

export interface WorkerSetup {
  /** Where ESM-only migrations are written to be imported (never the user's repository). */
  tempDir: string
  /** Where the worker logs its messages instead of posting each (message-log.ts); posted when absent. */
  log?: SharedArrayBuffer
}
