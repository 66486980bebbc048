// verify's server URL, kept from the code that runs in this process (Kysely migrations, in worker
// threads) as far as a process can: MIGRATE_LINT_DATABASE_URL is read once and taken out of
// process.env, so that no worker started later gets a copy; --database-url is taken out of the command
// line. The environment the process started with stays readable in /proc/self/environ, and its memory
// in /proc/self/mem: README "Verify on a real Postgres" says what that means.
import { UsageError } from '../util/errors.js'

/** The URL in the environment, if any; removed from `env` either way. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.MIGRATE_LINT_DATABASE_URL?.trim() || undefined
  delete env.MIGRATE_LINT_DATABASE_URL
  return url
}

/**
 * The URL given as `--database-url` is in the process's command line (/proc/self/cmdline, `ps`), which
 * any code in the process can read. The title Node sets takes the place of that text, so it shows the
 * URL without its password from here on. Called before any migration is loaded.
 */
export function hideFromCommandLine(url: string): void {
  if (!process.argv.some(arg => arg.includes(url))) return
  const label = serverLabel(url)
  process.title = process.argv.map(arg => arg.split(url).join(label)).join(' ')
}

/** `postgres://app@db.internal:5432/app`: for messages, never with the password. */
export function serverLabel(url: string): string {
  const parsed = parseUrl(url)
  parsed.password = ''
  for (const key of [...parsed.searchParams.keys()]) {
    if (/^(password|sslpassword|sslkey)$/i.test(key)) parsed.searchParams.set(key, 'redacted')
  }
  return parsed.toString()
}

export function parseUrl(url: string): URL {
  const expected = '--database-url: expected a URL like postgres://user@host:5432/database (with the password in it, in PGPASSWORD or in ~/.pgpass)'
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError(expected)
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new UsageError(expected)
  return parsed
}

