// MIGRATE_LINT_DATABASE_URL: the server URL for verify without putting it on the command line, where
// `ps` shows it to every user of the machine. Read once and taken out of process.env, so that no worker
// started later gets a copy. The environment the process started with stays readable in
// /proc/self/environ by any code in the process: README "Verify on a real Postgres" says what that means.

/** The URL in the environment, if any; removed from `env` either way. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.MIGRATE_LINT_DATABASE_URL?.trim() || undefined
  delete env.MIGRATE_LINT_DATABASE_URL
  return url
}
