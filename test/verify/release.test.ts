// verify on a real release: temp git repos, the lint run, then the replay on PGlite (in process).
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { runLint } from '../../src/run.js'
import { runVerify } from '../../src/verify/verify.js'
import { rulesById } from '../../rules/index.js'
import { TestRepo } from '../release/git-repo.js'

const createUsers = '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n-- migrate:down\nDROP TABLE users;\n'
const readsEmail = `import { db } from '../db'

export async function findUser(id: number) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('id', '=', id)
    .executeTakeFirst()
}
`
const readsNameOnly = `import { db } from '../db'

export async function findUser(id: number) {
  return db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}
`
const dropEmail = [
  '-- migrate:up',
  '-- migrate-lint-disable-next-line verify-dangerous-lock -- users is small, the deploy runs off-peak',
  'ALTER TABLE users DROP COLUMN email;',
  '-- migrate:down',
  'ALTER TABLE users ADD COLUMN email text;',
  '',
].join('\n')

const verify = (repo: TestRepo, since?: string) =>
  runVerify({ root: repo.dir, cwd: repo.dir, paths: [], config: loadConfig(repo.dir, undefined, new Set(rulesById.keys())), since })

describe('verify a release', () => {
  let repo: TestRepo
  beforeAll(() => {
    // v1 reads users.email; v2 stops reading it; the working tree drops it.
    repo = new TestRepo()
      .commit('v1', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail })
      .tag('v1')
      .commit('stop reading email', { 'src/users/repo.ts': readsNameOnly })
      .tag('v2')
      .write({ 'migrations/002_drop_email.sql': dropEmail })
  })

  it('a column dropped while the base code still selects it: verify-old-query-fails at that line, not revert-safe', async () => {
    const outcome = await verify(repo, 'v1')
    const old = outcome.findings.filter(f => f.ruleId === 'verify-old-query-fails')
    expect(old.map(f => [f.file, f.line, f.column, f.severity, f.category])).toEqual([['src/users/repo.ts', 6, 20, 'error', 'revert-safety']])
    expect(old[0].message).toBe(
      'src/users/repo.ts:6 selects users.email in v1; once migrations/002_drop_email.sql has run, Postgres refuses it: column "email" does not exist (42703).',
    )
    expect(outcome.release).toMatchObject({ base: 'v1', revertSafe: false })
    expect(outcome.release!.blocking.map(f => f.ruleId).sort()).toEqual(['drop-column-still-read', 'verify-old-query-fails'])
    expect(outcome.summary.errors).toBe(2)
  }, 60_000)

  it('the drop one release after the code stopped reading the column: no finding, revert-safe', async () => {
    const outcome = await verify(repo)
    expect(outcome.release).toMatchObject({ base: 'v2', revertSafe: true })
    expect(outcome.findings.filter(f => f.ruleId.startsWith('verify-') && !f.suppressed)).toEqual([])
    // The suppression above the DROP applies to verify's finding, and is not "unused".
    expect(outcome.findings.find(f => f.ruleId === 'verify-dangerous-lock')?.suppressed).toEqual({ reason: 'users is small, the deploy runs off-peak' })
    expect(outcome.findings.filter(f => f.ruleId === 'unused-suppression')).toEqual([])
    expect(outcome.locks).toEqual([
      {
        file: 'migrations/002_drop_email.sql',
        line: 3,
        statement: 'ALTER TABLE users DROP COLUMN email',
        locks: [{ relation: 'users', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true }],
      },
    ])
    // Lint alone does not run verify's rules: the same directive is not "unused" there either.
    const lint = await runLint({ root: repo.dir, cwd: repo.dir, paths: [], config: loadConfig(repo.dir, undefined, new Set(rulesById.keys())) })
    expect(lint.findings.filter(f => f.ruleId === 'unused-suppression')).toEqual([])
    expect(outcome.notes.at(-1)).toMatch(/^Verified on PGlite \(PostgreSQL 18\.\d+\): 1 shipped migration replayed, then 1 of this release \(1 statement\)/)
  }, 60_000)
})
