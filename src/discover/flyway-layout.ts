// Flyway (DESIGN §3): `V<version>__<description>.sql` in version order, `U<version>__<description>.sql` as
// the down of the same version, `<script>.sql.conf` for per-script settings. Repeatable `R__` scripts are
// known but not linted: Flyway runs them again, after the versioned ones, whenever they change, so they
// are not steps of a release in order, and editing one is their normal use, not a rewrite of history.
import path from 'node:path'
import type { SqlMigrationInput } from './build.js'
import type { LayoutFiles, LayoutResult, PartShape } from './layouts.js'

const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__.+\.sql$/
const REPEATABLE = /^R__.+\.sql$/
const SCRIPT_CONFIG = '.conf'
const EXECUTE_IN_TRANSACTION = /^[ \t]*executeInTransaction[ \t]*=[ \t]*(true|false)[ \t]*$/im

export const isFlywayScript = (name: string): boolean => VERSIONED.test(name) || REPEATABLE.test(name)

/** The version of a V or U script: parts split at `.` or `_`, as numbers; trailing zeros dropped (Flyway: 1.0 = 1). */
export function flywayVersion(name: string): bigint[] | null {
  const m = VERSIONED.exec(name)
  if (!m) return null
  const parts = m[2].split(/[._]/).map(p => BigInt(p))
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop()
  return parts
}

export function classifyFlyway({ files, reader, part }: LayoutFiles): LayoutResult {
  const present = new Set(files)
  const scriptOf = (file: string) => ({ file, name: path.posix.basename(file), version: flywayVersion(path.posix.basename(file)) })
  const scripts = files.map(scriptOf)
  const undos = new Map(scripts.filter(s => s.name.startsWith('U') && s.version).map(s => [s.version!.join('.'), s.file]))
  const versioned = new Set(scripts.filter(s => s.name.startsWith('V') && s.version).map(s => s.version!.join('.')))
  // A `.sql.conf` next to the script can set executeInTransaction; without it Flyway decides per script.
  const transaction = (file: string): PartShape => {
    const setting = present.has(file + SCRIPT_CONFIG) ? EXECUTE_IN_TRANSACTION.exec(reader.read(file + SCRIPT_CONFIG).text) : null
    return setting ? { inTransaction: setting[1].toLowerCase() === 'true' } : { inTransaction: true, detection: 'flyway' }
  }
  // An undo script whose version has a V script, a repeatable, a script's .conf.
  const known = (file: string, name: string, version: bigint[] | null) =>
    (version !== null && versioned.has(version.join('.'))) ||
    REPEATABLE.test(name) ||
    (file.endsWith(SCRIPT_CONFIG) && present.has(file.slice(0, -SCRIPT_CONFIG.length)) && isFlywayScript(name.slice(0, -SCRIPT_CONFIG.length)))
  const migrations: SqlMigrationInput[] = []
  const unknown: string[] = []
  for (const { file, name, version } of scripts) {
    if (version && name.startsWith('V')) {
      const undo = undos.get(version.join('.'))
      migrations.push({
        id: file,
        layout: 'flyway',
        order: 0,
        up: part(file, transaction(file)),
        down: undo ? part(undo, transaction(undo)) : null,
        sortBy: version,
      })
    } else if (!known(file, name, version)) unknown.push(file)
  }
  return { migrations, unknown }
}
