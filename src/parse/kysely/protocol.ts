// What the loader worker and the main thread say to each other. Plain, cloneable data only: it
// crosses a thread boundary (structured clone), so no classes, functions or Errors.
import type { Prepared } from './prepared-module.js'

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
  /** The migration made runnable by the main process. */
  prepared: Exclude<Prepared, { error: string }>
  parts: Part[]
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'module'; job: number; exports: { up: boolean; down: boolean } }
  | { type: 'query'; job: number; part: Part; query: RecordedQuery }
  /** The end of one part (or of importing, `module`): null when it ran to the end. */
  | { type: 'end'; job: number; part: Part | 'module'; problem: Problem | null }
  /** A callback a part left running failed after the part had ended (it belongs to that part). */
  | { type: 'stray'; job: number; part: Part | 'module'; problem: Problem }
  | { type: 'done'; job: number }

/** verify's worker: where ESM-only migrations are written to be imported (never the user's repository). */
export interface WorkerSetup {
  tempDir: string
}

/**
 * A message from the capture process, checked before it is believed: the migration runs in that
 * process and could post too. The reason it is not a message of the protocol, else the message.
 */
export function checkWorkerMessage(raw: unknown): WorkerMessage | string {
  const bad = `the loader sent a message outside its protocol (${describeShape(raw)}): a migration may have posted it`
  if (!isRecord(raw) || typeof raw.type !== 'string') return bad
  const jobOk = Number.isSafeInteger(raw.job)
  const stageOk = (value: unknown, module: boolean) => value === 'up' || value === 'down' || (module && value === 'module')
  switch (raw.type) {
    case 'ready':
      return raw as WorkerMessage
    case 'module':
      return jobOk && isRecord(raw.exports) && typeof raw.exports.up === 'boolean' && typeof raw.exports.down === 'boolean' ? (raw as WorkerMessage) : bad
    case 'query':
      return jobOk && stageOk(raw.part, false) && isQuery(raw.query) ? (raw as WorkerMessage) : bad
    case 'end':
      return jobOk && stageOk(raw.part, true) && (raw.problem === null || isProblem(raw.problem)) ? (raw as WorkerMessage) : bad
    case 'stray':
      return jobOk && stageOk(raw.part, true) && isProblem(raw.problem) ? (raw as WorkerMessage) : bad
    case 'done':
      return jobOk ? (raw as WorkerMessage) : bad
    default:
      return bad
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

const isFrame = (value: unknown): boolean =>
  value === null || (isRecord(value) && Number.isSafeInteger(value.line) && Number.isSafeInteger(value.column))

function isQuery(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.sql === 'string' &&
    Array.isArray(value.parameters) &&
    value.parameters.every(p => typeof p === 'string') &&
    typeof value.inTransaction === 'boolean' &&
    isFrame(value.call) &&
    isFrame(value.statement)
  )
}

function isProblem(value: unknown): boolean {
  return isRecord(value) && (value.kind === 'failed' || value.kind === 'partial') && typeof value.reason === 'string' && isFrame(value.frame)
}

function describeShape(raw: unknown): string {
  if (!isRecord(raw)) return raw === null ? 'null' : typeof raw
  return typeof raw.type === 'string' ? `type ${JSON.stringify(raw.type.slice(0, 40))}` : 'no type'
}
