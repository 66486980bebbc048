// A Postgres to replay on (DESIGN §10): the embedded PGlite, or a throw-away database on a server.
// Everything verify asks of Postgres goes through this small surface, so both behave alike.

export interface Engine {
  /** For the report, e.g. `PGlite (PostgreSQL 18.6)`. Never holds a password. */
  readonly label: string
  /** The server's version, `18.6` (JSON `server.version`); optional for test doubles. */
  readonly version?: string
  /** What opening it did or found that the report should say (leftover databases removed, a superuser role). */
  readonly notes?: readonly string[]
  /** Extensions the migrations create that this engine cannot provide (PGlite ships contrib only); a server says so itself. */
  readonly missingExtensions?: ReadonlySet<string>
  /** Runs one statement as the migration runner would send it (simple protocol), discarding rows. */
  exec(sql: string): Promise<void>
  /** Reads rows: a single statement, with `$n` parameters. */
  query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /**
   * Runs a query as Kysely's Postgres driver sends it through `pg`: with parameters as one prepared
   * statement, without them by the simple protocol (which takes several statements). The rows and
   * row count are the last statement's.
   */
  run(sql: string, params: readonly unknown[]): Promise<QueryRows>
  /** Frees the engine; for a server, drops the throw-away database. Safe to call twice. */
  close(): Promise<void>
}

export interface QueryRows {
  rows: object[]
  /** Rows inserted, updated or deleted; null when Postgres did not say. */
  affected: number | null
}

/** What Postgres said about a statement it refused. */
export interface PostgresError {
  /** SQLSTATE, e.g. `42703`; null when the failure did not come from Postgres. */
  code: string | null
  message: string
  detail: string | null
  hint: string | null
}

export function postgresError(error: unknown): PostgresError {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown }
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)
  return {
    code: typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : null,
    message: text(e.message) ?? String(error),
    detail: text(e.detail),
    hint: text(e.hint),
  }
}

/** One line for messages: `column "email" does not exist (42703)`, with Postgres' detail when it has one. */
export function describeError(error: PostgresError): string {
  const code = error.code ? ` (${error.code})` : ''
  const detail = error.detail ? ` — ${error.detail.replace(/\s+/g, ' ')}` : ''
  return `${error.message.replace(/\s+/g, ' ')}${code}${detail}`
}

/** `users`, `audit.events`: as migrations name them (a `public.` is dropped). */
export function displayName(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** `audit.events` → `"audit"."events"`; names from the usage scan are unquoted, dot-separated. */
export function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.')
}
