// `migrate-lint plan` end to end (run by sql.test.ts, golang-migrate.test.ts, kysely.test.ts), for each intent in three layouts (numbered SQL, golang-migrate,
// Kysely): in a real git repository the CLI writes release N, the app code moves as the checklist says,
// the release lints revert-safe with no error or warning, and PGlite applies the migrations as the
// runner sends them — with rows that existed before, a write of the previous release's code and one of
// the new code in between. Then `plan --contract` writes release N+1, which lints and applies the same
// way, and the final schema is read back from the catalogue.
import fs from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import type { TestRepo } from '../release/git-repo.js'
import { APP_V1, apply, at, lint, newFiles, pgliteForThisFile, project, type TestLayout } from './helpers.js'

let db: { readonly pg: PGlite }

interface Scenario {
  args: string[]
  /** The code of release N, as the checklist asks: [old text, new text] in src/queries.ts. */
  code: [string, string][]
  /** A write of the previous release's code while release N's schema is in place, and one of the new code. */
  oldWrite: string
  newWrite: string
  /** Info findings that stay, by release: `<migration name after its version> <rule>` (why: see each scenario). */
  infos: { n: string[]; n1: string[] }
  /**
   * Migrations whose down has nothing to undo (a backfill, a VALIDATE): where the layout has downs
   * (golang-migrate, Kysely), irreversible-migration notes the empty down, as it should.
   */
  emptyDowns?: { n: string[]; n1: string[] }
  check(schema: string): Promise<void>
}

const rows = (sql: string) => db.pg.query<Record<string, unknown>>(sql).then(r => r.rows)
const columns = (schema: string, table: string) =>
  rows(`SELECT column_name, is_nullable, data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = '${table}' ORDER BY column_name`)
const constraints = (schema: string, table: string) =>
  rows(`SELECT conname, contype, convalidated FROM pg_constraint WHERE conrelid = '${schema}.${table}'::regclass AND contype <> 'n' ORDER BY conname`)

const SCENARIOS: Record<string, Scenario> = {
  'drop-column': {
    args: ['drop-column', 'users.legacy_email'],
    code: [
      ["user: 'SELECT id, name, email, legacy_email FROM users", "user: 'SELECT id, name, email FROM users"],
      ['INSERT INTO users (id, name, email, legacy_email) VALUES ($1, $2, $3, $4)', 'INSERT INTO users (id, name, email) VALUES ($1, $2, $3)'],
    ],
    oldWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9001, 'old', 'old@x', 'l')",
    newWrite: "INSERT INTO users (id, name, email) VALUES (9002, 'new', 'new@x')",
    // drop-not-null: the note that old code meets NULLs once new code writes them (it never reads the column again);
    // drop-column-data-loss: the note on every allowed drop.
    infos: { n: ['drop_users_legacy_email_allow_null drop-not-null'], n1: ['drop_users_legacy_email drop-column-data-loss'] },
    async check(schema) {
      expect((await columns(schema, 'users')).map(c => c.column_name)).toEqual(['email', 'id', 'name'])
    },
  },
  'rename-column': {
    args: ['rename-column', 'users.name', 'full_name'],
    code: [
      ["user: 'SELECT id, name, email", "user: 'SELECT id, full_name, email"],
      ['INSERT INTO users (id, name, email', 'INSERT INTO users (id, full_name, email'],
    ],
    oldWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9001, 'old', 'old@x', 'l')",
    newWrite: "INSERT INTO users (id, full_name, email, legacy_email) VALUES (9002, 'new', 'new@x', 'l')",
    infos: { n: [], n1: ['rename_users_name_contract drop-column-data-loss'] },
    emptyDowns: { n: ['rename_users_name_backfill'], n1: ['rename_users_name_validate'] },
    async check(schema) {
      expect((await columns(schema, 'users')).map(c => [c.column_name, c.is_nullable])).toEqual([
        ['email', 'YES'],
        ['full_name', 'NO'],
        ['id', 'NO'],
        ['legacy_email', 'NO'],
      ])
      expect(await rows(`SELECT count(*)::int AS n FROM ${schema}.users WHERE full_name = 'n' || id`)).toEqual([{ n: 2500 }])
      expect(await rows(`SELECT id, full_name FROM ${schema}.users WHERE id > 9000 ORDER BY id`)).toEqual([
        { id: 9001, full_name: 'old' },
        { id: 9002, full_name: 'new' },
      ])
      expect((await constraints(schema, 'users')).map(c => c.conname)).toEqual(['users_pkey'])
    },
  },
  'rename-table': {
    args: ['rename-table', 'users', 'accounts'],
    code: [
      ['FROM users', 'FROM accounts'],
      ['INTO users', 'INTO accounts'],
    ],
    oldWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9001, 'old', 'old@x', 'l')",
    newWrite: "INSERT INTO accounts (id, name, email, legacy_email) VALUES (9002, 'new', 'new@x', 'l')",
    infos: { n: [], n1: [] },
    async check(schema) {
      expect(await rows(`SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name IN ('users', 'accounts')`)).toEqual([
        { table_name: 'accounts', table_type: 'BASE TABLE' },
      ])
      expect(await rows(`SELECT count(*)::int AS n FROM ${schema}.accounts`)).toEqual([{ n: 2502 }])
    },
  },
  'change-type': {
    args: ['change-type', 'orders.amount', 'numeric(12,2)'],
    code: [
      ["orders: 'SELECT id, user_id, amount FROM", "orders: 'SELECT id, user_id, amount_new FROM"],
      ['INSERT INTO orders (id, user_id, amount)', 'INSERT INTO orders (id, user_id, amount_new)'],
    ],
    oldWrite: 'INSERT INTO orders (id, user_id, amount) VALUES (9001, 1, 70)',
    newWrite: 'INSERT INTO orders (id, user_id, amount_new) VALUES (9002, 1, 80.25)',
    infos: { n: [], n1: ['retype_orders_amount_contract drop-column-data-loss'] },
    emptyDowns: { n: ['retype_orders_amount_backfill'], n1: ['retype_orders_amount_validate'] },
    async check(schema) {
      expect((await columns(schema, 'orders')).map(c => [c.column_name, c.is_nullable, c.data_type, c.numeric_precision, c.numeric_scale])).toEqual([
        ['amount_new', 'NO', 'numeric', 12, 2],
        ['id', 'NO', 'bigint', 64, 0],
        ['user_id', 'NO', 'bigint', 64, 0],
      ])
      expect(await rows(`SELECT count(*)::int AS n FROM ${schema}.orders WHERE id < 9000 AND amount_new = id * 10`)).toEqual([{ n: 100 }])
      expect(await rows(`SELECT id, amount_new::text AS v FROM ${schema}.orders WHERE id > 9000 ORDER BY id`)).toEqual([
        { id: 9001, v: '70.00' },
        { id: 9002, v: '80.25' },
      ])
    },
  },
  'set-not-null': {
    args: ['set-not-null', 'users.email', '--fill', "'unknown@example.com'"],
    code: [],
    oldWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9001, 'old', 'old@x', 'l')",
    newWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9002, 'new', 'new@x', 'l')",
    infos: { n: [], n1: [] },
    emptyDowns: { n: ['not_null_users_email_backfill'], n1: ['not_null_users_email_validate'] },
    async check(schema) {
      expect((await columns(schema, 'users')).find(c => c.column_name === 'email')?.is_nullable).toBe('NO')
      expect(await rows(`SELECT count(*)::int AS n FROM ${schema}.users WHERE email = 'unknown@example.com'`)).toEqual([{ n: 357 }])
      expect((await constraints(schema, 'users')).map(c => c.conname)).toEqual(['users_pkey'])
    },
  },
  'add-foreign-key': {
    args: ['add-foreign-key', 'orders.user_id', 'users.id'],
    code: [],
    oldWrite: 'INSERT INTO orders (id, user_id, amount) VALUES (9001, 1, 70)',
    newWrite: 'INSERT INTO orders (id, user_id, amount) VALUES (9002, 2, 80)',
    infos: { n: [], n1: [] },
    emptyDowns: { n: [], n1: ['fk_orders_user_id_validate'] },
    async check(schema) {
      expect(await constraints(schema, 'orders')).toEqual([
        { conname: 'orders_pkey', contype: 'p', convalidated: true },
        { conname: 'orders_user_id_fkey', contype: 'f', convalidated: true },
      ])
      expect(await rows(`SELECT indexdef FROM pg_indexes WHERE schemaname = '${schema}' AND indexname = 'orders_user_id_idx'`)).toEqual([
        { indexdef: `CREATE INDEX orders_user_id_idx ON ${schema}.orders USING btree (user_id)` },
      ])
      await expect(db.pg.exec(`INSERT INTO ${schema}.orders (id, user_id, amount) VALUES (9003, 123456, 1)`)).rejects.toThrow(/orders_user_id_fkey/)
    },
  },
  'add-unique': {
    args: ['add-unique', 'users.email'],
    code: [],
    oldWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9001, 'old', 'old@x', 'l')",
    newWrite: "INSERT INTO users (id, name, email, legacy_email) VALUES (9002, 'new', 'new@x', 'l')",
    infos: { n: [], n1: [] },
    async check(schema) {
      expect(await constraints(schema, 'users')).toEqual([
        { conname: 'users_email_key', contype: 'u', convalidated: true },
        { conname: 'users_pkey', contype: 'p', convalidated: true },
      ])
      await expect(db.pg.exec(`INSERT INTO ${schema}.users (id, name, email, legacy_email) VALUES (9003, 'x', 'old@x', 'l')`)).rejects.toThrow(/users_email_key/)
    },
  },
}

/** Every intent in a project of this layout; one file per layout, so that vitest runs the layouts side by side. */
export function planScenarios(layout: TestLayout): void {
  db = pgliteForThisFile()
  describe(`migrate-lint plan in a ${layout} project`, () => planIntents(layout))
}

function planIntents(layout: TestLayout): void {
  it.each(Object.keys(SCENARIOS))('%s: release N and release N+1 lint revert-safe and apply on PGlite', async name => {
    const scenario = SCENARIOS[name]
    const repo = project(layout)
    const schema = `${layout}_${name}`.replace(/-/g, '_')
    const seen = new Set<string>()
    await db.pg.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`)
    await apply(db.pg, repo, layout, newFiles(repo, seen), { transactions: true, schema })
    await db.pg.exec(
      "INSERT INTO users SELECT g, 'n' || g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'u' || g || '@x' END, 'l' || g FROM generate_series(1, 2500) g;" +
        'INSERT INTO orders SELECT g, g, g * 10 FROM generate_series(1, 100) g;',
    )

    // Release N: the plan's migrations, the code the checklist asks for.
    const planned = runCli(['plan', ...scenario.args], repo.dir)
    expect(planned.stderr).toBe('')
    expect(planned.code).toBe(0)
    const releaseN = newFiles(repo, seen)
    expect(releaseN.length).toBeGreaterThan(0)
    expect(releaseN.every(f => fs.readFileSync(path.join(repo.dir, 'migrations', f), 'utf8').includes(`migrate-lint plan: ${name}`) || f.endsWith('.toml'))).toBe(true)
    commitRelease(repo, 'release 2', scenario.code)
    const n = lint(repo, 'v1')
    expect({ verdict: n.verdict, errors: at(n.findings, 'error'), warnings: at(n.findings, 'warning') }).toEqual({ verdict: 'revert-safe', errors: [], warnings: [] })
    expect(infoKinds(n.findings)).toEqual(expectedInfos(scenario, layout, 'n'))
    const concurrent = releaseN.some(f => /CONCURRENTLY/.test(fs.readFileSync(path.join(repo.dir, 'migrations', f), 'utf8')))
    await apply(db.pg, repo, layout, releaseN, { transactions: !concurrent, schema })
    await db.pg.exec(scenario.oldWrite)
    await db.pg.exec(scenario.newWrite)
    repo.tag('v2')

    // Release N+1: the contract, written once release N shipped.
    const contract = runCli(['plan', ...scenario.args, '--contract'], repo.dir)
    if (name === 'add-unique') {
      expect(contract).toMatchObject({ code: 2, stderr: 'migrate-lint: add-unique has no contract: its migrations all ship in release N.\n' })
    } else {
      expect(contract.stderr).toBe('')
      expect(contract.code).toBe(0)
      const releaseN1 = newFiles(repo, seen)
      expect(releaseN1.length).toBeGreaterThan(0)
      repo.commit('release 3')
      const n1 = lint(repo, 'v2')
      expect({ verdict: n1.verdict, errors: at(n1.findings, 'error'), warnings: at(n1.findings, 'warning') }).toEqual({ verdict: 'revert-safe', errors: [], warnings: [] })
      expect(infoKinds(n1.findings)).toEqual(expectedInfos(scenario, layout, 'n1'))
      await apply(db.pg, repo, layout, releaseN1, { transactions: true, schema })
    }
    await scenario.check(schema)
    await db.pg.exec('SET search_path TO public')
  }, 120_000)
}

function commitRelease(repo: TestRepo, message: string, code: [string, string][]): void {
  let app = APP_V1
  for (const [from, to] of code) app = app.replaceAll(from, to)
  repo.commit(message, { 'src/queries.ts': app })
}

function expectedInfos(scenario: Scenario, layout: TestLayout, release: 'n' | 'n1'): string[] {
  const downs = layout === 'sql' ? [] : (scenario.emptyDowns?.[release] ?? []).map(name => `${name} irreversible-migration`)
  return [...scenario.infos[release], ...downs].sort()
}

/** Info findings as `<migration name after its version> <rule>`: the same names in every layout. */
function infoKinds(findings: Parameters<typeof at>[0]): string[] {
  return at(findings, 'info')
    .map(line => line.replace(/^\d+_/, '').replace(/(\.up)?\.(sql|ts):\d+ /, ' '))
    .sort()
}
