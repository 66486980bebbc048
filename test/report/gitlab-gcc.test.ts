// `--format gitlab` (GitLab code quality) and `--format gcc`, for the lint and for verify, as processes.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { GitlabIssue } from '../../src/report/gitlab.js'
import { runCli, tempTree } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

const emailMigration = [
  "SET lock_timeout = '5s'; SET statement_timeout = '60s';",
  'ALTER TABLE users',
  '  ADD COLUMN email text NOT NULL;',
  'CREATE INDEX users_email ON users (email);',
  '-- migrate-lint-disable-next-line truncate -- the fixture table is empty',
  'TRUNCATE users;',
  '',
].join('\n')
const files = { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n', 'migrations/002_email.sql': emailMigration }

describe('--format gitlab', () => {
  it('one Code Climate issue per unsuppressed finding: rule, message, severity, path and line', () => {
    const run = runCli(['--format', 'gitlab'], tempTree(files))
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    const issues = JSON.parse(run.stdout) as GitlabIssue[]
    expect(issues.map(i => [i.check_name, i.severity, i.location.path, i.location.lines.begin])).toEqual([
      ['not-null-without-default', 'critical', 'migrations/002_email.sql', 2],
      ['create-index-non-concurrently', 'minor', 'migrations/002_email.sql', 4],
    ])
    expect(issues[0]).toEqual({
      type: 'issue',
      check_name: 'not-null-without-default',
      description: expect.stringMatching(/^ADD COLUMN users\.email is NOT NULL without a DEFAULT/),
      content: { body: expect.stringMatching(/^Safe plan: /) },
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      severity: 'critical',
      location: { path: 'migrations/002_email.sql', lines: { begin: 2 } },
    })
    expect(new Set(issues.map(i => i.fingerprint)).size).toBe(2)
  })

  it('fingerprints stay when lines above the statement move, and change with the statement', () => {
    const dir = tempTree(files)
    const before = JSON.parse(runCli(['--format', 'gitlab'], dir).stdout) as GitlabIssue[]
    const file = path.join(dir, 'migrations/002_email.sql')
    fs.writeFileSync(file, `-- a comment\n-- and another\n${emailMigration}`)
    const moved = JSON.parse(runCli(['--format', 'gitlab'], dir).stdout) as GitlabIssue[]
    expect(moved.map(i => i.location.lines.begin)).toEqual([4, 6])
    expect(moved.map(i => i.fingerprint)).toEqual(before.map(i => i.fingerprint))
    fs.writeFileSync(file, emailMigration.replace('users_email ON', 'users_email_idx ON'))
    const changed = JSON.parse(runCli(['--format', 'gitlab'], dir).stdout) as GitlabIssue[]
    expect(changed[0].fingerprint).toBe(before[0].fingerprint)
    expect(changed[1].fingerprint).not.toBe(before[1].fingerprint)
  })

  it('a clean run is an empty array', () => {
    const run = runCli(['--format', 'gitlab'], tempTree({ 'migrations/001_users.sql': files['migrations/001_users.sql'] }))
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([])
  })
})

describe('--format gcc', () => {
  it('file:line:column: severity: message [rule-id], one line per finding; --quiet keeps the errors', () => {
    const run = runCli(['--format', 'gcc'], tempTree(files))
    expect(run.code).toBe(1)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^migrations\/002_email\.sql:2:1: error: ADD COLUMN users\.email is NOT NULL without a DEFAULT.* \[not-null-without-default\]$/)
    expect(lines[1]).toMatch(/^migrations\/002_email\.sql:4:1: warning: CREATE INDEX users_email on users without CONCURRENTLY.* \[create-index-non-concurrently\]$/)
    const quiet = runCli(['--format', 'gcc', '--quiet'], tempTree(files))
    expect(quiet.stdout.trimEnd().split('\n')).toEqual([lines[0]])
  })

  it('a control character in a file name cannot start a line of its own', () => {
    const run = runCli(['--format', 'gcc', 'migrations'], tempTree({ 'migrations/001_a\nb.sql': 'TRUNCATE users;\n' }))
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    for (const line of lines) expect(line).toMatch(/^migrations\/001_a\\nb\.sql:1:1: (error|warning): .* \[[a-z-]+\]$/)
    expect(lines[2]).toMatch(/: error: TRUNCATE users deletes every row .* \[truncate\]$/)
  })
})

describe('verify takes the lint\'s formats', () => {
  const env = { CI: 'true' }
  it('gcc, gitlab, sarif and github of a replay that breaks the previous release\'s query', () => {
    const repo = new TestRepo()
      .commit('v1', {
        'migrations/001_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY, nickname text);\n-- migrate:down\nDROP TABLE accounts;\n',
        'app/names.ts': "export const names = (c) =>\n  c.query('SELECT nickname FROM accounts')\n",
      })
      .tag('v1')
      .write({ 'migrations/002_rename.sql': '-- migrate:up\nALTER TABLE accounts RENAME COLUMN nickname TO handle;\n-- migrate:down\nALTER TABLE accounts RENAME COLUMN handle TO nickname;\n' })
    const gcc = runCli(['verify', '--format', 'gcc'], repo.dir, env)
    expect(gcc.code).toBe(1)
    expect(gcc.stdout).toMatch(/^app\/names\.ts:2:11: error: .* \[verify-old-query-fails\]$/m)
    const gitlab = JSON.parse(runCli(['verify', '--format', 'gitlab'], repo.dir, env).stdout) as GitlabIssue[]
    expect(gitlab).toContainEqual(expect.objectContaining({ check_name: 'verify-old-query-fails', severity: 'critical', location: { path: 'app/names.ts', lines: { begin: 2 } } }))
    const sarif = JSON.parse(runCli(['verify', '--format', 'sarif'], repo.dir, env).stdout)
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('verify-old-query-fails')
    // github: the annotation on the old query's line, and the Markdown report in the job summary.
    const summary = path.join(repo.dir, '..', `summary-${path.basename(repo.dir)}.md`)
    const github = runCli(['verify', '--format', 'github'], repo.dir, { ...env, GITHUB_STEP_SUMMARY: summary, GITHUB_SERVER_URL: '', GITHUB_SHA: '', CI_PROJECT_URL: '' })
    expect(github.stdout).toMatch(/^::error file=app\/names\.ts,line=2,col=11,.*title=verify-old-query-fails::/m)
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/- 🔴 error `verify-old-query-fails` at \[app\/names\.ts:2\]\(app\/names\.ts#L2\)/)
  }, 120_000)
})
