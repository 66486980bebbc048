import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { escapeMarkdown, formatMarkdown, githubBlobBase, repositoryLinks } from '../../src/report/markdown.js'
import { runCli, tempTree } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { finding, outcome, release } from './outcome.js'

describe('--format markdown', () => {
  it('verdict first, then the migrations with their phase, then the findings of each migration with the safe plan', () => {
    const findings = [
      finding(),
      finding({ ruleId: 'create-index-non-concurrently', severity: 'warning', category: 'locking', line: 3, endLine: 3, help: 'Use CONCURRENTLY.' }),
      finding({ ruleId: 'truncate', line: 5, suppressed: { reason: 'empty' } }),
    ]
    const md = formatMarkdown(outcome(findings, release(findings)), { quiet: false })
    const lines = md.split('\n')
    expect(lines[0]).toBe('## ❌ migrate-lint · Release `v1.4..HEAD`: NOT revert-safe (1 blocking)')
    expect(md).toContain('| migration | phase | findings |\n|---|---|---:|\n| [migrations/002\\_email.sql](migrations/002_email.sql) | **breaking** | 3 |')
    expect(md).toContain('### [migrations/002\\_email.sql](migrations/002_email.sql)')
    expect(md).toContain(
      '- 🔴 error `not-null-without-default` at [migrations/002\\_email.sql:2](migrations/002_email.sql#L2)  \n' +
        '  ADD COLUMN users.email is NOT NULL without a DEFAULT.  \n' +
        '  **Safe plan:** Add the column nullable first.',
    )
    expect(md).toContain('at [migrations/002\\_email.sql:3](migrations/002_email.sql#L3)  \n  ADD COLUMN')
    expect(md).toContain('**Safe alternative:** Use CONCURRENTLY.')
    expect(md).not.toContain('`truncate`')
    expect(md).toContain('1 suppressed')
    expect(md.indexOf('NOT revert-safe')).toBeLessThan(md.indexOf('| migration |'))
    expect(md.indexOf('| migration |')).toBeLessThan(md.indexOf('### '))
  })

  it('links to the linted commit on GitHub when the Actions environment names it', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123' }
    expect(githubBlobBase(env)).toBe('https://github.com/acme/shop/blob/abc123/')
    expect(githubBlobBase({})).toBeNull()
    const findings = [finding({ endLine: 4 })]
    const md = formatMarkdown(outcome(findings, release(findings)), { quiet: false, links: repositoryLinks(env) })
    expect(md).toContain('(https://github.com/acme/shop/blob/abc123/migrations/002_email.sql#L2-L4)')
  })

  it('a safe release says so; without a release (no git) it is a findings list only', () => {
    const safe = formatMarkdown(outcome([], release([], { migrations: [] })), { quiet: false })
    expect(safe).toMatch(/^## ✅ migrate-lint · Release `v1\.4\.\.HEAD`: revert-safe\n\n_No migrations in this release._\n\nNo findings\./)
    const plain = formatMarkdown(outcome([finding()], null, ['Not a git repository.']), { quiet: false })
    expect(plain).toMatch(/^## migrate-lint\n\n### /)
    expect(plain).not.toContain('| migration |')
    expect(plain).not.toContain('revert-safe')
    expect(plain).toContain('> Not a git repository.')
  })

  it('keeps SQL and paths literal', () => {
    expect(escapeMarkdown('a_b *c* <d> [e] `f` |g| ~h~ \\i')).toBe('a\\_b \\*c\\* \\<d\\> \\[e\\] \\`f\\` \\|g\\| \\~h\\~ \\\\i')
  })

  it('as a process, in a git repository and outside one', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
      .tag('v1.4')
      .commit('email', { 'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN email text;\n" })
    const inRepo = runCli(['--format', 'markdown'], repo.dir, { GITHUB_SHA: '' })
    expect(inRepo.code).toBe(0)
    expect(inRepo.stdout).toMatch(/^## ✅ migrate-lint · Release `v1\.4\.\.HEAD`: revert-safe\n/)
    expect(inRepo.stdout).toContain('| [migrations/002\\_email.sql](migrations/002_email.sql) | expand | 0 |')
    const plain = runCli(['--format', 'markdown'], tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE INDEX i ON users (id);\n' }))
    expect(plain.stdout).toMatch(/^## migrate-lint\n/)
  })

  describe('links that work where the report is read (a pull-request comment, a job summary)', () => {
    // Every CI variable the links read, cleared: the tests may themselves run in GitHub Actions or GitLab CI.
    const noCi = { GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '', GITHUB_SHA: '', GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: '', GITHUB_STEP_SUMMARY: '', CI_PROJECT_URL: '', CI_COMMIT_SHA: '', CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: '' }
    const head = 'c0ffee'.padEnd(40, '0')
    const merge = 'feed'.padEnd(40, '1')
    const repo = () =>
      new TestRepo()
        .commit('v1.4', { 'packages/api/migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
        .tag('v1.4')
        .commit('index', { 'packages/api/migrations/002_index.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n\nCREATE INDEX users_id ON users\n  (id);\n" })
    const finding = (base: string, lines: string) => `at [packages/api/migrations/002\\_index.sql:3](${base}packages/api/migrations/002_index.sql${lines})`

    it('in a pull_request run: the head commit of the pull request from the event payload, not the merge commit', () => {
      const r = repo()
      const event = path.join(r.dir, '..', `event-${path.basename(r.dir)}.json`)
      fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: head } } }))
      const env = { ...noCi, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: merge, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event }
      const run = runCli(['--format', 'markdown', 'migrations'], path.join(r.dir, 'packages/api'), env)
      const base = `https://github.com/acme/shop/blob/${head}/`
      expect(run.stdout).toContain(finding(base, '#L3-L4'))
      expect(run.stdout).toContain(`| [packages/api/migrations/002\\_index.sql](${base}packages/api/migrations/002_index.sql) | expand | 1 |`)
      // A push: GITHUB_SHA is the commit.
      const push = runCli(['--format', 'markdown', 'packages/api/migrations'], r.dir, { ...env, GITHUB_EVENT_NAME: 'push' })
      expect(push.stdout).toContain(finding(`https://github.com/acme/shop/blob/${merge}/`, '#L3-L4'))
    })

    it('the job summary that --format github writes links the same way', () => {
      const r = repo()
      const summary = path.join(r.dir, '..', `summary-${path.basename(r.dir)}.md`)
      const env = { ...noCi, GITHUB_SERVER_URL: 'https://github.example.com/', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: merge, GITHUB_STEP_SUMMARY: summary }
      const run = runCli(['--format', 'github', 'packages/api/migrations'], r.dir, env)
      expect(run.stdout).toMatch(/^::warning file=packages\/api\/migrations\/002_index\.sql,line=3,col=1,endLine=4,endColumn=7,title=create-index-non-concurrently::/m)
      expect(fs.readFileSync(summary, 'utf8')).toContain(finding(`https://github.example.com/acme/shop/blob/${merge}/`, '#L3-L4'))
    })

    it('in GitLab CI: the project URL, /-/blob/, GitLab\'s line ranges; elsewhere relative', () => {
      const r = repo()
      const gitlab = runCli(['--format', 'markdown', 'packages/api/migrations'], r.dir, { ...noCi, CI_PROJECT_URL: 'https://gitlab.com/acme/shop', CI_COMMIT_SHA: merge })
      expect(gitlab.stdout).toContain(finding(`https://gitlab.com/acme/shop/-/blob/${merge}/`, '#L3-4'))
      const merged = runCli(['--format', 'markdown', 'packages/api/migrations'], r.dir, { ...noCi, CI_PROJECT_URL: 'https://gitlab.com/acme/shop', CI_COMMIT_SHA: merge, CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: head })
      expect(merged.stdout).toContain(finding(`https://gitlab.com/acme/shop/-/blob/${head}/`, '#L3-4'))
      expect(runCli(['--format', 'markdown', 'packages/api/migrations'], r.dir, noCi).stdout).toContain(finding('', '#L3-L4'))
    })
  })
})
