// A Kysely that talks to no database: Postgres' adapter, compiler and introspector over a driver
// that records every compiled query and answers with no rows. It never opens a connection.
import type { CompiledQuery, DatabaseConnection, Driver, Kysely, QueryResult } from 'kysely'
import { locatedPostgresDialect, type OriginOf } from './located-dialect.js'
import { ownKysely } from './own-kysely.js'
import type { RecordedQuery } from './protocol.js'
import { toSqlLiteral } from './sql-literal.js'

/** `file` is the migration's path as its module knows it: frames are looked up in it. */
export function recordingKysely(file: string, record: (query: RecordedQuery) => void): Kysely<any> {
  return new ownKysely.Kysely<any>({ dialect: locatedPostgresDialect(file, originOf => recordingDriver(originOf, record)) })
}

function recordingDriver(originOf: OriginOf, record: (query: RecordedQuery) => void): Driver {
  let depth = 0
  const capture = (compiled: CompiledQuery): void =>
    record({
      sql: compiled.sql,
      parameters: compiled.parameters.map(toSqlLiteral),
      inTransaction: depth > 0,
      ...originOf(compiled),
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

  return {
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
}
