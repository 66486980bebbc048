import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { finding, outcome, release } from './outcome.js'

interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

/** Parses a line as the runner does (actions/runner ActionCommand.TryParseV2), undoing the escapes. */
function parseCommand(line: string): WorkflowCommand | null {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
  if (!m) return null
  const properties: Record<string, string> = {}
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=')
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true)
  }
  return { command: m[1], properties, message: unescape(m[3], false) }
}

function unescape(s: string, property: boolean): string {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n')
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',')
  return out.replace(/%25/g, '%')
}

describe('--format github', () => {
  it('escapes as GitHub requires: %, CR, LF in messages; also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b')
    expect(escapeProperty('db/a:b,c%.sql')).toBe('db/a%3Ab%2Cc%25.sql')
  })

  it('one annotation per finding that parses back to the finding; the verdict as an error annotation', () => {
    const findings = [
      finding({ file: 'db/migrations/2026:11,x%.sql', message: 'NOT NULL: 100% of old INSERTs fail,\nreally.' }),
      finding({ ruleId: 'create-index-non-concurrently', severity: 'warning', category: 'locking', line: 3, endLine: 4, endColumn: 2, help: '' }),
      finding({ ruleId: 'drop-column-data-loss', severity: 'info', category: 'data-loss', line: 5, endLine: undefined, endColumn: undefined }),
      finding({ ruleId: 'truncate', line: 9, suppressed: { reason: 'empty table' } }),
    ]
    const text = formatGithub(outcome(findings, release(findings), ['a note']), { quiet: false })
    const lines = text.trimEnd().split('\n')
    for (const line of lines) expect(line).not.toMatch(/[\r]/)
    const commands = lines.map(parseCommand)
    expect(commands[0]).toEqual({ command: 'error', properties: { title: 'migrate-lint' }, message: 'Release v1.4..HEAD: NOT revert-safe (1 blocking)' })
    const annotations = commands.filter((c): c is WorkflowCommand => c !== null).slice(1)
    expect(annotations).toEqual([
      {
        command: 'error',
        properties: { file: 'db/migrations/2026:11,x%.sql', line: '2', col: '1', endLine: '2', endColumn: '49', title: 'not-null-without-default' },
        // The line break in the message is the author's (escaped, src/util/display-text.ts); the one before the plan is migrate-lint's.
        message: 'NOT NULL: 100% of old INSERTs fail,\\nreally.\nSafe plan: Add the column nullable first.',
      },
      {
        command: 'warning',
        properties: { file: 'migrations/002_email.sql', line: '3', col: '1', endLine: '4', endColumn: '2', title: 'create-index-non-concurrently' },
        message: 'ADD COLUMN users.email is NOT NULL without a DEFAULT.',
      },
      {
        command: 'notice',
        properties: { file: 'migrations/002_email.sql', line: '5', col: '1', title: 'drop-column-data-loss' },
        message: 'ADD COLUMN users.email is NOT NULL without a DEFAULT.\nSafe alternative: Add the column nullable first.',
      },
    ])
    // Suppressed findings are not annotated; notes and the counts are plain log lines.
    expect(text).not.toContain('title=truncate')
    expect(lines).toContain('a note')
    expect(lines.at(-1)).toBe('migrate-lint: 1 error, 1 warning, 1 note (4 statements in 2 files; 1 suppressed)')
  })

  it('a revert-safe release is a plain line; --quiet keeps errors only', () => {
    const findings = [finding({ ruleId: 'create-index-non-concurrently', severity: 'warning', category: 'locking' })]
    const text = formatGithub(outcome(findings, release(findings)), { quiet: true })
    expect(text.split('\n')[0]).toBe('Release v1.4..HEAD: revert-safe')
    expect(text).not.toContain('::warning')
  })

  it('as a process: annotations on stdout, and the markdown report appended to $GITHUB_STEP_SUMMARY', () => {
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
      .tag('v1.4')
      .commit('email', { 'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN email text NOT NULL;\n" })
    const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-summary-')), 'summary.md')
    fs.writeFileSync(summary, '# earlier step\n')
    const run = runCli(['--since', 'v1.4', '--format', 'github'], repo.dir, { GITHUB_STEP_SUMMARY: summary, GITHUB_SHA: '' })
    expect(run.code).toBe(1)
    const commands = run.stdout.split('\n').map(parseCommand).filter(Boolean)
    expect(commands.map(c => [c!.command, c!.properties.title])).toEqual([
      ['error', 'migrate-lint'],
      ['error', 'not-null-without-default'],
    ])
    expect(commands[1]!.properties).toMatchObject({ file: 'migrations/002_email.sql', line: '2', col: '1' })
    const written = fs.readFileSync(summary, 'utf8')
    expect(written.startsWith('# earlier step\n')).toBe(true)
    expect(written).toContain('NOT revert-safe (1 blocking)')
    expect(written).toContain('(migrations/002_email.sql#L2)')
  })

  it('does not touch $GITHUB_STEP_SUMMARY for other formats', () => {
    const repo = new TestRepo().commit('one', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-summary-')), 'summary.md')
    runCli(['--format', 'text'], repo.dir, { GITHUB_STEP_SUMMARY: summary })
    expect(fs.existsSync(summary)).toBe(false)
  })
})
