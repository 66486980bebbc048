// The findings of a whole run without history (every migration judged on its own): they depend only
// on the migrations (their fingerprints, in order) and the rule settings, so an unchanged folder is
// answered from the cache without parsing or replaying anything.
import type { Config } from '../config.js'
import type { Finding, Migration } from '../model.js'
import { chainKey } from './chain-key.js'
import { findingsFromRecord, findingsToRecord, type FindingsRecord } from './findings-record.js'
import { activeCache, hashKey } from './store.js'

export interface StatementCounts {
  statements: number
  unparsed: number
}

interface LintMemo extends StatementCounts {
  findings: FindingsRecord
}

/** `lint` is asynchronous so that what only it needs (the WASM parser) is loaded only when the memo misses. */
export async function memoizedLint(
  migrations: readonly Migration[],
  config: Config,
  lint: () => Promise<Finding[]>,
): Promise<{ findings: Finding[]; counts: StatementCounts }> {
  const chain = chainKey('per-migration', migrations)
  const key = chain && hashKey(chain, JSON.stringify([config.rules, config.postgresVersion, config.tables]))
  const cached = key ? activeCache().get<LintMemo>('findings', key) : undefined
  if (cached) return { findings: findingsFromRecord(cached.findings), counts: { statements: cached.statements, unparsed: cached.unparsed } }
  const findings = await lint()
  const counts = countStatements(migrations)
  if (key) activeCache().set('findings', key, { findings: findingsToRecord(findings), ...counts } satisfies LintMemo)
  return { findings, counts }
}

export function countStatements(migrations: readonly Migration[]): StatementCounts {
  let statements = 0
  let unparsed = 0
  for (const m of migrations) {
    // A migration whose statements the lint let go still knows how many it had.
    const known = m.statementCounts?.()
    if (known) {
      statements += known.statements
      unparsed += known.unparsed
      continue
    }
    for (const s of [...m.up, ...(m.down ?? [])]) {
      statements++
      if (s.parseError !== null) unparsed++
    }
  }
  return { statements, unparsed }
}
