// The verify job, free of the CLI: the lint run (same findings, same release), then the replay on a
// real Postgres; its findings join the lint's, and the verdict and summary are made again over both.
import { rulesById } from '../../rules/index.js'
import { applySuppressions } from '../engine/suppressions.js'
import type { Finding } from '../model.js'
import { buildRelease } from '../release/verdict.js'
import { runLint, settle, summarize, type LintOutcome, type LintRequest, type ReplayInput } from '../run.js'
import { hideFromCommandLine } from './database-url.js'
import { mergeLockFindings } from './lock-findings.js'
import type { StatementLocks } from './locks.js'
import { openEngine } from './open-engine.js'
import { extensionStatements } from './pglite-extensions.js'
import { NO_PROGRESS, type Progress } from './progress.js'
import { verifyMigrations, type VerifyInput, type VerifyResult } from './verify-migrations.js'

export interface VerifyRequest extends LintRequest {
  /** A server to create the throw-away database on; without it, the embedded PGlite. */
  databaseUrl?: string
  progress?: Progress
}

export interface VerifyOutcome extends LintOutcome {
  locks: StatementLocks[]
  /** What the replay ran on: `PGlite (PostgreSQL 18.6)` or the server (no password), and its version. */
  server: { label: string; version: string | null }
}

export async function runVerify(request: VerifyRequest): Promise<VerifyOutcome> {
  // Before the lint loads any Kysely migration: the URL leaves the command line (and is checked).
  if (request.databaseUrl) hideFromCommandLine(request.databaseUrl)
  const lint = await runLint(request)
  const replay: ReplayInput = lint.replay ?? { shipped: [], added: lint.migrations, baseCode: null }
  // Scanned before the engine starts: the scan's notes belong to the lint's.
  const input = verifyInput(replay, request)
  const progress = request.progress ?? NO_PROGRESS
  const engine = await openEngine(request.databaseUrl, extensionStatements([...input.shipped, ...input.added]).map(e => e.name))
  const server = { label: engine.label, version: engine.version ?? null }
  let result: VerifyResult
  try {
    result = await verifyMigrations(engine, input, progress)
  } finally {
    progress.finish()
    await engine.close()
  }
  return { ...combine(lint, replay, result, request), server }
}

function verifyInput(replay: ReplayInput, request: VerifyRequest): VerifyInput {
  const common = { shipped: replay.shipped, added: replay.added, kysely: { root: request.root, ...request.config.kysely } }
  const code = replay.baseCode
  if (!code) return { ...common, baseCode: null }
  // Migration files are not the app's queries, even when the `code` globs reach them.
  const migrationFiles = new Set([...replay.shipped, ...replay.added].flatMap(m => m.sources.map(s => s.path)))
  const files = code.files().filter(f => !migrationFiles.has(f.path))
  return { ...common, baseCode: { label: code.label, usage: code.usage(), files } }
}

// Made by applySuppressions about the directives themselves: made again below, over all findings.
const DIRECTIVE_RULES = new Set(['unused-suppression', 'suppression-without-reason'])

function combine(lint: LintOutcome, replay: ReplayInput, result: VerifyResult, request: VerifyRequest): Omit<VerifyOutcome, 'server'> {
  const unsuppressed = lint.findings.filter(f => !DIRECTIVE_RULES.has(f.ruleId)).map(withoutSuppression)
  const sources = replay.added.flatMap(m => m.sources)
  const suppressed = applySuppressions([...unsuppressed, ...result.findings], sources, new Set(rulesById.keys()))
  // After settle: a rule the config turns off folds nothing into, and hides nothing of, the other.
  const findings = mergeLockFindings(settle(suppressed, request.config, [...replay.shipped, ...replay.added]), result.seenLocks)
  const release = lint.release ? buildRelease(lint.release.base, lint.release.head, lint.migrations, findings) : null
  return {
    ...lint,
    findings,
    release,
    summary: summarize(findings, lint.migrations),
    notes: [...lint.notes, ...result.notes],
    locks: result.locks,
  }
}

function withoutSuppression(f: Finding): Finding {
  const { suppressed: _, ...rest } = f
  return rest
}
