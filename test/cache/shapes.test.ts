// Issue 14: a cache entry whose key is right but whose value has another shape crashed every run that
// read it. Every read checks the shape (src/cache/shapes.ts); an entry that does not fit is a miss.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fitsKind } from '../../src/cache/shapes.js'
import { schemaToRecord } from '../../src/cache/schema-snapshot.js'
import type { CacheKind } from '../../src/cache/store.js'
import { lintMigrations } from '../../src/engine/lint.js'
import { runCli, tempTree } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from '../release/git-repo.js'
import { migrationFromText } from '../rule-tester.js'

describe('fitsKind', () => {
  const schema = () => {
    const migration = migrationFromText(
      '001_all.sql',
      "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE users (id bigint PRIMARY KEY, email text DEFAULT 'x', m mood REFERENCES users (id), CHECK (email IS NOT NULL)); CREATE INDEX i ON users (email); CREATE VIEW v AS SELECT 1; CREATE FUNCTION f() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1';",
      0,
    )
    const { schema } = lintMigrations([migration], { rules: [], config: { postgresVersion: 16, tables: {} }, mode: 'per-migration' })
    return JSON.parse(JSON.stringify(schemaToRecord(schema))) as Record<string, unknown[]>
  }

  it('takes a schema record as written, and not one whose numbers name no origin or type', () => {
    expect(fitsKind('schema', schema())).toBe(true)
    const badType = schema()
    ;(badType.tables[0] as [string, { columns: unknown[][] }])[1].columns[0][2] = 99
    expect(fitsKind('schema', badType)).toBe(false)
    const badOrigin = schema()
    ;(badOrigin.views[0] as unknown[])[1] = -1
    expect(fitsKind('schema', badOrigin)).toBe(false)
    expect(fitsKind('schema', { ...schema(), tables: {} })).toBe(false)
    const badFunction = schema()
    ;(badFunction.functions[0] as [string, { volatility: string }])[1].volatility = 'sometimes'
    expect(fitsKind('schema', badFunction)).toBe(false)
    const badCheck = schema()
    const check = (badCheck.tables[0] as [string, { constraints: { kind: string; notNullColumns?: unknown }[] }])[1].constraints.find(c => c.kind === 'check')!
    expect(check.notNullColumns).toEqual(['email'])
    check.notNullColumns = 'email'
    expect(fitsKind('schema', badCheck)).toBe(false)
  })

  it('refuses the wrong shape for every kind', () => {
    const wrong: [CacheKind, unknown][] = [
      ['findings', { findings: [{ ruleId: 'x' }], statements: 1, unparsed: 0 }],
      ['usage', [['a.ts', { u: [['users', 'email', 'select', '1', 1]], i: [], x: [] }]]],
      ['unestablished', [{ file: 'a.ts', line: 1, column: 1 }]],
      ['kysely', { path: 'm.ts', exports: null, up: [{ sql: 1 }], down: [], problems: [] }],
      ['markers', { abc: 'breakpoint' }],
    ]
    for (const [kind, value] of wrong) expect({ kind, fits: fitsKind(kind, value) }).toEqual({ kind, fits: false })
    for (const kind of ['schema', 'findings', 'usage', 'unestablished', 'kysely', 'markers'] as const) {
      for (const value of [null, 1, 'x', [[1]]]) expect({ kind, value, fits: fitsKind(kind, value) }).toEqual({ kind, value, fits: false })
    }
  })
})

const kysely = (query: string) => `import { Kysely } from 'kysely'\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await ${query}.execute()\n}\n`

describe('the disk cache of real runs', () => {
  it('every entry a run writes fits its kind; entries of the wrong shape are misses: the same report, no crash', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-shapes-'))
    const env = { ...GIT_ENV, MIGRATE_LINT_CACHE_DIR: cacheDir }
    const repo = new TestRepo()
      .commit('v1', {
        'migrations/001_create_users.ts': kysely("db.schema.createTable('users').addColumn('id', 'integer').addColumn('email', 'text')"),
        'src/users.ts': "export const emails = (db: any) => db.selectFrom('users').select(['id']).execute()\n",
        'src/dynamic.ts': 'export const any = (db: any, t: string) => db.selectFrom(t).selectAll().execute()\n',
        'cmd/report/main.go': 'package main\n\nconst q = "SELECT email FROM users"\n',
      })
      .tag('v1.0.0')
    repo.write({
      'migrations/002_add_name.ts': kysely("db.schema.alterTable('users').addColumn('name', 'text')"),
      'migrations/003_drop.ts': kysely("db.schema.alterTable('users').dropColumn('email')"),
    })
    const plain = tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id int);\nTRUNCATE users;\n' })
    const runs = () => [runCli(['--format', 'json'], repo.dir, env), runCli(['--staged', '--format', 'json'], repo.dir, env), runCli(['--format', 'json'], plain, env)]
    repo.git('add', 'migrations')
    const first = runs()
    for (const run of first) expect(run.stderr).toBe('')

    const entries = fs
      .readdirSync(cacheDir, { recursive: true, withFileTypes: true })
      .filter(e => e.isFile() && e.name.endsWith('.json'))
      .map(e => path.join(e.parentPath, e.name))
    const kindOf = (file: string) => path.basename(path.dirname(path.dirname(file))) as CacheKind
    const written = new Set(entries.map(kindOf))
    expect([...written].sort()).toEqual(['files', 'findings', 'kysely', 'markers', 'schema', 'unestablished', 'usage'])
    for (const file of entries) {
      const { value } = JSON.parse(fs.readFileSync(file, 'utf8')) as { value: unknown }
      expect({ file: path.relative(cacheDir, file), fits: fitsKind(kindOf(file), value) }).toEqual({ file: path.relative(cacheDir, file), fits: true })
    }

    for (const file of entries) {
      const { key } = JSON.parse(fs.readFileSync(file, 'utf8')) as { key: string }
      fs.writeFileSync(file, JSON.stringify({ key, value: [[1]] }))
    }
    const again = runs()
    expect(again.map(r => ({ code: r.code, stdout: r.stdout, stderr: r.stderr }))).toEqual(first.map(r => ({ code: r.code, stdout: r.stdout, stderr: r.stderr })))
  }, 120_000)
})
