// The lint job, free of the CLI: config → discover → (release window) → replay + rules → suppressions → result.
import { openCache } from './cache/open-cache.js'
import { countStatements, memoizedLint } from './cache/lint-memo.js'
import { useCache, type CacheStore } from './cache/store.js'
import { ruleSetting, type Config } from './config.js'
import { inTreeSource, migrationsAtRef, shippedMigrationsAtRef, sourceRoots, type TreeSource } from './discover/at-ref.js'
import { discoverMigrations, skippedLinksNote } from './discover/discover.js'
import type { FileReader } from './discover/layouts.js'
import { migrationEntries, migrationFolders } from './discover/folders.js'
import { fileStart, lintMigrations, type ReleaseMode } from './engine/lint.js'
import { findingLevel, type CodeUsage } from './engine/rule.js'
import { ruleFinding } from './engine/rule-finding.js'
import { withoutNotesOnBlockedDrops } from './engine/drop-notes.js'
import { applySuppressions } from './engine/suppressions.js'
import { Git, type EarlyGit } from './git.js'
import type { Finding, Migration, Release, Severity } from './model.js'
import type { Schema } from './schema/schema.js'
import { loadParser, setMaxFileMB } from './parse/sql.js'
import { memoizedReplay } from './cache/replay-memo.js'
import { markerMemo } from './cache/marker-memo.js'
import { recallUses } from './cache/code-memo.js'
import { usageMemo } from './cache/usage-memo.js'
import { captureMemo } from './cache/kysely-memo.js'
import { fileFacts } from './cache/file-facts.js'
import { buildRelease } from './release/verdict.js'
import { movedNote, noBaseNote, resolveBase, splitRelease, windowFindings, type SideTexts } from './release/window.js'
import { baseCode, codeIgnore, scanCodeUsage } from './release/code-scan.js'
import type { CodeFile } from './usage/scan.js'
import type { UsageScan } from './usage/usage.js'
import { pushAll } from './util/push-all.js'
import { UsageError } from './util/errors.js'
import { allRules, rulesById } from '../rules/index.js'

export interface LintRequest {
  root: string
  cwd: string
  paths: readonly string[]
  config: Config
  /** Base ref of the release; without it, the newest tag matching config.tagPattern. */
  since?: string
  /** Judge only what is staged (pre-commit). */
  staged?: boolean
  /** Where parses, base schemas and usage scans are kept between runs (default: the disk cache of the build). */
  cache?: CacheStore
  /** Git commands started before the lint (EarlyGit.startLint), whose output the lint takes. */
  early?: EarlyGit
  /** Reads the working tree's migrations instead of the disk (migrate-lint lsp: an editor's unsaved buffers). */
  reader?: FileReader
  /** Keeps what a long-lived process need not find again for each run (migrate-lint lsp, src/lsp/world.ts). */
  keep?: Keep
  /** Judge only these files' migrations, as --staged does (migrate-lint lsp: the open files); the others are replayed. */
  judge?: ReadonlySet<string>
  /**
   * The caller loads the parser (loadParser) before it reads a returned migration's statements, as the
   * CLI's reports do: a run answered from the cache then never loads it. Otherwise it is loaded on return.
   */
  parserOnDemand?: boolean
}

/**
 * The parts of a release lint that do not depend on the working tree's migrations: the base, the
 * migrations shipped at it, the code scans. The caller decides when they are stale.
 */
export type Keep = <T>(part: 'git' | 'base' | 'atBase' | 'code', compute: () => T) => T

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
  /** The migrations that were linted. */
  migrations: Migration[]
  /** Things the user should know about how the run was made (e.g. no history). */
  notes: string[]
  /** What `migrate-lint verify` replays on a real Postgres (src/verify/). */
  replay?: ReplayInput
}

export interface ReplayInput {
  /** Shipped at the base, as they were then. */
  shipped: Migration[]
  /** This release's migrations, as they are now. */
  added: Migration[]
  /** The previous release's application code; null without a base (no git, no tag). */
  baseCode: { label: string; usage: () => UsageScan; files: () => CodeFile[] } | null
}

export async function runLint(request: LintRequest): Promise<LintOutcome> {
  useCache(request.cache ?? openCache(process.env))
  setMaxFileMB(request.config.maxFileMB)
  await request.early?.settled()
  // Kept, a long-lived process spawns no git to find the repository again (≈ 100 ms from a large heap).
  const git = request.keep ? request.keep('git', () => Git.open(request.root, request.early)) : Git.open(request.root, request.early)
  if (!git && (request.since !== undefined || request.staged)) {
    // Asked for explicitly, a release cannot quietly become a plain lint.
    throw new UsageError(`${request.staged ? '--staged' : '--since'} needs a git repository, and ${request.root} is not in one: run migrate-lint inside the repository, or leave the option out.`)
  }
  if (!git) return plainLint(request, ['Not a git repository: each migration is checked as if it shipped on its own; rules that need the previous release\'s code were not run against it.'])
  return releaseLint(request, git)
}

async function plainLint(request: LintRequest, notes: string[]): Promise<LintOutcome> {
  const { config } = request
  const discovered = await discoverOnDisk(request)
  noteSkippedLinks(discovered.skippedLinks, notes)
  // The parser (reading and compiling its WASM) is loaded only when something is parsed: not when the
  // findings come from the cache. A lazy Migration's getters are synchronous, hence the await before.
  const { findings, counts } = await memoizedLint(discovered.migrations, config, async () => {
    await loadParser()
    return lintAll(discovered.migrations, config, 'per-migration', null)
  })
  if (!request.parserOnDemand) await loadParser()
  for (const file of discovered.unknownFiles) findings.push(unknownFileFinding(file))
  const settled = settle(findings, config, discovered.migrations)
  const replay = { shipped: [], added: discovered.migrations, baseCode: null }
  return { findings: settled, release: null, summary: summarize(settled, discovered.migrations, counts), migrations: discovered.migrations, notes, replay }
}

async function releaseLint(request: LintRequest, git: Git): Promise<LintOutcome> {
  const { config } = request
  const notes: string[] = []
  const keep: Keep = request.keep ?? ((_part, compute) => compute())
  const base = keep('base', () => resolveBase(git, { since: request.since, tagPattern: config.tagPattern }))
  const source = migrationSource(request)
  const stagedFiles = request.staged ? new Set(git.stagedChanges().keys()) : null
  // Most commits touch no migration: the pre-commit hook then has nothing to judge and says so at once.
  if (stagedFiles && ![...stagedFiles].some(inTreeSource(source))) {
    notes.push('No migration file is staged: nothing to judge.')
    return { findings: [], release: buildRelease(base?.ref ?? null, 'staged', [], []), summary: summarize([], []), migrations: [], notes }
  }
  // The base first: its pack of markers spares the index reading the texts the two share.
  // Read where they were at the base: the release may have moved them (atBase.movedFrom).
  const atBase = base ? await keep('atBase', () => shippedMigrationsAtRef(git, base.rev, source, { markers: markerMemo(), captures: captureMemo() })) : null
  if (!base) notes.push(noBaseNote(config.tagPattern))
  if (base && atBase?.movedFrom) notes.push(movedNote(base.ref, atBase.movedFrom, source))
  const head = request.staged
    ? await migrationsAtRef(git, '', source, { changing: stagedFiles ?? undefined, markers: markerMemo(), captures: captureMemo() })
    : await (async () => {
        const found = await discoverOnDisk(request)
        noteSkippedLinks(found.skippedLinks, notes)
        const sources = new Map(found.migrations.flatMap(m => m.sources.map(s => [s.path, s] as const)))
        const text = (file: string) => sources.get(file)?.text ?? null
        return { migrations: found.migrations, unknownFiles: found.unknownFiles, text, contentId: (file: string) => sources.get(file)?.contentId }
      })()
  // Before the split: it compares the parse trees of an edited shipped migration with those of now.
  await loadParser()
  const split = splitRelease(atBase?.migrations ?? [], head.migrations, atBase ?? NO_TEXTS, head, {
    headCoversFolders: source.coversFolders,
    moved: atBase?.movedFrom ? { base: atBase.movedFrom, head: sourceRoots(source) } : undefined,
  })
  // The files judged: the staged ones, or those asked for; the release's others are only replayed.
  const narrowed = stagedFiles ?? request.judge ?? null
  const judged = narrowed ? split.added.filter(m => m.sources.some(s => narrowed.has(s.path))) : split.added
  // The folders the base kept its migrations in are no application code either.
  const codeSource = atBase?.movedFrom ? { ...source, folders: [...source.folders, ...atBase.movedFrom] } : source
  const code = keep('code', () => scanCodeUsage(git, request.root, config, base, codeSource, notes, { recall: recallUses, usage: usageMemo() }))
  // --staged: the release's committed migrations are replayed, not judged again (nor is the code scanned for them).
  const only = narrowed ? new Set(judged.map(m => m.id)) : undefined
  // What --staged does not judge and comes first is replayed from the cache, like the shipped migrations.
  const replayed = only ? prefixWhile(split.added, m => !only.has(m.id)) : []
  const start = memoizedReplay([...split.shipped, ...replayed])
  const findings = lintAll(split.added.slice(replayed.length), config, 'release', code, only, start)
    .filter(f => !narrowed || narrowed.has(f.file))
  pushAll(findings, windowFindings(split, base, narrowed))
  for (const file of head.unknownFiles) if (!narrowed || narrowed.has(file)) findings.push(unknownFileFinding(file))
  const settled = settle(findings, config, [...split.shipped, ...split.added])
  const release = buildRelease(base?.ref ?? null, request.staged ? 'staged' : 'HEAD', judged, settled)
  const replay: ReplayInput = {
    shipped: split.shipped,
    added: split.added,
    baseCode: base
      ? { label: base.ref, usage: () => code.base, files: () => baseCode(git, base.rev, config.code, codeIgnore(config, codeSource)) }
      : null,
  }
  return { findings: settled, release, summary: summarize(settled, judged), migrations: judged, notes, replay }
}

const NO_TEXTS: SideTexts = { text: () => null }

function prefixWhile<T>(items: readonly T[], keep: (item: T) => boolean): T[] {
  const end = items.findIndex(item => !keep(item))
  return items.slice(0, end < 0 ? items.length : end)
}

function noteSkippedLinks(links: readonly string[], notes: string[]): void {
  const note = skippedLinksNote(links)
  if (note) notes.push(note)
}

function discoverOnDisk(request: LintRequest) {
  const { config } = request
  const entries = config.migrations ? migrationEntries(request.root, config.migrations) : null
  return discoverMigrations({
    root: request.root,
    cwd: request.cwd,
    paths: request.paths,
    folders: entries?.folders,
    globs: entries?.globs,
    base: config.dir,
    exclude: config.exclude,
    layout: config.layout ?? undefined,
    kysely: config.kysely,
    reader: request.reader,
    facts: fileFacts(),
    captures: captureMemo(),
  })
}

interface MigrationSource extends TreeSource {
  /** The head side lists whole folders (not single files), so a missing shipped migration was deleted. */
  coversFolders: boolean
}

/** Where migrations live, in terms that work both on disk and in a git tree. */
function migrationSource(request: LintRequest): MigrationSource {
  const { config } = request
  const common = { exclude: config.exclude, layout: config.layout ?? undefined, kysely: config.kysely, within: config.dir }
  if (config.migrations && !request.paths.length) return { ...common, ...migrationEntries(request.root, config.migrations), coversFolders: true }
  return { ...common, ...migrationFolders(request.root, request.cwd, request.paths, config.dir) }
}

export function lintAll(
  migrations: Migration[],
  config: Config,
  mode: ReleaseMode,
  code: CodeUsage | null,
  only?: ReadonlySet<string>,
  start?: Schema,
): Finding[] {
  const enabled = allRules.filter(r => ruleSetting(r, config.rules) !== 'off')
  const severities = Object.fromEntries(
    enabled.map(r => [r.id, ruleSetting(r, config.rules)]).filter((e): e is [string, Severity] => e[1] !== undefined),
  )
  const { findings, subjects } = lintMigrations(migrations, {
    rules: enabled,
    severities,
    config: { postgresVersion: config.postgresVersion, tables: config.tables },
    mode,
    code,
    only,
    start,
  })
  const sources = migrations
    .filter(m => (mode === 'per-migration' || m.inRelease) && (!only || only.has(m.id)))
    .flatMap(m => m.sources)
  // `migrate-lint verify` raises the verify-* rules; lint alone cannot tell their suppressions unused.
  const verifyOnly = new Set([...rulesById.keys()].filter(id => id.startsWith('verify-')))
  return withoutNotesOnBlockedDrops(applySuppressions(findings, sources, new Set(rulesById.keys()), verifyOnly), subjects)
}

function unknownFileFinding(file: string): Finding {
  return ruleFinding('unknown-migration-file', 'unknown', { file }, fileStart(file))
}

/** Applies `rules` settings to findings raised outside the rule engine; sorts them in migration order. */
export function settle(findings: Finding[], config: Config, migrations: readonly Migration[]): Finding[] {
  const fileOrder = new Map<string, number>()
  migrations.forEach((m, i) => m.sources.forEach(s => fileOrder.set(s.path, i)))
  const rank = (f: Finding) => fileOrder.get(f.file) ?? Number.MAX_SAFE_INTEGER
  return findings
    .filter(f => settingOf(f, config) !== 'off')
    .map(f => {
      const setting = settingOf(f, config)
      const rule = rulesById.get(f.ruleId)
      return setting && setting !== 'off' && rule ? { ...f, ...findingLevel(rule, f.messageId ?? '', setting) } : f
    })
    .sort((a, b) =>
      rank(a) - rank(b) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
}

/** A finding's rule decides, by its own category: a finding may be filed under another one (a reformatting note). */
function settingOf(f: Finding, config: Config) {
  return ruleSetting(rulesById.get(f.ruleId) ?? { id: f.ruleId, category: f.category }, config.rules)
}

/** `counts` when they are known without parsing (a run answered from the cache). */
export function summarize(findings: readonly Finding[], migrations: readonly Migration[], counts = countStatements(migrations)): Summary {
  const active = findings.filter(f => !f.suppressed)
  const files = new Set(migrations.flatMap(m => m.sources.map(s => s.path)))
  return {
    files: files.size,
    statements: counts.statements,
    errors: active.filter(f => f.severity === 'error').length,
    warnings: active.filter(f => f.severity === 'warning').length,
    unparsed: counts.unparsed,
  }
}

export function exitCodeOf(outcome: LintOutcome): number {
  if (outcome.summary.errors > 0) return 1
  // Unproven fails the run through its findings' severity: the config may lower them to warnings.
  if (outcome.release?.verdict === 'not-revert-safe') return 1
  return 0
}
