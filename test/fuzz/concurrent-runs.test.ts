// Two runs at once on the same repository (two terminals, an editor hook and a pre-commit hook) must
// not disturb each other: same JSON as each other and as a run alone, whatever they share on disk
// (the Kysely loader's temp files, a parse cache under the same cache dir).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runCliAsync } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { migrationText } from './grammar.js'

const KYSELY = path.resolve(import.meta.dirname, '../../fixtures/kysely/acceptance/migrations')

/** A repository with a tagged release, app code that reads a dropped column, and a few hundred migrations. */
function busyRepo(): TestRepo {
  const shipped: Record<string, string> = {
    'migrations/0000_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n',
    'src/users.ts': "export const emails = (db: any) => db.selectFrom('users').select(['email']).execute()\n",
    'migrate-lint.config.json': JSON.stringify({ migrations: ['migrations/*.sql', 'kysely/*.ts'] }),
  }
  const texts = fc.sample(migrationText, { numRuns: 300, seed: 7 })
  const added: Record<string, string> = {
    'migrations/0001_drop_email.sql': "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN email;\n",
    'kysely/2024_01_01_000000_create_users.ts': fs.readFileSync(path.join(KYSELY, '2024_01_01_000000_create_users.ts'), 'utf8'),
    'kysely/2024_01_04_000000_drop_legacy_code.ts': fs.readFileSync(path.join(KYSELY, '2024_01_04_000000_drop_legacy_code.ts'), 'utf8'),
  }
  texts.forEach((text, i) => (added[`migrations/${String(i + 2).padStart(4, '0')}_fuzz.sql`] = text))
  return new TestRepo().commit('v1.0', shipped).tag('v1.0').commit('next release', added)
}

describe('two runs at once', () => {
  it('give the same JSON as each other and as a run alone', async () => {
    const repo = busyRepo()
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-cache-'))
    const env = { XDG_CACHE_HOME: cache }
    const args = ['--format', 'json']
    const [a, b] = await Promise.all([runCliAsync(args, repo.dir, env), runCliAsync(args, repo.dir, env)])
    const alone = await runCliAsync(args, repo.dir, env)
    for (const run of [a, b, alone]) {
      expect(run.stderr).toBe('')
      expect(run.code).toBe(1)
    }
    expect(b.stdout).toBe(a.stdout)
    expect(alone.stdout).toBe(a.stdout)
    const doc = JSON.parse(a.stdout) as { release: { revertSafe: boolean }; findings: { ruleId: string }[]; summary: { files: number } }
    // The runs did real work: the release is judged against v1.0's code, every added file was read.
    expect(doc.release.revertSafe).toBe(false)
    expect(doc.findings.map(f => f.ruleId)).toContain('drop-column-still-read')
    expect(doc.summary.files).toBe(303)
  }, 120_000)
})
