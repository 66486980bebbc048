// The benchmark of issue 7: migrate-lint against squawk on generated repositories of 100, 1,000 and
// 10,000 migrations, each command run as a process the way a user or CI runs it. Prints a table (or,
// with --json, one JSON document); every figure is the median of --runs runs after --warmup runs that
// are thrown away (they fill the page cache: "cold" here means no parse cache, not a cold disk).
//   npm run bench                                   # build, then everything (about half an hour on 2 cores)
//   npm run -s bench -- --json > bench.json         # the same as JSON
//   npm run bench -- --sizes 100,1000 --layouts sql --runs 5
//   npx tsx bench/run.ts --report bench.json         # the table again from a saved document
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generateRepo, TAG, type GeneratedRepo, type Layout } from './generate.js'
import { ROOT, snapshotBuild } from './snapshot.js'

const SQUAWK = path.join(ROOT, 'node_modules/@squawk-cli/linux-x64/bin/squawk')
const TIME = '/usr/bin/time'

interface Options {
  sizes: number[]
  layouts: Layout[]
  runs: number
  warmup: number
  json: boolean
  keep: boolean
  seed?: number
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
  const list = (name: string, fallback: string) => (value(name) ?? fallback).split(',').map(s => s.trim()).filter(Boolean)
  const options: Options = {
    sizes: list('--sizes', '100,1000,10000').map(Number),
    layouts: list('--layouts', 'sql,kysely') as Layout[],
    runs: Number(value('--runs') ?? 5),
    warmup: Number(value('--warmup') ?? 1),
    json: argv.includes('--json'),
    keep: argv.includes('--keep'),
    seed: value('--seed') ? Number(value('--seed')) : undefined,
  }
  if (options.sizes.some(n => !Number.isInteger(n) || n < 10)) throw new Error('--sizes: whole numbers ≥ 10, e.g. 100,1000,10000')
  if (options.layouts.some(l => l !== 'sql' && l !== 'kysely')) throw new Error('--layouts: sql and/or kysely')
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs: a whole number ≥ 1 (the issue asks for ≥ 5)')
  if (!Number.isInteger(options.warmup) || options.warmup < 1) throw new Error('--warmup: at least 1 (the warm-up run fills the cache that the warm runs read)')
  return options
}

// ---------------------------------------------------------------------------------------------------
// One process, timed from spawn to exit (Node's start included: that is what a user waits for).

interface Sample {
  ms: number
  /** Peak resident set of the process (and its worker threads), from GNU time; null without it. */
  rssKb: number | null
  /** User + system CPU time of the process and the children it waited for (git, esbuild), from GNU time. */
  cpuMs: number | null
  code: number
  stdout: string
  stderr: string
}

const hasTime = fs.existsSync(TIME)

/** Folders to remove if the run is interrupted (a 10,000-migration repository is a few hundred MB). */
const temporary = new Set<string>()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true })
    process.exit(130)
  })
}
// Plain Node for the children: no inherited NODE_OPTIONS, no colours (output goes to a pipe anyway).
const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
delete childEnv.NODE_OPTIONS
delete childEnv.FORCE_COLOR

function runOnce(command: string, args: readonly string[], cwd: string, scratch: string, env: Record<string, string> = {}): Sample {
  const rssFile = path.join(scratch, 'peak-rss')
  const [file, argv] = hasTime ? [TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, [...args]]
  const start = performance.now()
  const result = spawnSync(file, argv, { cwd, env: { ...childEnv, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 })
  const ms = performance.now() - start
  if (result.error) throw result.error
  // GNU time writes "Command exited with non-zero status N" before the figures: take the last line.
  const [rss, user, system] = hasTime ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN]
  const cpu = (user + system) * 1000
  return {
    ms,
    rssKb: Number.isFinite(rss) ? rss : null,
    cpuMs: Number.isFinite(cpu) ? cpu : null,
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
  }
}

interface CaseSpec {
  id: CaseId
  label: string
  command: string
  args: string[]
  cwd: string
  /** Shown in the report: the command as a user would type it. */
  display: string
  /** Cache settings: none (cold) or the size's own cache folder, filled by the warm-up round. */
  env: Record<string, string>
  /** Runs before each run of the case, untimed. */
  before?: (round: number) => void
}

type CaseId = 'full' | 'warm' | 'since' | 'staged' | 'stagedCold' | 'squawk' | 'bareNode'

interface CaseResult {
  label: string
  command: string
  runs: number
  medianMs: number
  minMs: number
  maxMs: number
  timesMs: number[]
  /**
   * Median CPU time (user + system, all threads and waited-for children). Less sensitive than wall time
   * to other work on the machine; above wall time when work runs on several cores at once.
   */
  medianCpuMs: number | null
  /** Highest peak RSS over the runs, MB. */
  peakRssMb: number | null
  exitCode: number
  /** What the tool said it linted (migrate-lint's summary; squawk: the files passed). */
  files: number | null
  statements: number | null
  findings: number | null
  statementsPerSecond: number | null
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const round1 = (n: number) => Math.round(n * 10) / 10

// ---------------------------------------------------------------------------------------------------

interface SizeResult {
  migrations: number
  layout: Layout
  corpus: {
    migrationFiles: number
    shipped: number
    release: number
    staged: string
    statements: number
    migrationMegabytes: number
    appFiles: number
    appMegabytes: number
  }
  cases: {
    full: CaseResult
    /** The same full lint with the cache the warm-up round filled. */
    warm: CaseResult
    since: CaseResult
    staged: CaseResult
    /** --staged without a cache: the first pre-commit run after a new base. */
    stagedCold: CaseResult
    squawk: CaseResult | null
    /** `node -e 0`: Node's own start, what the --staged goal is a multiple of. */
    bareNode: CaseResult
  }
  /** migrate-lint cold full lint ÷ squawk, wall time (medians). */
  fullVsSquawk: number | null
  /** migrate-lint warm full lint ÷ squawk, wall time (medians). */
  warmVsSquawk: number | null
  /** The same ratio in CPU time (user + system). */
  fullVsSquawkCpu: number | null
  loadAverage: { before: number[]; after: number[] }
}

function casesFor(repo: GeneratedRepo, plain: string, bin: string, cacheDir: string): CaseSpec[] {
  const node = process.execPath
  const cold = { MIGRATE_LINT_NO_CACHE: '1' }
  const warm = { MIGRATE_LINT_CACHE_DIR: cacheDir }
  const full = [bin, 'migrations', '--format', 'json']
  const cases: CaseSpec[] = [
    {
      id: 'full',
      label: 'full lint, cold',
      command: node,
      args: full,
      cwd: plain,
      display: 'MIGRATE_LINT_NO_CACHE=1 migrate-lint migrations --format json   (in a copy without .git: every migration is linted)',
      env: cold,
    },
    { id: 'warm', label: 'full lint, warm', command: node, args: full, cwd: plain, display: 'migrate-lint migrations --format json   (the cache filled by the warm-up run)', env: warm },
    { id: 'since', label: `--since ${TAG}`, command: node, args: [bin, '--since', TAG, '--format', 'json'], cwd: repo.dir, display: `migrate-lint --since ${TAG} --format json`, env: warm },
    // A pre-commit hook meets a staged text it has not seen: each round stages a new version (a comment).
    { id: 'staged', label: '--staged, 1 file', command: node, args: [bin, '--staged', '--format', 'json'], cwd: repo.dir, display: 'migrate-lint --staged --format json', env: warm, before: restage(repo) },
    { id: 'stagedCold', label: '--staged, 1 file, cold', command: node, args: [bin, '--staged', '--format', 'json'], cwd: repo.dir, display: 'MIGRATE_LINT_NO_CACHE=1 migrate-lint --staged --format json', env: cold },
  ]
  if (repo.layout === 'sql') {
    // The native binary, not the npm wrapper: the wrapper is a Node process that would add Node's
    // start-up to squawk's time and flatter migrate-lint. Files are passed, as a CI step would.
    const files = repo.migrationFiles
    cases.push({ id: 'squawk', label: `squawk ${squawkVersion()}`, command: SQUAWK, args: ['--reporter', 'json', ...files], cwd: plain, display: 'squawk --reporter json migrations/*.sql', env: {} })
  }
  // Node's own start, in the same rounds: the --staged goal (issue 16) is a multiple of it.
  cases.push({ id: 'bareNode', label: 'node -e 0', command: node, args: ['-e', '0'], cwd: plain, display: 'node -e 0', env: {} })
  return cases
}

/** Stages a new version of the staged migration before each run: the same statements, another blob. */
function restage(repo: GeneratedRepo): (round: number) => void {
  const file = path.join(repo.dir, repo.staged)
  const original = fs.readFileSync(file, 'utf8')
  return round => {
    fs.writeFileSync(file, `${original}-- staged for round ${round + 1}\n`)
    execFileSync('git', ['add', '--', repo.staged], { cwd: repo.dir })
  }
}

let squawkVersionText: string | null = null
function squawkVersion(): string {
  squawkVersionText ??= execFileSync(SQUAWK, ['--version'], { encoding: 'utf8' }).trim().replace(/^squawk\s+/, '')
  return squawkVersionText
}

/** Reads what the run said it did, and refuses results that would mean the benchmark measured the wrong thing. */
function inspect(spec: CaseSpec, sample: Sample, repo: GeneratedRepo): Pick<CaseResult, 'files' | 'statements' | 'findings'> {
  const fail = (why: string): never => {
    throw new Error(`${spec.display} in ${spec.cwd}: ${why}\nexit ${sample.code}\n${sample.stderr.slice(0, 2000)}`)
  }
  if (spec.id === 'bareNode') {
    if (sample.code !== 0) fail('node -e 0 failed')
    return { files: null, statements: null, findings: null }
  }
  if (spec.id === 'squawk') {
    if (sample.code !== 0 && sample.code !== 1) fail('squawk failed')
    let violations: unknown[] = []
    try {
      violations = JSON.parse(sample.stdout) as unknown[]
    } catch {
      fail('squawk printed no JSON')
    }
    return { files: repo.migrationFiles.length, statements: null, findings: violations.length }
  }
  if (sample.code !== 0 && sample.code !== 1) fail('migrate-lint failed')
  const doc = JSON.parse(sample.stdout) as { release: unknown; findings: unknown[]; summary: { files: number; statements: number } }
  const full = spec.id === 'full' || spec.id === 'warm'
  if (full && doc.release !== null) fail('the full lint ran in release mode: the copy is inside a git repository')
  if (full && doc.summary.files !== repo.migrationFiles.length) fail(`linted ${doc.summary.files} files, expected ${repo.migrationFiles.length}`)
  if ((spec.id === 'staged' || spec.id === 'stagedCold') && doc.summary.files !== 1) fail(`--staged judged ${doc.summary.files} files, expected 1`)
  return { files: doc.summary.files, statements: doc.summary.statements, findings: doc.findings.length }
}

function benchSize(size: number, options: Options, bin: string, log: (line: string) => void): SizeResult[] {
  const results: SizeResult[] = []
  for (const layout of options.layouts) {
    const loadBefore = os.loadavg().map(round1)
    const started = performance.now()
    const repo = generateRepo({ migrations: size, layout, seed: options.seed })
    // The full lint runs in a copy without .git: outside a repository migrate-lint lints every file.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `migrate-lint-bench-plain-${layout}-${size}-`))
    if (!options.keep) [repo.dir, scratch].forEach(dir => temporary.add(dir))
    const plain = path.join(scratch, 'work')
    fs.cpSync(path.join(repo.dir, 'migrations'), path.join(plain, 'migrations'), { recursive: true })
    log(`${size} ${layout}: generated ${repo.migrationFiles.length} migrations + ${repo.appFiles} app files in ${Math.round(performance.now() - started)} ms (${repo.dir})`)

    const cases = casesFor(repo, plain, bin, path.join(scratch, 'cache'))
    const samples = new Map<CaseId, Sample[]>(cases.map(c => [c.id, []]))
    const facts = new Map<CaseId, Pick<CaseResult, 'files' | 'statements' | 'findings'>>()
    const firstOutput = new Map<CaseId, string>()
    // Round robin, so that a change in the machine's load hits every command alike.
    for (let round = 0; round < options.warmup + options.runs; round++) {
      const times: string[] = []
      for (const spec of cases) {
        spec.before?.(round)
        const sample = runOnce(spec.command, spec.args, spec.cwd, scratch, spec.env)
        if (!facts.has(spec.id)) facts.set(spec.id, inspect(spec, sample, repo))
        if (!firstOutput.has(spec.id)) firstOutput.set(spec.id, sample.stdout)
        // Warm and cold must say the same: a cache that changes the result is a bug, not a speed-up.
        const twin = ({ warm: 'full', staged: 'stagedCold' } as Partial<Record<CaseId, CaseId>>)[spec.id]
        if (twin && firstOutput.has(twin) && sample.stdout !== firstOutput.get(twin)) throw new Error(`${spec.display}: the output differs from the run without a cache`)
        if (round >= options.warmup) samples.get(spec.id)!.push(sample)
        times.push(`${spec.id} ${fmtMs(sample.ms)}`)
      }
      log(`  round ${round + 1}/${options.warmup + options.runs}${round < options.warmup ? ' (warm-up)' : ''}: ${times.join(', ')}; load ${round1(os.loadavg()[0])}`)
    }
    const statements = facts.get('full')!.statements!
    const result = (spec: CaseSpec): CaseResult => {
      const runs = samples.get(spec.id)!
      const times = runs.map(s => s.ms)
      const rss = runs.map(s => s.rssKb).filter((v): v is number => v !== null)
      const cpu = runs.map(s => s.cpuMs).filter((v): v is number => v !== null)
      const med = median(times)
      const perSecond = spec.id === 'full' || spec.id === 'warm' || spec.id === 'squawk' ? Math.round(statements / (med / 1000)) : null
      return {
        label: spec.label,
        command: spec.display,
        runs: runs.length,
        medianMs: round1(med),
        minMs: round1(Math.min(...times)),
        maxMs: round1(Math.max(...times)),
        timesMs: times.map(round1),
        medianCpuMs: cpu.length ? round1(median(cpu)) : null,
        peakRssMb: rss.length ? round1(Math.max(...rss) / 1024) : null,
        exitCode: runs[runs.length - 1].code,
        ...facts.get(spec.id)!,
        statementsPerSecond: perSecond,
      }
    }
    const byId = new Map(cases.map(spec => [spec.id, result(spec)]))
    const full = byId.get('full')!
    const squawk = byId.get('squawk') ?? null
    results.push({
      migrations: size,
      layout,
      corpus: {
        migrationFiles: repo.migrationFiles.length,
        shipped: repo.shipped,
        release: repo.release,
        staged: repo.staged,
        statements,
        migrationMegabytes: round1(repo.migrationBytes / 1e5) / 10,
        appFiles: repo.appFiles,
        appMegabytes: round1(repo.appBytes / 1e5) / 10,
      },
      cases: { full, warm: byId.get('warm')!, since: byId.get('since')!, staged: byId.get('staged')!, stagedCold: byId.get('stagedCold')!, squawk, bareNode: byId.get('bareNode')! },
      fullVsSquawk: squawk ? Math.round((full.medianMs / squawk.medianMs) * 100) / 100 : null,
      warmVsSquawk: squawk ? Math.round((byId.get('warm')!.medianMs / squawk.medianMs) * 100) / 100 : null,
      fullVsSquawkCpu: squawk && full.medianCpuMs && squawk.medianCpuMs ? Math.round((full.medianCpuMs / squawk.medianCpuMs) * 100) / 100 : null,
      loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
    })
    if (options.keep) log(`  kept ${repo.dir} and ${plain}`)
    else {
      for (const dir of [repo.dir, scratch]) {
        fs.rmSync(dir, { recursive: true, force: true })
        temporary.delete(dir)
      }
    }
  }
  return results
}

// ---------------------------------------------------------------------------------------------------
// Report

function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}
const fmtInt = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'))
const fmtMb = (n: number | null) => (n === null ? '—' : `${Math.round(n)} MB`)

interface Target {
  what: string
  goal: string
  measured: string
  met: boolean | null
}

/**
 * The goals of issue 16, each with the ratio measured in the same rounds (squawk and bare Node run
 * between migrate-lint's runs, so load hits them alike). SQL corpora only: squawk reads no Kysely.
 */
function targets(results: readonly SizeResult[]): Target[] {
  const out: Target[] = []
  const sql = (n: number) => results.find(r => r.layout === 'sql' && r.migrations === n)
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100
  for (const [n, limit] of [[10000, 1.0], [1000, 2.5]] as const) {
    const r = sql(n)
    if (r?.fullVsSquawk == null) continue
    out.push({
      what: `cold full lint, ${fmtInt(n)} SQL migrations`,
      goal: `≤ ${limit.toFixed(1)}× squawk`,
      measured: `${r.fullVsSquawk.toFixed(2)}× (${fmtMs(r.cases.full.medianMs)} vs ${fmtMs(r.cases.squawk!.medianMs)})`,
      met: r.fullVsSquawk <= limit,
    })
  }
  const warm = sql(10000)
  if (warm?.warmVsSquawk != null) {
    out.push({
      what: 'warm full lint, 10,000 SQL migrations',
      goal: '≤ 0.3× squawk',
      measured: `${warm.warmVsSquawk.toFixed(2)}× (${fmtMs(warm.cases.warm.medianMs)} vs ${fmtMs(warm.cases.squawk!.medianMs)})`,
      met: warm.warmVsSquawk <= 0.3,
    })
  }
  const staged = sql(1000)
  // A document saved before the bare Node case has no bareNode.
  if (staged?.cases.bareNode) {
    const { staged: run, bareNode } = staged.cases
    const times = ratio(run.medianMs, bareNode.medianMs)
    out.push({
      what: '`--staged`, a newly staged migration, 1,000 SQL migrations',
      goal: '≤ 2.5× `node -e 0`',
      measured: `${times.toFixed(2)}× (${fmtMs(run.medianMs)} vs ${fmtMs(bareNode.medianMs)})`,
      met: times <= 2.5,
    })
  }
  const big = sql(10000)
  if (big?.cases.full.peakRssMb != null) {
    const peak = big.cases.full.peakRssMb
    out.push({ what: 'peak RSS, cold full lint, 10,000 SQL migrations', goal: '≤ 150 MB', measured: fmtMb(peak), met: peak <= 150 })
    // Sub-linear: each migration past 1,000 costs less memory than the first 1,000 did on average
    // (above Node's own footprint), i.e. what a migration leaves alive does not pile up.
    const small = sql(1000)
    const node = big.cases.bareNode?.peakRssMb
    if (small?.cases.full.peakRssMb != null && node != null) {
      const marginal = ((peak - small.cases.full.peakRssMb) * 1024) / (big.migrations - small.migrations)
      const average = ((small.cases.full.peakRssMb - node) * 1024) / small.migrations
      out.push({
        what: 'peak RSS growth, 1,000 → 10,000 SQL migrations',
        goal: 'sub-linear (KB per migration beyond 1,000 < average of the first 1,000)',
        measured: `${marginal.toFixed(1)} KB vs ${average.toFixed(1)} KB per migration`,
        met: marginal < average,
      })
    }
  }
  return out
}

export function markdown(results: readonly SizeResult[]): string {
  const lines: string[] = []
  lines.push(
    '| migrations | layout | statements | full lint (cold) | warm | `--since v1.0` | `--staged` (1 file): warm / cold | squawk | cold ÷ squawk (wall; CPU) | warm ÷ squawk | statements/s: migrate-lint / squawk | peak RSS: full / since / staged / squawk | load avg (1 min) before → after |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  )
  for (const r of results) {
    const c = r.cases
    lines.push(
      `| ${fmtInt(r.migrations)} | ${r.layout} | ${fmtInt(r.corpus.statements)} | ${fmtMs(c.full.medianMs)} | ${fmtMs(c.warm.medianMs)} | ${fmtMs(c.since.medianMs)} | ${fmtMs(c.staged.medianMs)} / ${fmtMs(c.stagedCold.medianMs)} | ${c.squawk ? fmtMs(c.squawk.medianMs) : '—¹'} | ${r.fullVsSquawk === null ? '—' : `${r.fullVsSquawk.toFixed(2)}×; ${r.fullVsSquawkCpu?.toFixed(2) ?? '—'}×`} | ${r.warmVsSquawk === null ? '—' : `${r.warmVsSquawk.toFixed(2)}×`} | ${fmtInt(c.full.statementsPerSecond)} / ${c.squawk ? fmtInt(c.squawk.statementsPerSecond) : '—'} | ${[c.full, c.since, c.staged].map(x => fmtMb(x.peakRssMb)).join(' / ')} / ${c.squawk ? fmtMb(c.squawk.peakRssMb) : '—'} | ${r.loadAverage.before[0]} → ${r.loadAverage.after[0]} |`,
    )
  }
  lines.push(
    '',
    '¹ squawk reads SQL files only; the Kysely migrations (`.ts`) have no squawk counterpart.',
    '`--since` and `--staged` run with the cache that the warm-up round filled (as every run after the first does); "cold" runs with `MIGRATE_LINT_NO_CACHE=1`.',
    '',
    '| migrations | layout | run | median (wall) | min – max | CPU, median | peak RSS | files judged | statements judged | findings |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|',
  )
  for (const r of results) {
    for (const c of [r.cases.full, r.cases.warm, r.cases.since, r.cases.staged, r.cases.stagedCold, r.cases.squawk, r.cases.bareNode]) {
      if (!c) continue
      lines.push(
        `| ${fmtInt(r.migrations)} | ${r.layout} | ${c.label} | ${fmtMs(c.medianMs)} | ${fmtMs(c.minMs)} – ${fmtMs(c.maxMs)} | ${c.medianCpuMs === null ? '—' : fmtMs(c.medianCpuMs)} | ${fmtMb(c.peakRssMb)} | ${fmtInt(c.files)} | ${fmtInt(c.statements)} | ${fmtInt(c.findings)} |`,
      )
    }
  }
  lines.push(
    '',
    '| goal (issue 16) | target | measured (same run) | met |',
    '|---|---|---|---|',
    ...targets(results).map(t => `| ${t.what} | ${t.goal} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'yes' : 'no'} |`),
  )
  return lines.join('\n')
}

function environment() {
  const read = (command: string, args: string[], cwd?: string) => {
    try {
      return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGb: round1(os.totalmem() / 2 ** 30),
    // The commit the build came from; uncommitted changes in src/ may be part of the build too.
    migrateLint: { version: pkg.version, commit: read('git', ['rev-parse', '--short', 'HEAD'], ROOT), builtAt: fs.statSync(path.join(ROOT, 'dist/src/cli.js')).mtime.toISOString() },
    squawk: squawkVersion(),
    peakRss: hasTime ? 'GNU time %M (max resident set, KB)' : 'not measured (no /usr/bin/time)',
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  // --report <file.json>: the table again from a saved --json document, without measuring anything.
  if (argv.includes('--report')) {
    const saved = JSON.parse(fs.readFileSync(argv[argv.indexOf('--report') + 1], 'utf8')) as { results: SizeResult[] }
    process.stdout.write(`${markdown(saved.results)}\n`)
    return
  }
  // --lsp: the language server's re-check after an edit (bench/lsp.ts), on its own: it needs no squawk.
  if (argv.includes('--lsp')) return (await import('./lsp.js')).benchLsp(argv)
  const options = parseOptions(argv)
  if (!fs.existsSync(SQUAWK)) throw new Error(`${SQUAWK} is missing: npm install (squawk-cli is a devDependency; its binary comes in @squawk-cli/${process.platform}-${process.arch})`)
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const env = environment()
  log(`migrate-lint ${env.migrateLint.version} (${env.migrateLint.commit}) vs squawk ${env.squawk}; Node ${env.node}, ${env.cpus} CPUs; load ${os.loadavg().map(round1).join(' ')}`)
  log(`${options.runs} timed runs after ${options.warmup} warm-up per command; sizes ${options.sizes.join(', ')}; layouts ${options.layouts.join(', ')}`)
  const build = snapshotBuild()
  temporary.add(build.dir)
  const results: SizeResult[] = []
  try {
    for (const size of options.sizes) results.push(...benchSize(size, options, build.bin, log))
  } finally {
    build.remove()
  }
  const document = {
    version: 1,
    environment: env,
    method: {
      runs: options.runs,
      warmup: options.warmup,
      statistic: 'median wall time from spawn to exit, Node start-up included; CPU = user + system from GNU time',
      cold: 'MIGRATE_LINT_NO_CACHE=1: no disk cache; the page cache is warm after the warm-up run',
      warm: 'the disk cache (MIGRATE_LINT_CACHE_DIR, one per size and layout) as the warm-up run left it; --since and --staged run warm',
      appFiles: 'scanned at the base ref and in the working tree when a rule asks (--since, --staged)',
    },
    results,
    targets: targets(results),
  }
  if (options.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
  else process.stdout.write(`\n${markdown(results)}\n\nload average at the end: ${os.loadavg().map(round1).join(' ')} (${env.cpus} CPUs)\n`)
}

await main()
