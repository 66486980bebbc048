// Kysely's Postgres dialect over a driver of the caller's (the recording one, verify's engine), and
// where in the migration each query came from. Compilation runs on the synchronous stack of the
// builder's `.execute()` call: its exact line. Execution comes after awaits: only the migration's
// async frames are left, the fallback for a CompiledQuery run by hand through `db.executeQuery`.
import type { CompiledQuery, Dialect, Driver, QueryCompiler, QueryId, RootOperationNode } from 'kysely'
import { ownKysely } from './own-kysely.js'
import type { Frame } from './protocol.js'
import { frameLocator } from './stack-frame.js'

// Deep kysely internals sit between the driver and the migration's frame.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 64)

export interface QueryOrigin {
  /** Where the builder's `.execute…()` was called. */
  call: Frame | null
  /** The first frame in the file when the query ran; null when `call` is known. */
  statement: Frame | null
}

/** Call from the driver's executeQuery, on the stack the query runs on. */
export type OriginOf = (compiled: CompiledQuery) => QueryOrigin

/**
 * Kysely's compiler is stateless between two compileQuery calls, which are synchronous: one serves
 * every dialect of the thread. Each new one binds a hundred visitor methods, for every migration part.
 */
let sharedCompiler: QueryCompiler | null = null

/** `file` is the migration's path as its module knows it: frames are looked up in it. */
export function locatedPostgresDialect(file: string, createDriver: (originOf: OriginOf) => Driver): Dialect {
  const { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } = ownKysely
  const callSites = new WeakMap<CompiledQuery, Frame | null>()
  const frameHere = frameLocator(file)
  const compiler: QueryCompiler = {
    compileQuery(node: RootOperationNode, queryId: QueryId): CompiledQuery {
      const compiled = (sharedCompiler ??= new PostgresQueryCompiler()).compileQuery(node, queryId)
      callSites.set(compiled, frameHere())
      return compiled
    },
  }

  // Where it ran matters only when nothing was compiled on the migration's stack.
  const originOf: OriginOf = compiled => {
    const call = callSites.get(compiled) ?? null
    return { call, statement: call ? null : frameHere() }
  }
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => createDriver(originOf),
    createIntrospector: db => new PostgresIntrospector(db),
    createQueryCompiler: () => compiler,
  }
}
