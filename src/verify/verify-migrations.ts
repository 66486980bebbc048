// The verify run on one engine (DESIGN §10): shipped migrations, schema snapshot, the base code's
// probes, the release statement by statement with its locks, then the round trip (down in reverse,
// compare, up again). Needs an engine and migrations only: no git; files only to import Kysely
// migrations (and what they import) from the repository.
import type { Finding, Migration } from '../model.js'
import { kindOf } from '../sql/ast.js'
import type { CodeFile } from '../usage/scan.js'
import type { UsageScan } from '../usage/usage.js'
import { diffSnapshots } from './diff.js'
import type { Engine } from './engine.js'
import { dangerousLock, modeName, oldQueryFails, replayFailed, roundTripMismatches, toldWithMismatch } from './findings.js'
import { importable, KyselyReplay, type KyselyReplayOptions } from './kysely/kysely-replay.js'
import type { SeenLock } from './lock-findings.js'
import { heldLock, isTableKind, RelationNames, type StatementLocks } from './locks.js'
import { OldCodeCheck } from './old-code.js'
import { stopAtMissingExtension } from './missing-extension.js'
import { buildProbes } from './probes.js'
import { NO_PROGRESS, type Progress } from './progress.js'
import { rawQueries } from './raw-queries.js'
import { runMigration, type CodeFailure, type MigrationRun, type Part, type StatementFailure } from './replay.js'
import { readSnapshot, tableNames } from './snapshot.js'

export interface VerifyInput {
  shipped: readonly Migration[]
  added: readonly Migration[]
  /** The previous release's code; null without one. */
  baseCode: { label: string; usage: UsageScan; files: readonly CodeFile[] } | null
  /** How Kysely migrations run (the config's "kysely", the repository root); without it, as the SQL they recorded. */
  kysely?: KyselyReplayOptions
}

export interface VerifyResult {
  findings: Finding[]
  locks: StatementLocks[]
  /** What each verify-dangerous-lock finding saw, for folding it into the lint's finding (lock-findings.ts). */
  seenLocks: SeenLock[]
  notes: string[]
}

/** Runs one part of a migration; with `names`, reads the locks of each statement before they are released. */
type Replay = (migration: Migration, part: Part, progress: Progress, names?: RelationNames | null) => Promise<MigrationRun>

export async function verifyMigrations(engine: Engine, input: VerifyInput, progress: Progress = NO_PROGRESS): Promise<VerifyResult> {
  const kysely = input.kysely ? new KyselyReplay(input.kysely) : null
  const replay: Replay = (migration, part, partProgress, names = null) =>
    kysely && migration.layout === 'kysely' && importable(migration)
      ? kysely.run(engine, migration, part, partProgress, names)
      : runMigration(engine, migration, part, partProgress, names)
  const stop = stopAtMissingExtension(engine, input.shipped, input.added)
  try {
    if (!stop) return await verifyWith(engine, replay, input, progress)
    const result = await verifyWith(engine, replay, { ...input, shipped: stop.shipped, added: stop.added }, progress, stop.releaseCut)
    return { ...result, findings: [stop.finding, ...result.findings] }
  } finally {
    await kysely?.close()
  }
}

/** `releaseCut`: `input.added` is not the whole release (a missing extension stopped it): no round trip. */
async function verifyWith(engine: Engine, replay: Replay, input: VerifyInput, progress: Progress, releaseCut = false): Promise<VerifyResult> {
  const findings: Finding[] = []
  const notes: string[] = []
  const failed = (f: StatementFailure | CodeFailure) => findings.push(...replayFailed(f, engine.label))

  for (const [i, migration] of input.shipped.entries()) {
    progress.shipped(i, input.shipped.length)
    const { failure } = await replay(migration, 'up', NO_PROGRESS)
    if (failure) failed(failure)
  }
  if (input.shipped.length) progress.shipped(input.shipped.length, input.shipped.length)
  const before = await readSnapshot(engine)
  const tablesBefore = tableNames(before)

  const probes = input.baseCode ? buildProbes(input.baseCode.usage, rawQueries(input.baseCode.files)) : []
  const oldCode = await OldCodeCheck.start(engine, probes)
  const names = new RelationNames()
  await names.seed(engine)

  const locks: StatementLocks[] = []
  const seenLocks: SeenLock[] = []
  let releaseFailed = releaseCut
  for (const migration of input.added) {
    const run = await replay(migration, 'up', progress, names)
    for (const t of run.traced) {
      const { loc, sql } = t.statement
      locks.push({
        file: loc.file,
        line: loc.line,
        statement: sql.trim(),
        locks: (t.locks ?? []).map(l => heldLock(l.name, l.mode)),
        ...(t.locks === null ? { untraced: true } : {}),
      })
      for (const l of t.locks ?? []) {
        if (l.mode === 'AccessExclusiveLock' && isTableKind(l.kind) && tablesBefore.has(l.name) && !t.lockTimeoutSet) {
          findings.push(dangerousLock(migration, loc, l.name, l.mode))
          seenLocks.push({ migrationId: migration.id, line: loc.line, table: l.name, mode: modeName(l.mode) })
        }
      }
    }
    if (run.failure) {
      failed(run.failure)
      releaseFailed = true
    }
    if (input.baseCode && oldCode.size) {
      for (const f of await oldCode.after(engine, migration, touchedRelations(run))) findings.push(oldQueryFails(f, input.baseCode.label))
    }
  }
  notes.push(...(await roundTrip(engine, replay, input.added, before, releaseFailed, progress, findings)))
  return { findings, locks, seenLocks, notes: [summaryNote(engine, input, probes.length), ...(engine.notes ?? []), ...notes] }
}

/** Down in reverse, compare with the schema before the release, up again; returns why it was skipped. */
async function roundTrip(
  engine: Engine,
  replay: Replay,
  release: readonly Migration[],
  before: Awaited<ReturnType<typeof readSnapshot>>,
  releaseFailed: boolean,
  progress: Progress,
  findings: Finding[],
): Promise<string[]> {
  if (!release.length) return []
  if (releaseFailed) return ['Round trip not run: a migration of the release failed, so its down has nothing sound to undo.']
  const irreversible = release.filter(m => m.down === null)
  if (irreversible.length) {
    return [`Round trip not run: ${irreversible.map(m => m.path).join(', ')} ha${irreversible.length === 1 ? 's' : 've'} no down migration.`]
  }
  progress.phase('round trip: down')
  for (const migration of [...release].reverse()) {
    const { failure } = await replay(migration, 'down', progress)
    if (failure) {
      findings.push(...replayFailed(failure, engine.label))
      return ['Round trip stopped: a down migration failed; the schema was not compared.']
    }
  }
  const differences = diffSnapshots(before, await readSnapshot(engine))
  progress.phase('round trip: up again')
  let upAgain: StatementFailure | CodeFailure | null = null
  for (const migration of release) {
    upAgain = (await replay(migration, 'up-again', progress)).failure
    if (upAgain) break
  }
  const againFailed = upAgain && 'statement' in upAgain && !upAgain.refusal ? upAgain : null
  const mismatches = roundTripMismatches(differences, release, againFailed)
  findings.push(...mismatches)
  if (upAgain && !(againFailed && toldWithMismatch(againFailed, mismatches))) findings.push(...replayFailed(upAgain, engine.label))
  return []
}

// Statements that lock no relation and change no schema.
const SETTINGS = new Set(['VariableSetStmt', 'VariableShowStmt', 'TransactionStmt'])

/**
 * The relations (oids) the migration's statements locked: only queries on them can have broken. Null
 * when a statement changed something without a relation lock (a function, a type) or ran untraced.
 */
function touchedRelations(run: MigrationRun): Set<string> | null {
  const oids = new Set<string>()
  for (const t of run.traced) {
    if (t.locks === null || (!t.locks.length && !SETTINGS.has(kindOf(t.statement.ast) ?? ''))) return null
    for (const l of t.locks) oids.add(l.oid)
  }
  return oids
}

function summaryNote(engine: Engine, input: VerifyInput, probes: number): string {
  const statements = input.added.reduce((n, m) => n + m.up.length, 0)
  const parts = [
    `Verified on ${engine.label}: ${input.shipped.length} shipped migration${plural(input.shipped.length)} replayed, ` +
      `then ${input.added.length} of this release (${statements} statement${plural(statements)}) one statement at a time`,
  ]
  if (input.baseCode) parts.push(`${probes} quer${probes === 1 ? 'y' : 'ies'} of ${input.baseCode.label}'s code PREPAREd after each`)
  else parts.push('no previous release\'s code to check against')
  const kysely = kyselyNote(input)
  if (kysely) parts.push(kysely)
  return `${parts.join('; ')}.`
}

function kyselyNote(input: VerifyInput): string | null {
  const migrations = [...input.shipped, ...input.added].filter(m => m.layout === 'kysely')
  if (!migrations.length) return null
  if (!input.kysely) return 'Kysely migrations replayed as the SQL they recorded (parameters inlined)'
  const how = input.kysely.transactions ? 'each in a transaction, as its Migrator runs them' : 'without a transaction ("kysely": { "transactions": false })'
  const note = `Kysely migrations run through Kysely itself on this engine: the file's own up() and down(), ${how}`
  const skipped = migrations.filter(m => !importable(m)).map(m => m.path)
  return skipped.length ? `${note}; ${skipped.join(', ')} could not be imported: not replayed` : note
}

const plural = (n: number) => (n === 1 ? '' : 's')
