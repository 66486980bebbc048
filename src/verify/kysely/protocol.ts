// What verify's Kysely worker and the main thread say to each other. The worker runs the migration;
// each query it sends waits for the main thread, which owns the engine, to answer. Plain, cloneable
// data only: it crosses a thread boundary.
import type { Frame, Part, Problem } from '../../parse/kysely/protocol.js'
import type { PostgresError, QueryRows } from '../engine.js'

/** What the driver sends around the migration's statements, named as Kysely's Postgres driver words it. */
export type Control = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'rollback to' | 'release'

export interface SentQuery {
  sql: string
  parameters: unknown[]
  /** Null for the migration's own statements. */
  control: Control | null
  /** Where the builder's `.execute…()` was called. */
  call: Frame | null
  /** The first frame in the file when the query ran. */
  statement: Frame | null
}

export interface ApplyJob {
  type: 'apply'
  job: number
  /** Absolute path the module gets: imports resolve from its folder, stack frames name it. */
  file: string
  text: string
  part: Part
  /** As Kysely's Migrator: the part runs in a transaction unless `"kysely": { "transactions": false }`. */
  transaction: boolean
}

export type Answer = { type: 'answer'; id: number } & Reply

export type Reply = { ok: true; result: QueryRows } | { ok: false; error: PostgresError }

/** Null problem: the part ran to the end. */
export interface PartEnd {
  stage: Part | 'module'
  problem: Problem | null
}

export type ApplyMessage =
  | { type: 'ready' }
  | { type: 'query'; job: number; id: number; query: SentQuery }
  | ({ type: 'end'; job: number } & PartEnd)
  | { type: 'done'; job: number }
