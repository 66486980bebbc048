// Kysely migrations through the CLI as a process (the built dist/): the acceptance list of issue 3.
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { copyFixture, lintJson, where, type JsonFinding } from './helpers.js'

const SCHEMA_RULES = ['not-null-without-default', 'create-index-non-concurrently', 'drop-column-still-read', 'rename-column', 'concurrently-in-transaction']

describe('Kysely migrations get the rules SQL migrations get, at the .ts line', () => {
  const dir = copyFixture('acceptance')
  const run = lintJson(['migrations'], dir)

  it('flags each unsafe schema change at the statement that ran it, and exits 1', () => {
    expect(run.code).toBe(1)
    expect(where(run.findings, SCHEMA_RULES)).toEqual([
      '2024_01_02_000000_add_tenant.ts:6 not-null-without-default',
      '2024_01_03_000000_index_email.ts:4 create-index-non-concurrently',
      '2024_01_04_000000_drop_legacy_code.ts:4 drop-column-still-read',
      '2024_01_05_000000_rename_name.ts:4 rename-column',
      '2024_01_06_000000_concurrent_index.ts:4 concurrently-in-transaction',
    ])
  })

  it('spans a multi-line builder chain up to its .execute() call', () => {
    const notNull = run.findings.find(f => f.ruleId === 'not-null-without-default')!
    expect(notNull).toMatchObject({
      file: 'migrations/2024_01_02_000000_add_tenant.ts',
      line: 6,
      column: 3,
      endLine: 9,
      endColumn: 15,
      message: expect.stringContaining('users.tenant_id'),
    })
  })

  it('sees defaults given as values: defaultTo("free") is not a NOT NULL column without default', () => {
    expect(run.findings.filter(f => f.ruleId === 'not-null-without-default' && f.line === 5)).toEqual([])
  })

  it('counts the .ts files and the statements they ran', () => {
    expect(run.summary).toMatchObject({ files: 7, statements: 14, unparsed: 0 })
  })

  it('with kysely.transactions false, CONCURRENTLY is fine; the same changes written as SQL give the same rule ids', () => {
    const kysely = lintJson(['--config', 'no-transactions.config.json', 'migrations'], dir)
    const sql = lintJson(['migrations'], copyFixture('sql-equivalent'))
    expect(kysely.findings.map(f => f.ruleId)).not.toContain('concurrently-in-transaction')
    const byMigration = (findings: JsonFinding[]) => {
      const groups = new Map<string, string[]>()
      for (const f of findings) {
        const name = f.file.replace(/^.*\/\d{4}_?\d{2}_?\d{2}_?\d{6}_/, '').replace(/\.(up\.sql|down\.sql|ts)$/, '')
        groups.set(name, [...(groups.get(name) ?? []), f.ruleId].sort())
      }
      return Object.fromEntries(groups)
    }
    expect(byMigration(kysely.findings)).toEqual(byMigration(sql.findings))
    expect(Object.keys(byMigration(sql.findings))).toEqual(
      expect.arrayContaining(['add_tenant', 'index_email', 'drop_legacy_code', 'rename_name', 'backfill_plan']),
    )
  })
})

describe('failure isolation', () => {
  const started = Date.now()
  const run = lintJson(['--config', 'migrate-lint.config.json', 'migrations'], copyFixture('failures'))
  const seconds = (Date.now() - started) / 1000

  it('a migration that throws, hangs, spins, exits or imports something missing is migration-load-failed; the run ends, exit 1', () => {
    // At the throw, the exit, the import; a part that never finished at its declaration.
    expect(run.code).toBe(1)
    expect(where(run.findings, ['migration-load-failed'])).toEqual([
      '002_throws.ts:6 migration-load-failed',
      '003_never_resolves.ts:3 migration-load-failed',
      '004_busy_loop.ts:3 migration-load-failed',
      '005_exits.ts:5 migration-load-failed',
      '007_missing_import.ts:2 migration-load-failed',
    ])
    const messages = run.findings.filter(f => f.ruleId === 'migration-load-failed').map(f => f.message)
    expect(messages).toEqual([
      expect.stringContaining('it threw Error: MIGRATE_LINT_FIXTURE_TENANT is not set'),
      expect.stringContaining('did not finish within 1500 ms'),
      expect.stringContaining('did not finish within 1500 ms'),
      expect.stringContaining('called process.exit(1)'),
      expect.stringMatching(/^Importing .*007_missing_import\.ts failed: Could not resolve "\.\/lib\/no-such-helper"/),
    ])
    expect(run.findings.find(f => f.ruleId === 'migration-load-failed')).toMatchObject({ severity: 'error', category: 'revert-safety' })
    // Two timeouts of 1.5 s each, plus the workers they cost: far from hanging.
    expect(seconds).toBeLessThan(20)
  })

  it('executeTakeFirstOrThrow on the empty recording database is migration-partially-captured, an error (what follows was not seen)', () => {
    expect(where(run.findings, ['migration-partially-captured'])).toEqual(['006_reads_back.ts:5 migration-partially-captured'])
    expect(run.findings.find(f => f.ruleId === 'migration-partially-captured')).toMatchObject({ severity: 'error' })
  })

  it('keeps linting what the failing migrations did before they failed, and the migrations after them', () => {
    expect(where(run.findings, ['not-null-without-default'])).toEqual(['008_after_failures.ts:4 not-null-without-default'])
  })
})

describe('suppression comments in .ts files', () => {
  const run = lintJson(['migrations'], copyFixture('suppression'))

  it('apply to the statement on the next line, with their reason', () => {
    const notNull = run.findings.filter(f => f.ruleId === 'not-null-without-default')
    expect(notNull.map(f => [f.line, f.suppressed?.reason ?? null])).toEqual([
      [5, 'users is empty in every environment'],
      [9, null],
    ])
  })

  it('say so when they suppress nothing', () => {
    expect(where(run.findings, ['unused-suppression'])).toEqual(['002_add_tenant.ts:10 unused-suppression'])
  })
})

describe('the CLI with Kysely projects', () => {
  it('keeps a migration’s console output out of the JSON document; loads ESM-only and CommonJS migrations', () => {
    const run = runCli(['--format', 'json', 'migrations'], copyFixture('esm'))
    const doc = JSON.parse(run.stdout) as { findings: JsonFinding[]; summary: { statements: number } }
    expect(run.stdout).not.toContain('talks on stdout')
    expect(doc.findings.filter(f => f.ruleId === 'migration-load-failed')).toEqual([])
    // up: audit, accounts + its index, notes; down: audit, accounts.
    expect(doc.summary.statements).toBe(6)
    expect(where(doc.findings, ['unknown-migration-file'])).toEqual([
      '2_shared.ts:1 unknown-migration-file',
      'README.md:1 unknown-migration-file',
      'types.d.ts:1 unknown-migration-file',
    ])
  })

  it('lints an old SQL folder and a new Kysely folder together: the schema carries over', () => {
    const run = lintJson(['sql', 'kysely'], copyFixture('two-folders'))
    expect(where(run.findings, ['not-null-without-default', 'concurrently-in-transaction'])).toEqual([
      '20240110000000_add_tenant.ts:5 not-null-without-default',
    ])
  })

  it('exits 2 with one line on a folder that mixes SQL and Kysely migrations', () => {
    const run = runCli(['migrations'], copyFixture('mixed'))
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/migrations holds both SQL migrations \(001_create_users\.sql\) and Kysely migrations \(002_add_email\.ts\)/)
  })

  it('judges a release of Kysely migrations against the migrations at the last tag', () => {
    const users =
      "import { Kysely } from 'kysely'\n" +
      "export async function up(db: Kysely<any>) { await db.schema.createTable('users').addColumn('id', 'bigint').execute() }\n" +
      "export async function down(db: Kysely<any>) { await db.schema.dropTable('users').execute() }\n"
    const tenant =
      "import { Kysely } from 'kysely'\n" +
      'export async function up(db: Kysely<any>) {\n' +
      "  await db.schema.createTable('teams').addColumn('id', 'bigint').execute()\n" +
      "  await db.schema.alterTable('teams').addColumn('name', 'text', c => c.notNull()).execute()\n" +
      "  await db.schema.alterTable('users').addColumn('tenant_id', 'bigint', c => c.notNull()).execute()\n" +
      '}\n' +
      "export async function down(db: Kysely<any>) { await db.schema.alterTable('users').dropColumn('tenant_id').execute() }\n"
    const repo = new TestRepo().commit('users', { 'migrations/2024_01_01_users.ts': users }).tag('v1')
    repo.commit('tenant', { 'migrations/2024_02_01_tenant.ts': tenant })
    const run = lintJson([], repo.dir)
    // teams is new in the release: adding a NOT NULL column to it is fine; users shipped in v1.
    expect(where(run.findings, ['not-null-without-default'])).toEqual(['2024_02_01_tenant.ts:5 not-null-without-default'])
    expect(run.code).toBe(1)
  })
})
