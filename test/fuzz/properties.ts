// The fuzz properties, shared by the test suite (test/fuzz/*.test.ts, a fixed case count) and
// `npm run fuzz` (scripts/fuzz.ts, ten times as many). Call loadParser() before running them.
import { Chalk } from 'chalk'
import fc from 'fast-check'
import { DEFAULT_CONFIG, type Config } from '../../src/config.js'
import { assembleMigrations } from '../../src/discover/assemble.js'
import { dbmateSections, type FileReader } from '../../src/discover/layouts.js'
import { decodeText } from '../../src/discover/discover.js'
import type { CodeUsage } from '../../src/engine/rule.js'
import type { Migration, Statement } from '../../src/model.js'
import { parseSql } from '../../src/parse/sql.js'
import { SourceText } from '../../src/parse/source-text.js'
import { buildRelease } from '../../src/release/verdict.js'
import { formatJson } from '../../src/report/json.js'
import { formatText } from '../../src/report/text.js'
import { lintAll, settle, summarize, type LintOutcome } from '../../src/run.js'
import type { Usage } from '../../src/usage/usage.js'
import { dbmateText, migrationText } from './grammar.js'
import { expectNoProblems, findingProblems, splitterAgreement, statementProblems } from './invariants.js'
import { mutatedBytes } from './mutate.js'

const DEFAULT_SEED = 20_240_707

/** `FUZZ_SEED=<int>` replays a failure that fast-check reported with that seed. */
export function fuzzSeed(fallback: number = DEFAULT_SEED): number {
  const raw = process.env.FUZZ_SEED
  if (raw === undefined || raw === '') return fallback
  const seed = Number(raw)
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(raw)}`)
  return seed | 0
}

export interface FuzzProperty {
  name: string
  /** Parsing alone, or the whole lint: the suite runs the two groups in parallel (one file each). */
  group: 'parse' | 'lint'
  /** Cases in the normal suite; `npm run fuzz` multiplies them. */
  runs: number
  check(params: { seed: number; numRuns: number }): Promise<fc.RunDetails<unknown>>
}

function fuzzProperty<Ts>(group: FuzzProperty['group'], name: string, runs: number, property: fc.IRawProperty<Ts>): FuzzProperty {
  return { group, name, runs, check: async params => (await fc.check(property, params)) as fc.RunDetails<unknown> }
}

// ── parsing ──────────────────────────────────────────────────────────────────────────────────────

function parseText(text: string, invalidUtf8 = false): { source: SourceText; statements: Statement[] } {
  const source = new SourceText('migrations/001_fuzz.sql', text)
  return { source, statements: parseSql(source, { inTransaction: false, invalidUtf8 }) }
}

const whole = (source: SourceText) => ({ start: 0, end: source.bytes.length })

const grammarParses = fc.property(migrationText, text => {
  const { source, statements } = parseText(text)
  expectNoProblems([...statementProblems(source, statements, whole(source)), ...splitterAgreement(source, statements, whole(source))], text)
})

const mutationsParse = fc.property(mutatedBytes, bytes => {
  const { text, invalidUtf8 } = decodeText(bytes)
  const { source, statements } = parseText(text, invalidUtf8)
  expectNoProblems(statementProblems(source, statements, whole(source)), bytes)
})

/** dbmate sections parse a byte range of the file: statements stay inside their section. */
const sectionsParse = fc.property(fc.oneof(dbmateText, mutatedBytes.map(b => `-- migrate:up\n${decodeText(b).text}\n-- migrate:down\n${decodeText(b.subarray(b.length >> 1)).text}`)), text => {
  const source = new SourceText('migrations/001_fuzz.sql', text)
  const sections = dbmateSections(text)
  for (const section of [sections.up, sections.down]) {
    if (!section) continue
    const statements = parseSql(source, { inTransaction: section.transaction, range: section.range })
    expectNoProblems(statementProblems(source, statements, section.range), text)
  }
})

// ── the whole lint: layouts, replay, every rule, suppressions ────────────────────────────────────

type Layout = 'sql' | 'golang-migrate' | 'dbmate' | 'diesel'

interface FuzzRepo {
  layout: Layout
  /** Up (and down) bytes of each migration, in order. */
  migrations: { up: Buffer; down: Buffer | null; inRelease: boolean }[]
  mode: 'per-migration' | 'release'
}

const FUZZ_CONFIG: Config = { ...DEFAULT_CONFIG, file: null, tables: { orders: { large: true } } }

const at = (file: string, line: number) => ({ file, line, column: 1 })
const usage = (table: string, column: string, kind: Usage['kind'], line: number): Usage => ({ table, column, kind, loc: at('src/app.ts', line) })
/** The previous release's code reads some of the grammar's names, so the revert-safety rules have work to do. */
const FUZZ_CODE: CodeUsage = {
  baseLabel: 'v1.0',
  unestablished: query => ('table' in query && query.table === 'orders' ? [{ file: 'src/report.go', line: 4, column: 2, why: 'names orders in code no reader understands' }] : []),
  base: {
    usages: [usage('users', 'email', 'select', 3), usage('orders', 'user_id', 'where', 7), usage('accounts', '*', 'selectAll', 9), usage('café', 'naïve', 'update', 11)],
    inserts: [{ table: 'users', columns: ['email', 'id'], columnsKnown: true, loc: at('src/app.ts', 20) }],
    unresolved: [],
    filesScanned: 1,
    filesParsed: 1,
  },
  head: { usages: [usage('users', 'name', 'select', 4)], inserts: [], unresolved: [], filesScanned: 1, filesParsed: 1 },
}

function filesOf(repo: FuzzRepo): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  repo.migrations.forEach((m, i) => {
    const n = String(i + 1).padStart(3, '0')
    switch (repo.layout) {
      case 'sql':
        files.set(`migrations/${n}_m.sql`, m.up)
        break
      case 'golang-migrate':
        files.set(`migrations/${n}_m.up.sql`, m.up)
        if (m.down) files.set(`migrations/${n}_m.down.sql`, m.down)
        break
      case 'dbmate':
        files.set(`migrations/${n}_m.sql`, Buffer.concat([Buffer.from('-- migrate:up\n'), m.up, Buffer.from('\n-- migrate:down\n'), m.down ?? Buffer.alloc(0)]))
        break
      case 'diesel':
        files.set(`migrations/2024-01-${n}_m/up.sql`, m.up)
        if (m.down) files.set(`migrations/2024-01-${n}_m/down.sql`, m.down)
        break
    }
  })
  return files
}

/** Runs what runLint runs between reading the files and printing, on files held in memory. */
async function lintRepo(repo: FuzzRepo): Promise<void> {
  const files = filesOf(repo)
  const reader: FileReader = {
    read(file) {
      const bytes = files.get(file)
      if (!bytes) throw new Error(`no such file ${file}`)
      return decodeText(bytes)
    },
  }
  const lint = async () => {
    const { migrations: found } = await assembleMigrations([{ folder: 'migrations', files: [...files.keys()].sort() }], reader, { root: '/nonexistent' })
    const migrations: Migration[] = found.map((m, i) => ({ ...m, inRelease: repo.migrations[i]?.inRelease ?? true }))
    const findings = settle(lintAll(migrations, FUZZ_CONFIG, repo.mode, repo.mode === 'release' ? FUZZ_CODE : null), FUZZ_CONFIG, migrations)
    return { migrations, findings }
  }
  const { migrations, findings } = await lint()
  const summary = summarize(findings, migrations)
  const texts = new Map(migrations.flatMap(m => m.sources.map(s => [s.path, new SourceText(s.path, s.text)] as const)))
  const problems = findingProblems(findings, texts)
  for (const f of findings) if (!files.has(f.file)) problems.push(`${f.ruleId} points at ${f.file}, no file of the repository`)
  // The same files give the same findings: no rule or replay step changes what a later run sees
  // (statements of an unchanged text may be shared between runs).
  const again = JSON.stringify((await lint()).findings)
  if (again !== JSON.stringify(findings)) problems.push(`a second lint of the same files gave other findings: ${again.slice(0, 300)}`)
  for (const m of migrations) {
    const parts: { kind: 'up' | 'down'; statements: Statement[]; path: string }[] = [{ kind: 'up', statements: m.up, path: m.path }]
    if (m.down && m.downPath) parts.push({ kind: 'down', statements: m.down, path: m.downPath })
    for (const { kind, statements, path } of parts) {
      const source = texts.get(path)!
      // A mutation may carry a fixture's `-- migrate:up` into any layout: ask what discovery chose.
      const range = m.layout === 'dbmate' ? sectionRange(source.text, kind) : whole(source)
      if (range) problems.push(...statementProblems(source, statements, range, false).map(p => `${path}: ${p}`))
    }
  }
  // The reports take whatever the rules said: a release verdict, the JSON document, the terminal text.
  const release = repo.mode === 'release' ? buildRelease('v1.0', 'HEAD', migrations.filter(m => m.inRelease), findings) : null
  const outcome: LintOutcome = { findings, release, summary, migrations, notes: [] }
  const doc = JSON.parse(formatJson(outcome)) as { findings: unknown[] }
  if (doc.findings.length !== findings.length) problems.push(`the JSON document holds ${doc.findings.length} of ${findings.length} findings`)
  formatText(outcome, { chalk: new Chalk({ level: 0 }), quiet: false })
  if (repo.mode === 'per-migration') {
    // Every unparsed statement is reported, once: nothing that failed to parse slips through silently.
    const reported = findings.filter(f => f.ruleId === 'unparsed-statement').length
    if (reported !== summary.unparsed) problems.push(`${summary.unparsed} unparsed statements but ${reported} unparsed-statement findings`)
  }
  expectNoProblems(problems, [...files].map(([file, bytes]) => `==> ${file}\n${bytes.toString('latin1')}`).join('\n'))
}

function sectionRange(text: string, kind: 'up' | 'down') {
  const sections = dbmateSections(text)
  return kind === 'up' ? sections.up.range : (sections.down?.range ?? null)
}

const layout = fc.constantFrom<Layout>('sql', 'golang-migrate', 'dbmate', 'diesel')
const mode = fc.constantFrom<FuzzRepo['mode']>('per-migration', 'release')

const repoOf = (text: fc.Arbitrary<Buffer>): fc.Arbitrary<FuzzRepo> =>
  fc.record({
    layout,
    mode,
    migrations: fc.array(fc.record({ up: text, down: fc.option(text, { nil: null }), inRelease: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  })

const grammarBytes = migrationText.map(t => Buffer.from(t, 'utf8'))
const grammarLints = fc.asyncProperty(repoOf(grammarBytes), lintRepo)
const mutationsLint = fc.asyncProperty(repoOf(fc.oneof(grammarBytes, mutatedBytes)), lintRepo)

export const FUZZ_PROPERTIES: readonly FuzzProperty[] = [
  fuzzProperty('parse', 'grammar texts: parsed, located, and split as both fallback splitters do', 2500, grammarParses),
  fuzzProperty('parse', 'mutated texts: parseSql never throws, every statement accounted for and inside the file', 3000, mutationsParse),
  fuzzProperty('parse', 'dbmate sections: statements stay inside their section', 500, sectionsParse),
  fuzzProperty('lint', 'grammar repos: every rule runs, findings inside the files', 2000, grammarLints),
  fuzzProperty('lint', 'mutated repos: every rule runs, findings inside the files, unparsed statements reported', 2000, mutationsLint),
]
