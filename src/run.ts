// The lint job, free of the CLI: config → discover → parse → replay + rules → suppressions → result.
import type { Config } from './config.js'
import { discoverMigrations } from './discover/discover.js'
import { lintMigrations, fileStart, type ReleaseMode } from './engine/lint.js'
import { applySuppressions } from './engine/suppressions.js'
import type { Finding, Migration, Release, Severity } from './model.js'
import { loadParser } from './parse/sql.js'
import { allRules, rulesById } from '../rules/index.js'

export interface LintRequest {
  root: string
  cwd: string
  paths: readonly string[]
  config: Config
}

export interface Summary {
  files: number
  statements: number
  errors: number
  warnings: number
  unparsed: number
}

export interface LintOutcome {
  findings: Finding[]
  release: Release | null
  summary: Summary
  migrations: Migration[]
  /** Things the user should know about how the run was made (e.g. no history). */
  notes: string[]
}

export async function runLint(request: LintRequest): Promise<LintOutcome> {
  const { config } = request
  await loadParser()
  const discovered = discoverMigrations({
    root: request.root,
    cwd: request.cwd,
    paths: request.paths,
    globs: config.migrations ?? undefined,
    exclude: config.exclude,
    layout: config.layout ?? undefined,
  })
  const mode: ReleaseMode = 'per-migration'
  const findings = lintAll(discovered.migrations, config, mode)
  for (const file of discovered.unknownFiles) findings.push(unknownFileFinding(file))
  const notes = ['No release history used: each migration is checked as if it shipped on its own.']
  const settled = settle(findings, config, discovered.migrations)
  return { findings: settled, release: null, summary: summarize(settled, discovered.migrations), migrations: discovered.migrations, notes }
}

export function lintAll(migrations: Migration[], config: Config, mode: ReleaseMode): Finding[] {
  const enabled = allRules.filter(r => config.rules[r.id] !== 'off')
  const severities = Object.fromEntries(
    Object.entries(config.rules).filter((e): e is [string, Severity] => e[1] !== 'off'),
  )
  const { findings } = lintMigrations(migrations, {
    rules: enabled,
    severities,
    config: { postgresVersion: config.postgresVersion, tables: config.tables },
    mode,
  })
  const sources = migrations.filter(m => mode === 'per-migration' || m.inRelease).flatMap(m => m.sources)
  return applySuppressions(findings, sources, new Set(rulesById.keys()))
}

function unknownFileFinding(file: string): Finding {
  const rule = rulesById.get('unknown-migration-file')!
  return {
    ruleId: rule.id,
    messageId: 'unknown',
    severity: rule.severity,
    category: rule.category,
    ...fileStart(file),
    message: `${file} fits no migration layout here; it was not linted.`,
    help: rule.docs.fix,
  }
}

/** Applies `rules` settings to findings raised outside the rule engine; sorts them in migration order. */
export function settle(findings: Finding[], config: Config, migrations: readonly Migration[]): Finding[] {
  const fileOrder = new Map<string, number>()
  migrations.forEach((m, i) => m.sources.forEach(s => fileOrder.set(s.path, i)))
  const rank = (f: Finding) => fileOrder.get(f.file) ?? Number.MAX_SAFE_INTEGER
  return findings
    .filter(f => config.rules[f.ruleId] !== 'off')
    .map(f => {
      const setting = config.rules[f.ruleId]
      return setting && setting !== 'off' ? { ...f, severity: setting } : f
    })
    .sort((a, b) =>
      rank(a) - rank(b) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
}

export function summarize(findings: readonly Finding[], migrations: readonly Migration[]): Summary {
  const active = findings.filter(f => !f.suppressed)
  const files = new Set(migrations.flatMap(m => m.sources.map(s => s.path)))
  const statements = migrations.reduce((n, m) => n + m.up.length + (m.down?.length ?? 0), 0)
  const unparsed = migrations.reduce(
    (n, m) => n + [...m.up, ...(m.down ?? [])].filter(s => s.parseError !== null).length,
    0,
  )
  return {
    files: files.size,
    statements,
    errors: active.filter(f => f.severity === 'error').length,
    warnings: active.filter(f => f.severity === 'warning').length,
    unparsed,
  }
}

export function exitCodeOf(outcome: LintOutcome): number {
  if (outcome.summary.errors > 0) return 1
  if (outcome.release && !outcome.release.revertSafe) return 1
  return 0
}
