// Issue 14 end to end: a Kysely migration that keeps a drop from the linter (a branch on the
// environment, a builder patched by an earlier migration) is never judged revert-safe. A real git
// repository, the CLI as a process (the built dist/), a disk cache of its own.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import type { ReleaseDoc } from '../release/release-lint.js'

/** Set in no environment the tests run in. */
const UNSET = 'MIGRATE_LINT_HIDDEN_QUERIES_TEST_VAR'

const createUsers =
  "import { Kysely } from 'kysely'\n" +
  'export async function up(db: Kysely<any>): Promise<void> {\n' +
  "  await db.schema.createTable('users').addColumn('id', 'bigint', c => c.primaryKey()).addColumn('email', 'text').execute()\n" +
  '}\n' +
  "export async function down(db: Kysely<any>): Promise<void> {\n  await db.schema.dropTable('users').execute()\n}\n"

/** The previous release's code reads users. */
const readsUsers =
  "import { Kysely } from 'kysely'\n" +
  'export async function emails(db: Kysely<any>) {\n' +
  "  return db.selectFrom('users').select(['id', 'email']).execute()\n" +
  '}\n'

const dropsUsersWhen = (condition: string) =>
  "import { Kysely } from 'kysely'\n" +
  'export async function up(db: Kysely<any>): Promise<void> {\n' +
  "  await db.schema.createTable('audit_log').addColumn('id', 'bigint').execute()\n" +
  `  if (${condition}) await db.schema.dropTable('users').execute()\n` +
  '}\n'

/** What says whether a drop was seen (the hygiene and lock rules a short test migration meets are left out). */
const WATCHED = ['migration-partially-captured', 'migration-load-failed', 'drop-table-still-read']

function lint(repo: TestRepo, cache: string) {
  const run = runCli(['--format', 'json', '--since', 'v1.0'], repo.dir, { MIGRATE_LINT_CACHE_DIR: cache })
  if (run.code === 2 || !run.stdout) throw new Error(`migrate-lint exited ${run.code}: ${run.stderr}`)
  const doc = JSON.parse(run.stdout) as ReleaseDoc
  const found = doc.findings.filter(f => WATCHED.includes(f.ruleId)).map(f => `${f.ruleId} ${f.file}:${f.line}`)
  return { code: run.code, doc, found }
}

const v1 = () => new TestRepo().commit('v1.0', { 'migrations/2024_01_01_users.ts': createUsers, 'src/users.ts': readsUsers }).tag('v1.0')
const freshCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-hidden-cache-'))

/** The Kysely captures the first run left in the cache: the second run reads these instead of running the migrations. */
function cachedCaptures(cache: string): string[] {
  return (fs.readdirSync(cache, { recursive: true }) as string[])
    .filter(file => file.split(path.sep).includes('kysely') && file.endsWith('.json'))
    .map(file => fs.readFileSync(path.join(cache, file), 'utf8'))
}

describe('a drop the linter never saw run', () => {
  it('behind an environment variable: migration-partially-captured at its line, unproven, exit 1 — cold and from the cache', () => {
    const repo = v1().commit('drop', { 'migrations/2024_02_01_drop_users.ts': dropsUsersWhen(`process.env.${UNSET}`) })
    const cache = freshCache()
    const cold = lint(repo, cache)
    // The drop migration's capture is cached as it ran: without the drop.
    const captured = cachedCaptures(cache).filter(c => c.includes('audit_log'))
    expect(captured).toHaveLength(1)
    expect(captured[0]).not.toContain('drop table')
    for (const run of [cold, lint(repo, cache)]) {
      expect(run.found).toEqual(['migration-partially-captured migrations/2024_02_01_drop_users.ts:4'])
      expect(run.doc.findings.find(f => f.ruleId === 'migration-partially-captured')!.message).toContain("`db.schema.dropTable('users').execute()` in up() of migrations/2024_02_01_drop_users.ts never ran under the linter")
      expect(run.doc.release).toMatchObject({
        verdict: 'unproven',
        revertSafe: false,
        unproven: [{ file: 'migrations/2024_02_01_drop_users.ts', line: 4 }],
      })
      expect(run.code).toBe(1)
    }
  })

  it('the same drop run unconditionally is drop-table-still-read: the cross-check adds nothing to a query that ran', () => {
    const repo = v1().commit('drop', { 'migrations/2024_02_01_drop_users.ts': dropsUsersWhen('Date.now() > 0') })
    const { code, doc, found } = lint(repo, freshCache())
    expect(found).toEqual(['drop-table-still-read migrations/2024_02_01_drop_users.ts:4'])
    expect(doc.release.verdict).toBe('not-revert-safe')
    expect(code).toBe(1)
  })

  it('a suppression with its reason above the statement applies to it', () => {
    const text = dropsUsersWhen(`process.env.${UNSET}`).replace(
      '  if (',
      '  // migrate-lint-disable-next-line migration-partially-captured -- runs only on the throw-away review databases\n  if (',
    )
    const repo = v1().commit('drop', { 'migrations/2024_02_01_drop_users.ts': text })
    const { code, doc } = lint(repo, freshCache())
    const watched = doc.findings.filter(f => WATCHED.includes(f.ruleId))
    expect(watched.map(f => [f.ruleId, f.line, (f as { suppressed?: { reason: string } }).suppressed?.reason])).toEqual([
      ['migration-partially-captured', 5, 'runs only on the throw-away review databases'],
    ])
    expect(doc.release.verdict).toBe('revert-safe')
    expect(code).toBe(0)
  })
})

describe('a builder patched by an earlier migration of the release', () => {
  it('hides nothing of the migrations after it: their drop is reported at its line, cold and from the cache', () => {
    const patch =
      "import { Kysely, DropTableBuilder } from 'kysely'\n" +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await db.schema.createTable('flags').addColumn('id', 'bigint').execute()\n" +
      '  ;(DropTableBuilder.prototype as any).execute = async () => {}\n' +
      '}\n'
    const drop =
      "import { Kysely } from 'kysely'\n" +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      '  await db.schema\n' +
      "    .dropTable('users')\n" +
      '    .execute()\n' +
      '}\n'
    const repo = v1().commit('patch and drop', { 'migrations/2024_02_01_patch.ts': patch, 'migrations/2024_02_02_drop_users.ts': drop })
    const cache = freshCache()
    const cold = lint(repo, cache)
    expect(cachedCaptures(cache).some(c => c.includes('flags'))).toBe(true)
    for (const run of [cold, lint(repo, cache)]) {
      expect(run.found).toEqual(['migration-partially-captured migrations/2024_02_02_drop_users.ts:3'])
      expect(run.doc.release).toMatchObject({ verdict: 'unproven', revertSafe: false })
      expect(run.code).toBe(1)
    }
  })
})
