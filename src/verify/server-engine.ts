// --database-url: a real server through `pg`. verify creates a database of its own there
// (`migrate_lint_<server's unix time>_<random>`), works only in it and drops it at the end — also on
// an error and on Ctrl-C. The database named in the URL is only ever used to create and drop that
// one, and to remove the ones earlier runs left (a SIGKILL runs no cleanup): Postgres keeps no
// creation time for a database, so the name carries it.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { UsageError } from '../util/errors.js'
import { parseUrl, serverLabel } from './database-url.js'
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
  let name: string
  const notes: string[] = []
  try {
    const [clock] = (await admin.query<{ now: string; superuser: boolean | null }>(CLOCK_SQL)).rows
    const now = Number(clock?.now ?? Math.floor(Date.now() / 1000))
    notes.push(...(await removeLeftovers(admin, now)))
    if (clock?.superuser) notes.push(SUPERUSER_NOTE)
    name = throwAwayName(now)
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
    const version = ((await work.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?').split(' ')[0]
    return {
      label: `${where} (PostgreSQL ${version}), throw-away database ${name}`,
      version,
      notes,
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

const CLOCK_SQL = `SELECT floor(extract(epoch FROM now()))::bigint::text AS now,
  (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`

/** Older than this, a throw-away database with no session in it is an earlier run's leftover. */
export const LEFTOVER_AGE_S = 3600

const THROW_AWAY = /^migrate_lint_([0-9]{10})_[0-9a-f]{12}$/

/** `migrate_lint_1767225600_0a1b2c3d4e5f`: the server's clock when it was made, and 48 random bits. */
export function throwAwayName(unixSeconds: number): string {
  return `migrate_lint_${String(Math.floor(unixSeconds)).padStart(10, '0')}_${randomBytes(6).toString('hex')}`
}

/** The name is exactly a throw-away database's, made more than LEFTOVER_AGE_S before `now` (server clock). */
export function isLeftover(name: string, now: number): boolean {
  const made = THROW_AWAY.exec(name)
  return made !== null && Number(made[1]) < now - LEFTOVER_AGE_S
}

/**
 * Drops the throw-away databases of earlier runs: exactly our name pattern, over an hour old by the
 * name, no session connected (a run in progress always holds one), and without FORCE, so a run that
 * connects in between keeps its database. Nothing else is ever dropped. Returns notes for the report.
 */
async function removeLeftovers(admin: pg.Client, now: number): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT d.datname FROM pg_database d
      WHERE d.datname ~ '^migrate_lint_[0-9]{10}_[0-9a-f]{12}$'
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
  )
  const removed: string[] = []
  const kept: string[] = []
  for (const { datname } of rows.filter(r => isLeftover(r.datname, now)).sort((a, b) => (a.datname < b.datname ? -1 : 1))) {
    try {
      await admin.query(`DROP DATABASE ${quoteIdentifier(datname)}`)
      removed.push(datname)
    } catch (error) {
      kept.push(`${datname} (${describeError(postgresError(error))})`)
    }
  }
  const notes: string[] = []
  if (removed.length) notes.push(`Removed ${removed.length} throw-away database${removed.length === 1 ? '' : 's'} that earlier runs left (over an hour old): ${removed.join(', ')}.`)
  if (kept.length) notes.push(`Could not remove throw-away databases that earlier runs left: ${kept.join('; ')}.`)
  return notes
}

const SUPERUSER_NOTE =
  'The role in --database-url is a superuser: verify refuses the statements it can see reach beyond its database, ' +
  'but code it cannot see through (a function a migration made, called later) would run with every right on the server. ' +
  'Give verify a role with CREATEDB and nothing else.'

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

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | null = null
  return () => (started ??= run())
}
