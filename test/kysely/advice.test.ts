// Issue 17, item 9: advice a Kysely user can paste (await sql`…`.execute(db), not a bare SQL line), a
// syntax error told as one, and a backfill the capture could not see reported, through the CLI (dist/).
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import type { JsonFinding } from './helpers.js'

const HEADER = "import { Kysely, sql } from 'kysely'\n\n"
const users =
  HEADER +
  "export async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.createTable('users').addColumn('id', 'bigint', c => c.primaryKey()).addColumn('email', 'text').addColumn('plan', 'text').execute()\n}\n\n" +
  "export async function down(db: Kysely<any>): Promise<void> {\n  await db.schema.dropTable('users').execute()\n}\n"

const env = { CI: 'true' }

/** v1 ships the users table; the working tree adds `files`: the release. */
const afterV1 = (files: Record<string, string>) => new TestRepo().commit('v1', { 'migrations/001_users.ts': users }).tag('v1').write(files)

interface Doc {
  findings: (JsonFinding & { help: string })[]
  release: { verdict: string }
}

function run(args: string[], repo: TestRepo): { code: number; doc: Doc } {
  const result = runCli([...args, '--format', 'json'], repo.dir, env)
  expect(result.stderr).toBe('')
  return { code: result.code, doc: JSON.parse(result.stdout) as Doc }
}

const one = (doc: Doc, ruleId: string) => {
  const found = doc.findings.filter(f => f.ruleId === ruleId)
  expect(found).toHaveLength(1)
  return found[0]
}

describe('advice for a Kysely migration', () => {
  const repo = afterV1({
    'migrations/002_tier.ts':
      HEADER +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  await db.schema.alterTable('users').addColumn('tier', 'integer', c => c.notNull().defaultTo(0)).execute()\n" +
      "  await db.schema.createIndex('users_email_idx').on('users').column('email').execute()\n" +
      '}\n\n' +
      "export async function down(db: Kysely<any>): Promise<void> {\n  await db.schema.dropIndex('users_email_idx').execute()\n  await db.schema.alterTable('users').dropColumn('tier').execute()\n}\n",
  })

  it('SET LOCAL lock_timeout and CONCURRENTLY are written as sql`…`.execute(db), with why the transaction matters', () => {
    const { doc } = run([], repo)
    const lock = one(doc, 'missing-lock-timeout')
    expect([lock.file, lock.line]).toEqual(['migrations/002_tier.ts', 4])
    expect(lock.help).toBe(
      "Start up() with await sql`SET LOCAL lock_timeout = '5s'`.execute(db) and retry it when it times out. " +
        "SET LOCAL lasts until the migration's transaction commits: Kysely's Migrator runs each migration in one unless disableTransactions is set.",
    )
    expect(one(doc, 'missing-statement-timeout').help).toMatch(/^Start up\(\) with await sql`SET LOCAL statement_timeout = '60s'`\.execute\(db\) /)
    const index = one(doc, 'create-index-non-concurrently')
    expect([index.file, index.line]).toEqual(['migrations/002_tier.ts', 5])
    expect(index.help).toBe(
      'db.schema.createIndex() cannot say CONCURRENTLY: write await sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (…)`.execute(db) ' +
        "in a migration of its own that runs without a transaction (Kysely's Migrator runs each migration in one unless disableTransactions is set).",
    )
  }, 60_000)

  it('a SQL migration keeps the SQL advice', () => {
    const sqlRepo = new TestRepo()
      .commit('v1', { 'migrations/001_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- migrate:down\nDROP TABLE users;\n' })
      .tag('v1')
      .write({ 'migrations/002_idx.sql': '-- migrate:up\nCREATE INDEX users_email_idx ON users (email);\n-- migrate:down\nDROP INDEX users_email_idx;\n' })
    const { doc } = run([], sqlRepo)
    expect(one(doc, 'missing-lock-timeout').help).toBe("Start the migration with SET LOCAL lock_timeout = '5s'; and retry it when it times out.")
    expect(one(doc, 'create-index-non-concurrently').help).toBe('CREATE INDEX CONCURRENTLY users_email_idx ON users …, outside a transaction.')
  }, 60_000)

  it('verify: the lock finding keeps the Kysely advice and carries what pg_locks showed', () => {
    const { doc } = run(['verify'], repo)
    const lock = one(doc, 'missing-lock-timeout')
    expect(lock.help).toMatch(/^Start up\(\) with await sql`SET LOCAL lock_timeout = '5s'`\.execute\(db\)/)
    expect(lock.message).toMatch(/ verify saw it in pg_locks, with no lock_timeout in effect: line 4 took ACCESS EXCLUSIVE on users\.$/)
    expect(doc.findings.filter(f => f.ruleId === 'verify-dangerous-lock')).toEqual([])
  }, 60_000)
})

describe('a Kysely migration that does not parse', () => {
  it('is migration-load-failed at the error, with advice about the syntax, not about timeouts or the environment', () => {
    const repo = afterV1({ 'migrations/002_broken.ts': HEADER + "export async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.alterTable('users').addColumn('x', 'text').execute(\n}\n" })
    const { code, doc } = run([], repo)
    const failed = one(doc, 'migration-load-failed')
    expect([failed.file, failed.line, failed.severity]).toEqual(['migrations/002_broken.ts', 5, 'error'])
    expect(failed.message).toBe('migrations/002_broken.ts does not parse: Unexpected "}". The migration runner cannot load it either; none of its statements were checked.')
    expect(failed.help).toBe('Fix the syntax error at this line (your editor or `npx tsc --noEmit` shows it); the migration cannot run anywhere until it parses.')
    expect(doc.release.verdict).toBe('unproven')
    expect(code).toBe(1)
  }, 60_000)

  it('a module that parses but fails to import keeps the advice about the linter’s environment', () => {
    const repo = afterV1({ 'migrations/002_import.ts': "import { Kysely } from 'kysely'\nimport { tenant } from './nowhere'\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.alterTable('users').addColumn(tenant, 'text').execute()\n}\n" })
    const failed = one(run([], repo).doc, 'migration-load-failed')
    expect(failed.message).toMatch(/^Importing migrations\/002_import\.ts failed: /)
    expect(failed.help).toMatch(/^Make the migration runnable without a database and without outside input/)
  }, 60_000)
})

describe('a backfill over rows the capture cannot see', () => {
  it('verify: the update inside the loop over selected rows is migration-partially-captured at its line; the release is unproven', () => {
    const repo = afterV1({
      'migrations/002_backfill.ts':
        HEADER +
        'export async function up(db: Kysely<any>): Promise<void> {\n' +
        "  const rows = await db.selectFrom('users').select(['id', 'email']).execute()\n" +
        '  for (const row of rows) {\n' +
        '    if (row.email?.endsWith(\'@example.com\')) {\n' +
        "      await db.updateTable('users').set({ plan: 'internal' }).where('id', '=', row.id).execute()\n" +
        '    }\n' +
        '  }\n' +
        '}\n\n' +
        "export async function down(db: Kysely<any>): Promise<void> {\n  await db.updateTable('users').set({ plan: null }).where('plan', '=', 'internal').execute()\n}\n",
    })
    const { code, doc } = run(['verify'], repo)
    const partial = one(doc, 'migration-partially-captured')
    expect([partial.file, partial.line, partial.severity]).toEqual(['migrations/002_backfill.ts', 7, 'error'])
    expect(partial.message).toMatch(/^`db\.updateTable\('users'\)\.set\(\{ plan: 'internal' \}\).* in up\(\) of migrations\/002_backfill\.ts never ran under the linter/)
    expect(doc.release.verdict).toBe('unproven')
    expect(code).toBe(1)
  }, 60_000)
})
