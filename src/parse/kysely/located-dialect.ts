// Kysely's Postgres dialect over a driver of the caller's (the recording one, verify's engine), and
// where in the migration each query came from. Compilation runs on the synchronous stack of the
// builder's `.execute()` call: its exact line. Execution comes after awaits: only the migration's
// async frames are left, the fallback for a CompiledQuery run by hand through `db.executeQuery`.
import type { CompiledQuery, Dialect, Driver, QueryId, RootOperationNode } from 'kysely'
import { ownKysely } from './own-kysely.js'
import type { Frame } from './protocol.js'
import { firstFrameIn } from './stack-frame.js'

// Deep kysely internals sit between the driver and the migration's frame.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 64)

export interface QueryOrigin {
  /** Where the builder's `.execute…()` was called. */
  call: Frame | null
  /** The first frame in the file when the query ran. */
  statement: Frame | null
}

/** Call from the driver's executeQuery, on the stack the query runs on. */
export type OriginOf = (compiled: CompiledQuery) => QueryOrigin

/** `file` is the migration's path as its module knows it: frames are looked up in it. */
export function locatedPostgresDialect(file: string, createDriver: (originOf: OriginOf) => Driver): Dialect {
  const { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } = ownKysely
  const callSites = new WeakMap<CompiledQuery, Frame | null>()

  class CallSiteCompiler extends PostgresQueryCompiler {
    override compileQuery(node: RootOperationNode, queryId: QueryId): CompiledQuery {
      const compiled = super.compileQuery(node, queryId)
      callSites.set(compiled, firstFrameIn(new Error().stack, file))
      return compiled
    }
  }

  const originOf: OriginOf = compiled => ({ call: callSites.get(compiled) ?? null, statement: firstFrameIn(new Error().stack, file) })
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => createDriver(originOf),
    createIntrospector: db => new PostgresIntrospector(db),
    createQueryCompiler: () => new CallSiteCompiler(),
  }
}
