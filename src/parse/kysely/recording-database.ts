// A Kysely that talks to no database: Postgres' adapter, compiler and introspector over a driver
// that records every compiled query and answers with no rows. It never opens a connection.
import type { CompiledQuery, DatabaseConnection, Driver, Kysely, QueryId, QueryResult, RootOperationNode } from 'kysely'
import { ownKysely } from './own-kysely.js'
import type { Frame, RecordedQuery } from './protocol.js'
import { toSqlLiteral } from './sql-literal.js'
import { firstFrameIn } from './stack-frame.js'

// Deep kysely internals sit between the driver and the migration's frame.
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 64)

/** `file` is the migration's path as its module knows it: frames are looked up in it. */
export function recordingKysely(file: string, record: (query: RecordedQuery) => void): Kysely<any> {
  const { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } = ownKysely
  // Compilation runs on the synchronous stack of the builder's `.execute()` call: its exact line.
  const callSites = new WeakMap<CompiledQuery, Frame | null>()
  let depth = 0

  class CallSiteCompiler extends PostgresQueryCompiler {
    override compileQuery(node: RootOperationNode, queryId: QueryId): CompiledQuery {
      const compiled = super.compileQuery(node, queryId)
      callSites.set(compiled, firstFrameIn(new Error().stack, file))
      return compiled
    }
  }

  const capture = (compiled: CompiledQuery): void =>
    record({
      sql: compiled.sql,
      parameters: compiled.parameters.map(toSqlLiteral),
      inTransaction: depth > 0,
      statement: firstFrameIn(new Error().stack, file),
      call: callSites.get(compiled) ?? null,
    })

  const connection: DatabaseConnection = {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      capture(compiled)
      return { rows: [] }
    },
    async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      capture(compiled)
    },
  }

  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection
    },
    async beginTransaction() {
      depth++
    },
    async commitTransaction() {
      depth = Math.max(0, depth - 1)
    },
    async rollbackTransaction() {
      depth = Math.max(0, depth - 1)
    },
    async savepoint() {},
    async rollbackToSavepoint() {},
    async releaseSavepoint() {},
    async releaseConnection() {},
    async destroy() {},
  }

  return new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: db => new PostgresIntrospector(db),
      createQueryCompiler: () => new CallSiteCompiler(),
    },
  })
}
