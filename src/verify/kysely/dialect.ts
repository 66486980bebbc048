// Kysely on a verify engine: Kysely's own Postgres adapter, compiler and introspector over a driver
// that hands each query to `send` — in verify's worker, to the main thread, which runs it on PGlite
// or on the throw-away database. No npm dialect: those for PGlite lag behind its 0.5 (DESIGN §10).
import type { CompiledQuery, DatabaseConnection, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely'
import { locatedPostgresDialect, type OriginOf } from '../../parse/kysely/located-dialect.js'
import { ownKysely } from '../../parse/kysely/own-kysely.js'
import { quoteIdentifier, type QueryRows } from '../engine.js'
import type { Control, SentQuery } from './protocol.js'

export type SendQuery = (query: SentQuery) => Promise<QueryRows>

/** `file` is the migration's path as its module knows it: each query says where in it it was made. */
export function engineKysely(file: string, send: SendQuery): Kysely<any> {
  return new ownKysely.Kysely<any>({ dialect: locatedPostgresDialect(file, originOf => engineDriver(send, originOf)) })
}

function engineDriver(send: SendQuery, originOf: OriginOf): Driver {
  const connection: DatabaseConnection = {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      const { rows, affected } = await send({ sql: compiled.sql, parameters: [...compiled.parameters], control: null, ...originOf(compiled) })
      return { rows: rows as R[], ...(affected === null ? {} : { numAffectedRows: BigInt(affected) }) }
    },
    // One chunk: verify's databases hold only what the migrations wrote.
    async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      yield await connection.executeQuery<R>(compiled)
    },
  }
  const control = async (kind: Control, sql: string = kind) => {
    await send({ sql, parameters: [], control: kind, call: null, statement: null })
  }
  // One session for everything, as the Migrator's single connection: the engine has one.
  return {
    async init() {},
    async acquireConnection() {
      return connection
    },
    beginTransaction: (_, settings) => control('begin', beginSql(settings)),
    commitTransaction: () => control('commit'),
    rollbackTransaction: () => control('rollback'),
    savepoint: (_, name) => control('savepoint', `savepoint ${quoteIdentifier(name)}`),
    rollbackToSavepoint: (_, name) => control('rollback to', `rollback to ${quoteIdentifier(name)}`),
    releaseSavepoint: (_, name) => control('release', `release ${quoteIdentifier(name)}`),
    async releaseConnection() {},
    async destroy() {},
  }
}

function beginSql(settings: TransactionSettings): string {
  const options = [settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode].filter(Boolean)
  return options.length ? `start transaction ${options.join(' ')}` : 'begin'
}
