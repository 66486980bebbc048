// `migrate-lint verify` as a process: the JSON document (lint's plus `locks`), the text report's lock
// table, exit codes (DESIGN §8), and one-line usage errors.
import { describe, expect, it } from 'vitest'
import { runCli, tempTree } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

// Progress lines are for terminals: the test's stderr is a pipe, and CI=true besides.
const env = { CI: 'true' }

describe('migrate-lint verify', () => {
  it('--format json: the lint document plus locks; exit 1 when a base query breaks', () => {
    const repo = new TestRepo()
      .commit('v1', {
        'migrations/001_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- migrate:down\nDROP TABLE users;\n',
        'src/users.ts': "export const emails = (c) => c.query('SELECT email FROM users')\n",
      })
      .tag('v1')
      .write({ 'migrations/002_drop.sql': '-- migrate:up\nALTER TABLE users DROP COLUMN email;\n-- migrate:down\nALTER TABLE users ADD COLUMN email text;\n' })
    const run = runCli(['verify', '--format', 'json'], repo.dir, env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    expect(Object.keys(doc)).toEqual(['version', 'release', 'findings', 'summary', 'server', 'locks'])
    expect(doc.release).toMatchObject({ base: 'v1', revertSafe: false })
    expect(doc.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'verify-old-query-fails', severity: 'error', category: 'revert-safety', file: 'src/users.ts', line: 1, column: 38 }),
    )
    expect(doc.locks).toEqual([
      {
        file: 'migrations/002_drop.sql',
        line: 2,
        statement: 'ALTER TABLE users DROP COLUMN email',
        locks: [{ relation: 'users', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true }],
      },
    ])
  }, 60_000)

  it('text outside a git repository: every migration replayed, the lock table first; exit 0 with warnings only', () => {
    const dir = tempTree({
      'migrations/001_users.sql': "SET lock_timeout = '2s';\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
      'migrations/002_idx.sql': "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
    })
    const run = runCli(['verify', 'migrations'], dir, env)
    expect(run.stderr).toBe('')
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('Locks taken by the release (pg_locks, read before each statement commits):')
    expect(lines[1]).toMatch(/^ {2}statement +sql +relation +lock mode +blocks$/)
    expect(run.stdout).toMatch(/\n {2}migrations\/001_users\.sql:2 +CREATE TABLE users \(id bigint PRIMARY KEY, \S+… +users +AccessExclusiveLock +reads, writes\n {20,}users_pkey +AccessExclusiveLock +reads, writes\n/)
    expect(run.stdout).toMatch(/\n {2}migrations\/002_idx\.sql:2 +CREATE INDEX CONCURRENTLY \S+ ON \S+… +\(outside a transaction: not traced\)\n/)
    expect(run.stdout).toContain('Round trip not run: migrations/001_users.sql, migrations/002_idx.sql have no down migration.')
    expect(run.code).toBe(0)
  }, 60_000)

  it('a --database-url that is no URL is a usage error: one line, exit 2', () => {
    const run = runCli(['verify', '--database-url', 'localhost:5432'], tempTree({ 'migrations/001.sql': 'SELECT 1;\n' }), env)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe('migrate-lint: --database-url: expected a URL like postgres://user@host:5432/database (with the password in it, in PGPASSWORD or in ~/.pgpass)\n')
  })
})
