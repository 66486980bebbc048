// Issue 17, item 9: a safe alternative of several lines is printed as several lines, each further line
// indented under the label and keeping its own indentation; never as a literal `\n`. A process run.
import { describe, expect, it } from 'vitest'
import { runCli, tempTree } from '../cli/helpers.js'

const files = {
  'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
  'migrations/002_token.sql': "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\n",
}

describe('a multi-line safe alternative', () => {
  it('text: one line per line of the alternative, under the label', () => {
    const run = runCli(['migrations'], tempTree(files), { CI: 'true' })
    expect(run.stdout).toMatch(/^migrations\/002_token\.sql:3:1 {2}warning {2}volatile-default$/m)
    const lines = run.stdout.split('\n')
    const label = lines.findIndex(l => l.startsWith('  Safe alternative: ALTER TABLE users ADD COLUMN token uuid;'))
    expect(label).toBeGreaterThan(0)
    expect(lines.slice(label + 1, label + 3)).toEqual([
      '    ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
      '    -- then backfill the existing rows in batches: UPDATE users SET token = gen_random_uuid() WHERE token IS NULL AND <next batch of keys>;',
    ])
    expect(run.stdout).not.toContain('\\n')
  })

  it('JSON: the help holds the line breaks as data', () => {
    const run = runCli(['migrations', '--format', 'json'], tempTree(files), { CI: 'true' })
    const doc = JSON.parse(run.stdout) as { findings: { ruleId: string; line: number; help: string }[] }
    const help = doc.findings.find(f => f.ruleId === 'volatile-default' && f.line === 3)?.help
    expect(help?.split('\n')).toEqual([
      'ALTER TABLE users ADD COLUMN token uuid;',
      'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
      '-- then backfill the existing rows in batches: UPDATE users SET token = gen_random_uuid() WHERE token IS NULL AND <next batch of keys>;',
    ])
  })
})
