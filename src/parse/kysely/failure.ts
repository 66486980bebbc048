// Why a migration could not be seen to the end, as one line for the user, with the line of the
// migration that failed when the error's stack names it.
import { ownKysely } from './own-kysely.js'
import type { Problem } from './protocol.js'
import { firstFrameIn } from './stack-frame.js'

/** Thrown in place of exiting: a migration must not end the loader. */
export class ExitCalled extends Error {
  override name = 'ExitCalled'
  constructor(readonly code: string | number | null | undefined) {
    super(`called process.exit(${code ?? ''})`)
  }
}

export interface FailureContext {
  file: string
  /** A query that reads rows back ran before the error: its empty result may be the cause. */
  readBack: boolean
}

/** Never throws: what a migration throws may be built to throw again when looked at (a Proxy, a getter). */
export function problemFrom(error: unknown, context: FailureContext): Problem {
  try {
    return describedProblem(error, context)
  } catch {
    return { kind: 'failed', reason: 'it threw a value that throws again when read', frame: null }
  }
}

function describedProblem(error: unknown, context: FailureContext): Problem {
  const frame = firstFrameIn(stackOf(error), context.file)
  if (error instanceof ownKysely.NoResultError) {
    return {
      kind: 'partial',
      reason: 'a read (executeTakeFirstOrThrow) found no row in the empty recording database; the statements after it were not seen',
      frame,
    }
  }
  if (error instanceof ExitCalled) return { kind: 'failed', reason: `the migration ${error.message}`, frame }
  const hint = context.readBack ? ' (after reading data back: the empty result may be the cause)' : ''
  return { kind: 'failed', reason: `it threw ${describeError(error)}${hint}`, frame }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const first = error.message.split('\n')[0].trim()
    return first ? `${error.name}: ${first}` : error.name
  }
  return `${typeof error === 'string' ? JSON.stringify(error) : safeString(error)} (not an Error)`
}

/** What a thrown value says of itself; an object without a prototype has no toString to ask. */
function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined
}

/** Statements that hand rows back to the migration (it may act on them). */
export const readsRows = (sql: string): boolean => /^\s*(?:select|with|values|table)\b/i.test(sql) || /\breturning\b/i.test(sql)
