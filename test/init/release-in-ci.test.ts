// Issue 12 case 5 (DESIGN §5: the unit is the release, not the pull request). PR 1 stops reading
// users.email, PR 2 of the same release drops the column. Judged against its base branch, PR 2 looks
// revert-safe (main already holds PR 1); judged as the release since v1.0 it is not: v1.0's code still
// reads users.email. The workflow `init` writes is run here as GitHub runs it: a full clone (tags come
// with fetch-depth: 0), the pull request checked out, the workflow's own command line.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { renderWorkflow } from '../../src/init/plan.js'
import { runCli } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from '../release/git-repo.js'

const readsEmail = `import { db } from './db'

export async function findUser(id: number) {
  return db.selectFrom('users').select(['id', 'name', 'email']).where('id', '=', id).executeTakeFirst()
}
`
const readsName = `import { db } from './db'

export async function findUser(id: number) {
  return db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}
`

/** The arguments the workflow gives migrate-lint (its `npx migrate-lint …` step). */
function workflowArgs(): string[] {
  const workflow = parse(renderWorkflow({ nodeVersionFile: null, npmLockfile: true }))
  const steps = workflow.jobs['migrate-lint'].steps as { run?: string }[]
  const run = steps.map(s => s.run).find(r => r?.startsWith('npx migrate-lint'))!
  return run.split(/\s+/).slice(2)
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim()
}

/** v1.0 reads users.email; PR 1 (merged to main) stops; PR 2 (a branch) drops the column. A CI clone on PR 2. */
function twoPullRequests(): { ci: string; mainBeforePr2: string } {
  const repo = new TestRepo()
    .commit('v1.0', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n', 'src/users.ts': readsEmail })
    .tag('v1.0')
    .commit('PR 1: stop reading users.email', { 'src/users.ts': readsName })
  const mainBeforePr2 = repo.git('rev-parse', 'HEAD').trim()
  repo.git('checkout', '-q', '-b', 'pr-2')
  repo.commit('PR 2: drop users.email', { 'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
  repo.git('checkout', '-q', 'main')
  const ci = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-ci-')), 'checkout')
  git(os.tmpdir(), 'clone', '-q', '--no-local', repo.dir, ci)
  git(ci, 'checkout', '-q', 'pr-2')
  return { ci, mainBeforePr2 }
}

describe('CI judges the release, not the pull request', () => {
  it('the workflow init writes names no base: the newest release tag reachable from the pull request is the base', () => {
    expect(workflowArgs()).toEqual(['--format', 'github'])
  })

  it('PR 2 drops a column PR 1 stopped reading: the workflow fails it, at the migration line', () => {
    const { ci, mainBeforePr2 } = twoPullRequests()
    expect(git(ci, 'tag', '--list')).toBe('v1.0')
    const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-summary-')), 'summary.md')
    const run = runCli(workflowArgs(), ci, { GITHUB_STEP_SUMMARY: summary })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^::error title=migrate-lint::Release v1\.0\.\.HEAD: NOT revert-safe/m)
    expect(run.stdout).toMatch(/^::error file=migrations\/002_drop_email\.sql,line=1,col=1,[^:]*title=drop-column-still-read::DROP COLUMN users\.email: release v1\.0 still reads it/m)
    expect(fs.readFileSync(summary, 'utf8')).toContain('drop-column-still-read')

    // What the workflow used to run (`--since origin/${{ github.base_ref }}`): main already holds PR 1,
    // so PR 2 alone looks revert-safe. That is the release bug this workflow no longer has.
    const old = runCli(['--since', mainBeforePr2, '--format', 'json'], ci)
    expect(old.code).toBe(0)
    const doc = JSON.parse(old.stdout) as { release: { revertSafe: boolean }; findings: { ruleId: string }[] }
    expect(doc.release.revertSafe).toBe(true)
    expect(doc.findings.map(f => f.ruleId)).not.toContain('drop-column-still-read')
    expect(git(ci, 'rev-parse', 'origin/main')).toBe(mainBeforePr2)
  })

  it('a repository with no release tag yet: every migration is in the release, and the output says how to tag one', () => {
    const repo = new TestRepo().commit('init', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    const run = runCli(workflowArgs(), repo.dir, { GITHUB_STEP_SUMMARY: path.join(repo.dir, '.summary.md') })
    expect(run.stdout).toContain('No tag matching v* is reachable from HEAD: every migration counts as part of this release')
    expect(run.stdout).toContain('git tag <release> <commit> && git push origin <release>')
    expect(run.stdout).toContain('fetch-depth: 0')
    expect(run.code).toBe(0)
  })
})
