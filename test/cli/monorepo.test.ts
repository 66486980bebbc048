// Monorepos (issue 17, item 1): each package's config judges its own migrations against its own code,
// run from the package's folder or with --config from the root; paths stay repository-relative.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { GIT_ENV, TestRepo } from '../release/git-repo.js'
import { BIN, runCli } from './helpers.js'

const TIMEOUTS = "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n"

interface Doc {
  release: { base: string | null; verdict: string; migrations: { id: string }[] } | null
  findings: { ruleId: string; file: string; line: number; message: string }[]
}

function lint(cwd: string, ...args: string[]) {
  const run = runCli(['--format', 'json', ...args], cwd, { MIGRATE_LINT_NO_CACHE: '1' })
  const doc = (run.stdout ? JSON.parse(run.stdout) : null) as Doc
  return { code: run.code, stderr: run.stderr, doc, found: doc?.findings.map(f => `${f.ruleId} ${f.file}:${f.line}`) }
}

/**
 * Two packages, two databases: `api` (its config file names its migrations folder, not a usual one)
 * drops a column its v1.0 code reads; `web` (config in package.json, tags of its own) drops a column
 * only api's code reads — web's code is web's folder, so web is revert-safe.
 */
function monorepo(): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'package.json': '{ "name": "root", "private": true, "workspaces": ["packages/*"] }\n',
      'packages/api/migrate-lint.config.json': '{ "migrations": ["sql/schema"] }\n',
      'packages/api/sql/schema/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, nickname text);\n',
      'packages/api/src/users.ts': "export const find = (db: any) =>\n  db.selectFrom('users').select(['id', 'email', 'nickname']).execute()\n",
      'packages/web/package.json': '{ "name": "web", "migrate-lint": { "tagPattern": "web-v*" } }\n',
      'packages/web/migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n',
      'packages/web/src/users.ts': "export const find = (db: any) =>\n  db.selectFrom('users').select(['id']).execute()\n",
    })
    .tag('v1.0')
    .tag('web-v1.0')
    .commit('next', {
      'packages/api/sql/schema/002_drop_email.sql': `${TIMEOUTS}ALTER TABLE users DROP COLUMN email;\n`,
      'packages/api/src/users.ts': "export const find = (db: any) =>\n  db.selectFrom('users').select(['id', 'nickname']).execute()\n",
      'packages/web/migrations/002_drop_nickname.sql': `${TIMEOUTS}ALTER TABLE users DROP COLUMN nickname;\n`,
    })
}

const API_DROP = 'drop-column-still-read packages/api/sql/schema/002_drop_email.sql:2'
// A warning (the column's data goes): no code of web's reads it, so the release stays revert-safe.
const WEB_DROP = 'drop-column-data-loss packages/web/migrations/002_drop_nickname.sql:2'

describe('a monorepo with a config per package', () => {
  const repo = monorepo()
  const api = path.join(repo.dir, 'packages/api')
  const web = path.join(repo.dir, 'packages/web')

  it('run from a package folder (or below it), the nearest config judges that package alone', () => {
    for (const cwd of [api, path.join(api, 'src')]) {
      const run = lint(cwd)
      expect(run.code).toBe(1)
      expect(run.found).toEqual([API_DROP])
      expect(run.doc.findings[0].message).toContain('packages/api/src/users.ts:2 selects users.email')
      expect(run.doc.release).toMatchObject({ base: 'v1.0', verdict: 'not-revert-safe', migrations: [{ id: 'packages/api/sql/schema/002_drop_email.sql' }] })
    }
    const run = lint(web)
    expect(run.code).toBe(0)
    expect(run.found).toEqual([WEB_DROP])
    // Its own tagPattern, and its code only: api's v1.0 code reads users.nickname, web's never did.
    expect(run.doc.release).toMatchObject({ base: 'web-v1.0', verdict: 'revert-safe', migrations: [{ id: 'packages/web/migrations/002_drop_nickname.sql' }] })
  })

  it('from the root, --config names the package: the same verdicts, paths relative to the repository', () => {
    const apiRun = lint(repo.dir, '--config', 'packages/api/migrate-lint.config.json')
    expect([apiRun.code, apiRun.found, apiRun.doc.release?.verdict]).toEqual([1, [API_DROP], 'not-revert-safe'])
    const webRun = lint(repo.dir, '--config', 'packages/web/package.json')
    expect([webRun.code, webRun.found, webRun.doc.release?.verdict]).toEqual([0, [WEB_DROP], 'revert-safe'])
  })

  it('a root run with no config of its own says which package configs to run with, exit 2 and one line', () => {
    const run = runCli([], repo.dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'migrate-lint: No migrations found at the repository root, and its packages have configs of their own ' +
        "(packages/api/migrate-lint.config.json, packages/web/package.json): run migrate-lint in a package's folder, or with --config <that file>.\n",
    )
  })

  it('--since and --staged see only the package’s migrations', () => {
    const staged = monorepo()
    staged.write({ 'packages/web/migrations/003_age.sql': `${TIMEOUTS}ALTER TABLE users ADD COLUMN age int NOT NULL;\n` })
    staged.git('add', 'packages/web/migrations/003_age.sql')
    const inWeb = lint(path.join(staged.dir, 'packages/web'), '--staged')
    expect(inWeb.code).toBe(1)
    expect(inWeb.found).toEqual(['not-null-without-default packages/web/migrations/003_age.sql:2'])
    // A hook runs at the root: one line per package, each naming its config.
    const hook = lint(staged.dir, '--staged', '--config', 'packages/web/package.json')
    expect([hook.code, hook.found]).toEqual([1, ['not-null-without-default packages/web/migrations/003_age.sql:2']])
    const inApi = runCli(['--staged'], path.join(staged.dir, 'packages/api'), { MIGRATE_LINT_NO_CACHE: '1' })
    // Nothing of api's is staged: the hook is silent (issue 17 item 5).
    expect(inApi).toEqual({ code: 0, stdout: '', stderr: '' })
    // --since v1.0 from web: web's two migrations since the tag, not api's.
    const since = lint(path.join(staged.dir, 'packages/web'), '--since', 'v1.0')
    expect(since.doc.release?.migrations.map(m => m.id)).toEqual(['packages/web/migrations/002_drop_nickname.sql', 'packages/web/migrations/003_age.sql'])
    expect(since.found).toEqual([WEB_DROP, 'not-null-without-default packages/web/migrations/003_age.sql:2'])
  })

  it("a package's code globs resolve against its folder and may reach a sibling package (../api/src)", () => {
    const shared = monorepo().commit('web reads api code too', {
      'packages/web/package.json': '{ "name": "web", "migrate-lint": { "tagPattern": "web-v*", "code": ["src/**/*.ts", "../api/src/**/*.ts"] } }\n',
    })
    const run = lint(path.join(shared.dir, 'packages/web'))
    expect(run.code).toBe(1)
    expect(run.found).toEqual(['drop-column-still-read packages/web/migrations/002_drop_nickname.sql:2'])
    expect(run.doc.findings[0].message).toContain('packages/api/src/users.ts:2 selects users.nickname')
  })

  it("the README's CI loop judges each package and fails when one is not revert-safe", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')
    const loop = /^### Monorepos$[\s\S]*?^```sh\n([\s\S]*?)^```$/m.exec(readme)![1]
    const both = monorepo().commit('web gets a config file', {
      'packages/web/package.json': '{ "name": "web" }\n',
      'packages/web/migrate-lint.config.json': '{ "tagPattern": "web-v*" }\n',
    })
    const script = loop.replace('npx migrate-lint', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --no-color`)
    const run = spawnSync('sh', ['-c', script], { cwd: both.dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, MIGRATE_LINT_NO_CACHE: '1' } })
    expect(run.status).toBe(1)
    expect(run.stdout).toContain('Release v1.0..HEAD: NOT revert-safe (1 blocking)')
    expect(run.stdout).toContain('packages/api/sql/schema/002_drop_email.sql:2:1  error  drop-column-still-read')
    expect(run.stdout).toContain('Release web-v1.0..HEAD: revert-safe')
  })

  it("a package new since the tag has no shipped migrations: another package's folder is not taken for where its migrations moved from", () => {
    const repo = new TestRepo()
      .commit('web only', {
        'packages/web/migrate-lint.config.json': '{}\n',
        'packages/web/migrations/001_init.sql': 'CREATE TABLE pages (id bigint PRIMARY KEY);\n',
      })
      .tag('v1.0')
      .commit('api arrives', {
        'packages/api/migrate-lint.config.json': '{}\n',
        'packages/api/migrations/001_init.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
      })
    const run = runCli(['--format', 'json'], path.join(repo.dir, 'packages/api'), { MIGRATE_LINT_NO_CACHE: '1' })
    const doc = JSON.parse(run.stdout) as Doc & { notes?: string[] }
    expect(run.code).toBe(0)
    expect(doc.findings).toEqual([])
    expect(doc.release).toMatchObject({ base: 'v1.0', verdict: 'revert-safe', migrations: [{ id: 'packages/api/migrations/001_init.sql' }] })
  })

  it("a package's usual folder is looked for under its folder: Kysely migrations in packages/api/src/db/migrations, at the .ts line", () => {
    const kysely = new TestRepo().commit('api', {
      'packages/api/package.json': '{ "name": "api", "migrate-lint": {} }\n',
      'packages/api/src/db/migrations/2024_01_01_tenant.ts': [
        "import { Kysely, sql } from 'kysely'",
        '',
        'export async function up(db: Kysely<any>): Promise<void> {',
        "  await sql`SET lock_timeout = '5s'`.execute(db)",
        "  await sql`SET statement_timeout = '60s'`.execute(db)",
        "  await db.schema.alterTable('users').addColumn('tenant_id', 'bigint', col => col.notNull()).execute()",
        '}',
        '',
        'export async function down(db: Kysely<any>): Promise<void> {',
        "  await db.schema.alterTable('users').dropColumn('tenant_id').execute()",
        '}',
        '',
      ].join('\n'),
    })
    const run = lint(path.join(kysely.dir, 'packages/api'))
    expect([run.code, run.found]).toEqual([1, ['not-null-without-default packages/api/src/db/migrations/2024_01_01_tenant.ts:6']])
  })
})
