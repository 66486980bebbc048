// `migrate-lint -`: one SQL migration read from stdin, as ESLint's `--stdin` (an editor's unsaved
// buffer, `git show v1.4:db/001.sql | migrate-lint -`). It has no place in the repository's history:
// it is checked on its own, as a plain SQL migration, with the config's rules and Postgres version.
import type { Config } from './config.js'
import { buildSqlMigration } from './discover/build.js'
import { decodeText } from './discover/discover.js'
import { loadParser, setMaxFileMB } from './parse/sql.js'
import { lintAll, settle, summarize, type LintOutcome } from './run.js'

/** How findings name the text without --stdin-filename (ESLint's and Prettier's word for it). */
export const STDIN_NAME = '<stdin>'

export async function lintStdinText(bytes: Uint8Array, name: string, config: Config): Promise<LintOutcome> {
  setMaxFileMB(config.maxFileMB)
  await loadParser()
  const { text, invalidUtf8 } = decodeText(bytes)
  const migration = buildSqlMigration({ id: name, layout: 'sql', order: 0, up: { path: name, text, invalidUtf8, inTransaction: false }, down: null })
  const migrations = [migration]
  const findings = settle(lintAll(migrations, config, 'per-migration', null), config, migrations)
  const note = `Read from stdin as ${name}: checked as a migration on its own; rules that need the previous release's code were not run against it.`
  return { findings, release: null, summary: summarize(findings, migrations), migrations, notes: [note] }
}

/** All of stdin, as bytes (the text is decoded as the files are: invalid UTF-8 is said, not guessed). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks)
}
