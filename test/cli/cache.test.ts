// The disk cache seen from outside: a warm run says exactly what a cold one says, whatever the cache
// holds (nothing, its own entries, garbage, another run's entries written at the same moment).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { TestRepo } from '../release/git-repo.js'
import { runCli, runCliAsync, type Run } from './helpers.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const readsEmail = "import { db } from '../db'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select(['id', 'email']).where('id', '=', id).execute()\n"
const readsName = "import { db } from '../db'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select(['id', 'name']).where('id', '=', id).execute()\n"

function releaseRepo(): TestRepo {
  const repo = new TestRepo()
    .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users.ts': readsEmail })
    .tag('v1.4')
    .commit('drop email', { 'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n', 'src/users.ts': readsName })
  repo.write({ 'migrations/003_age.sql': 'ALTER TABLE users ADD COLUMN age int NOT NULL;\n' })
  repo.git('add', 'migrations/003_age.sql')
  return repo
}

const freshCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cli-cache-'))
const files = (dir: string) =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => path.join(e.parentPath, e.name)) : []
/** Cache entries (what a run keeps), not the stamp of the daily clean-up. */
const entries = (dir: string) => files(dir).filter(f => f.endsWith('.json'))
const kindsIn = (dir: string) => [...new Set(entries(dir).map(f => path.basename(path.dirname(path.dirname(f)))))].sort()

const lint = (cwd: string, cache: string, ...args: string[]) => runCli(['--format', 'json', ...args], cwd, { MIGRATE_LINT_CACHE_DIR: cache })
const uncached = (cwd: string, ...args: string[]) => runCli(['--format', 'json', ...args], cwd, { MIGRATE_LINT_NO_CACHE: '1' })

const ruleIds = (run: Run) => (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number }[] }).findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)

describe('the disk cache', () => {
  it('--since and --staged say the same cold, warm, and without a cache; the base schema, the layout markers of its files and the code scans are kept', () => {
    const repo = releaseRepo()
    const cache = freshCache()
    for (const args of [['--since', 'v1.4'], ['--staged']]) {
      const expected = uncached(repo.dir, ...args)
      const cold = lint(repo.dir, cache, ...args)
      const warm = lint(repo.dir, cache, ...args)
      expect(cold).toEqual(expected)
      expect(warm).toEqual(expected)
      expect(expected.code).toBe(1)
    }
    expect(ruleIds(uncached(repo.dir, '--since', 'v1.4'))).toContain('drop-column-still-read migrations/002_drop_email.sql:1')
    expect(ruleIds(uncached(repo.dir, '--staged'))).toEqual(['missing-lock-timeout migrations/003_age.sql:1', 'missing-statement-timeout migrations/003_age.sql:1', 'not-null-without-default migrations/003_age.sql:1'])
    expect(kindsIn(cache)).toEqual(['files', 'markers', 'schema', 'usage'])
  })

  it('--no-cache and MIGRATE_LINT_NO_CACHE=1 write nothing', () => {
    const repo = releaseRepo()
    const cache = freshCache()
    expect(runCli(['--since', 'v1.4'], repo.dir, { MIGRATE_LINT_CACHE_DIR: cache, MIGRATE_LINT_NO_CACHE: '1' }).code).toBe(1)
    expect(runCli(['--since', 'v1.4', '--no-cache'], repo.dir, { MIGRATE_LINT_CACHE_DIR: cache }).code).toBe(1)
    expect(files(cache)).toEqual([])
    expect(runCli(['--since', 'v1.4'], repo.dir, { MIGRATE_LINT_CACHE_DIR: cache }).code).toBe(1)
    expect(entries(cache).length).toBeGreaterThan(0)
  })

  it('a corrupt entry is a miss: garbage in every entry changes nothing in the result', () => {
    const repo = releaseRepo()
    const cache = freshCache()
    const expected = lint(repo.dir, cache, '--since', 'v1.4')
    const written = entries(cache)
    expect(written.length).toBeGreaterThan(0)
    written.forEach((file, i) => fs.writeFileSync(file, i % 2 ? '{"key":' : Buffer.from([0, 0xff, 0x7b])))
    expect(lint(repo.dir, cache, '--since', 'v1.4')).toEqual(expected)
  })

  it('two runs at once on an empty cache give the same results as one run alone', async () => {
    const repo = releaseRepo()
    const expected = uncached(repo.dir, '--since', 'v1.4')
    const cache = freshCache()
    const env = { MIGRATE_LINT_CACHE_DIR: cache }
    const runs = await Promise.all([0, 1, 2].map(() => runCliAsync(['--format', 'json', '--since', 'v1.4'], repo.dir, env)))
    for (const run of runs) expect(run).toEqual(expected)
    expect(files(cache).filter(f => f.endsWith('.tmp'))).toEqual([])
    expect(lint(repo.dir, cache, '--since', 'v1.4')).toEqual(expected)
  })

  it('a changed base is not answered from the cached schema of another base', () => {
    const repo = releaseRepo()
    const cache = freshCache()
    expect(ruleIds(lint(repo.dir, cache, '--since', 'v1.4'))).toContain('drop-column-still-read migrations/002_drop_email.sql:1')
    const schemas = () => entries(cache).filter(f => f.includes(`${path.sep}schema${path.sep}`))
    expect(schemas()).toHaveLength(1)
    repo.tag('v1.5')
    // At v1.5 the drop has shipped: this release is only the staged migration.
    const since15 = lint(repo.dir, cache, '--since', 'v1.5')
    expect(since15).toEqual(uncached(repo.dir, '--since', 'v1.5'))
    expect(schemas(), 'the base at v1.5 has a schema entry of its own').toHaveLength(2)
    expect(ruleIds(since15)).toEqual(['missing-lock-timeout migrations/003_age.sql:1', 'missing-statement-timeout migrations/003_age.sql:1', 'not-null-without-default migrations/003_age.sql:1'])
  })

  it('without git, an edited migration is linted again, not answered from the cached findings', () => {
    const repo = releaseRepo()
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-plain-'))
    fs.cpSync(path.join(repo.dir, 'migrations'), folder, { recursive: true })
    const cache = freshCache()
    const first = lint(folder, cache, '.')
    expect(lint(folder, cache, '.')).toEqual(first)
    expect(kindsIn(cache)).toEqual(['files', 'findings'])
    fs.writeFileSync(path.join(folder, '003_age.sql'), 'ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;\n')
    const edited = lint(folder, cache, '.')
    expect(edited).toEqual(uncached(folder, '.'))
    expect(ruleIds(edited)).not.toContain('not-null-without-default 003_age.sql:1')
    expect(ruleIds(first)).toContain('not-null-without-default 003_age.sql:1')
    // The size limit decides what parses: a new limit is not answered from findings made under the old one.
    fs.writeFileSync(path.join(folder, 'migrate-lint.config.json'), JSON.stringify({ maxFileMB: 0.00001 }))
    const limited = lint(folder, cache, '.')
    expect(limited).toEqual(uncached(folder, '.'))
    expect(ruleIds(limited)).toContain('unparsed-statement 001_users.sql:1')
  })
})
