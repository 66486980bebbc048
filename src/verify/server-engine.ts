// --database-url: a real server through `pg`. verify creates a database of its own there
// (`migrate_lint_<random>`), works only in it and drops it at the end — also on an error and on
// Ctrl-C. The database named in the URL is only ever used to create and drop that one.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { UsageError } from '../util/errors.js'
import { describeError, postgresError, quoteIdentifier, type Engine } from './engine.js'

export async function openServer(url: string): Promise<Engine> {
  const where = serverLabel(url)
  const admin = new pg.Client({ connectionString: url })
  // A dropped connection is reported by the query that needed it; the event alone must not crash.
  admin.on('error', () => {})
  try {
    await admin.connect()
  } catch (error) {
    throw new UsageError(`--database-url: cannot connect to ${where}: ${describeError(postgresError(error))}`)
  }
  const name = `migrate_lint_${randomBytes(6).toString('hex')}`
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`)
  } catch (error) {
    await admin.end().catch(() => {})
    throw new UsageError(
      `--database-url: cannot create a throw-away database on ${where} (${describeError(postgresError(error))}); ` +
        'verify never runs migrations in the database named in the URL: give the role CREATEDB, or use the default embedded PGlite.',
    )
  }
  const work = new pg.Client({ connectionString: withDatabase(url, name) })
  work.on('error', () => {})
  const drop = once(() => dropDatabase(admin, work, name, where))
  const onSignal = (signal: NodeJS.Signals) => {
    void drop()
      .catch(() => {})
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const close = async () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await drop()
  }
  try {
    await work.connect()
    const version = (await work.query<{ v: string }>('SHOW server_version')).rows[0]?.v ?? '?'
    return {
      label: `${where} (PostgreSQL ${version.split(' ')[0]}), throw-away database ${name}`,
      async exec(sql) {
        await work.query(sql)
      },
      async query<T extends object>(sql: string, params: readonly unknown[] = []) {
        // Extended protocol even without parameters: one statement, never a batch (pg knows
        // `queryMode`, its types do not yet).
        const config = { text: sql, values: [...params], queryMode: 'extended' }
        return (await work.query<T & pg.QueryResultRow>(config as pg.QueryConfig)).rows
      },
      async run(sql, params) {
        // Several statements give one result each: pg's types know only one.
        const results = [await work.query(sql, [...params])].flat() as pg.QueryResult[]
        const last = results.at(-1)
        return { rows: last?.rows ?? [], affected: last?.rowCount ?? null }
      },
      close,
    }
  } catch (error) {
    await close().catch(() => {})
    throw new UsageError(`--database-url: cannot use the throw-away database on ${where}: ${describeError(postgresError(error))}`)
  }
}

async function dropDatabase(admin: pg.Client, work: pg.Client, name: string, where: string): Promise<void> {
  await work.end().catch(() => {})
  try {
    // A statement still running (Ctrl-C) keeps a session open in the database; end it first.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`)
  } catch (error) {
    throw new UsageError(`could not drop the throw-away database ${name} on ${where} (${describeError(postgresError(error))}): drop it by hand.`)
  } finally {
    await admin.end().catch(() => {})
  }
}

/** The same server and credentials, another database; keeps the URL's options (sslmode, host=…). */
export function withDatabase(url: string, database: string): string {
  const parsed = parseUrl(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

/** `postgres://app@db.internal:5432/app`: for messages, never with the password. */
export function serverLabel(url: string): string {
  const parsed = parseUrl(url)
  parsed.password = ''
  return parsed.toString()
}

function parseUrl(url: string): URL {
  const expected = '--database-url: expected a URL like postgres://user:password@host:5432/database'
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(expected)
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new UsageError(expected)
  return parsed
}

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | null = null
  return () => (started ??= run())
}
