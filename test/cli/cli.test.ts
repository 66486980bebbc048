import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { BIN, runCli, tempTree } from './helpers.js'

const unsafe = {
  'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
  'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN email text NOT NULL;\n",
}
const clean = {
  'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
  'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users ADD COLUMN email text;\n",
}

describe('migrate-lint as a process', () => {
  it('prints the JSON document of DESIGN §8 and exits 1 on an error-level finding', () => {
    const run = runCli(['--format', 'json'], tempTree(unsafe))
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout)
    expect(Object.keys(doc)).toEqual(['version', 'release', 'findings', 'summary'])
    expect(doc.version).toBe(1)
    expect(doc.release).toBeNull()
    expect(doc.findings).toEqual([
      expect.objectContaining({
        ruleId: 'not-null-without-default',
        severity: 'error',
        category: 'revert-safety',
        file: 'migrations/002_email.sql',
        line: 2,
        column: 1,
        message: expect.stringContaining('users.email'),
        help: expect.any(String),
      }),
    ])
    expect(doc.summary).toEqual({ files: 2, statements: 4, errors: 1, warnings: 0, unparsed: 0 })
  })

  it('exits 0 when clean, and says so', () => {
    const run = runCli([], tempTree(clean))
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/✔ 0 errors, 0 warnings \(4 statements in 2 files\)/)
  })

  it('ends quietly, with its exit code, when the reader of its output goes away (`| head`)', () => {
    const dir = tempTree(unsafe)
    // `true` exits without reading: the pipe is closed before migrate-lint writes.
    const script = 'node "$0" --format json 2>stderr.txt | true; echo "${PIPESTATUS[0]}"'
    const result = spawnSync('bash', ['-c', script, BIN], { cwd: dir, encoding: 'utf8' })
    expect(result.stdout.trim()).toBe('1')
    expect(fs.readFileSync(path.join(dir, 'stderr.txt'), 'utf8')).toBe('')
  })

  it('prints file:line:col, severity, rule id, message and the safe alternative, without colour off a TTY', () => {
    const run = runCli(['migrations'], tempTree(unsafe))
    expect(run.stdout).toContain('migrations/002_email.sql:2:1  error  not-null-without-default\n')
    expect(run.stdout).toContain('  Safe plan: ')
    expect(run.stdout).not.toMatch(/\u001b\[/)
  })

  it('colours with FORCE_COLOR and not with --no-color', () => {
    const dir = tempTree(unsafe)
    expect(runCli([], dir, { FORCE_COLOR: '1' }).stdout).toMatch(/\u001b\[/)
    expect(runCli(['--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/)
  })

  it('exits 2 with one line for usage, config and path errors', () => {
    const dir = tempTree(unsafe)
    const cases: [string[], RegExp][] = [
      [['--format', 'xml'], /argument 'xml' is invalid/],
      [['--bogus'], /unknown option '--bogus'/],
      [['no/such/dir'], /no\/such\/dir: no such file or folder/],
      [['--postgres-version', 'eleven'], /--postgres-version/],
      [['explain', 'not-null-without-defaut'], /did you mean "not-null-without-default"/],
    ]
    for (const [args, message] of cases) {
      const run = runCli(args, dir)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).toMatch(message)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
      expect(run.stdout).toBe('')
    }
  })

  it('exits 2 on an unknown config key or rule id, suggesting the nearest', () => {
    const badKey = runCli([], tempTree({ ...unsafe, 'migrate-lint.config.json': '{ "postgresVersoin": 14 }' }))
    expect(badKey.code).toBe(2)
    expect(badKey.stderr).toMatch(/unknown key "postgresVersoin" \(did you mean "postgresVersion"\?\)/)
    const badRule = runCli([], tempTree({ ...unsafe, 'migrate-lint.config.json': '{ "rules": { "not-null-without-defualt": "off" } }' }))
    expect(badRule.code).toBe(2)
    expect(badRule.stderr).toMatch(/unknown rule "not-null-without-defualt" \(did you mean "not-null-without-default"\?\)/)
  })

  it('applies per-rule severity from the config (off, warning) and from package.json', () => {
    const off = runCli(['--format', 'json'], tempTree({ ...unsafe, 'migrate-lint.config.json': '{ "rules": { "not-null-without-default": "off" } }' }))
    expect(off.code).toBe(0)
    expect(JSON.parse(off.stdout).findings).toEqual([])
    const pkg = JSON.stringify({ name: 'app', 'migrate-lint': { rules: { 'not-null-without-default': 'warning' } } })
    const warn = runCli(['--format', 'json'], tempTree({ ...unsafe, 'package.json': pkg }))
    expect(warn.code).toBe(0)
    expect(JSON.parse(warn.stdout).findings[0]).toMatchObject({ ruleId: 'not-null-without-default', severity: 'warning' })
  })

  it('honours a suppression with a reason and flags one without', () => {
    const suppressed = {
      ...unsafe,
      'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n-- migrate-lint-disable-next-line not-null-without-default -- table is empty everywhere\nALTER TABLE users ADD COLUMN email text NOT NULL;\n",
    }
    const ok = runCli(['--format', 'json'], tempTree(suppressed))
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout).findings).toEqual([
      expect.objectContaining({ ruleId: 'not-null-without-default', suppressed: { reason: 'table is empty everywhere' } }),
    ])
    const noReason = { ...unsafe, 'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n-- migrate-lint-disable-next-line not-null-without-default\nALTER TABLE users ADD COLUMN email text NOT NULL;\n" }
    const run = runCli(['--format', 'json'], tempTree(noReason))
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout).findings.filter((f: { suppressed?: unknown }) => !f.suppressed)).toEqual([
      expect.objectContaining({ ruleId: 'suppression-without-reason', line: 2, column: 1 }),
    ])
  })

  it('reads migrations named in the config', () => {
    const run = runCli(['--format', 'json'], tempTree({ 'db/schema/001_a.sql': 'TRUNCATE users;', 'migrate-lint.config.json': '{ "migrations": ["db/schema/*.sql"] }' }))
    expect(JSON.parse(run.stdout).summary.files).toBe(1)
  })

  it('says what to do when no migrations are found', () => {
    const run = runCli([], tempTree({ 'README.md': 'hi' }))
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/No migrations found: pass a folder/)
  })

  it('lists rules and explains one', () => {
    const rules = runCli(['rules'], tempTree({}))
    expect(rules.code).toBe(0)
    expect(rules.stdout).toMatch(/^not-null-without-default\s+revert-safety\s+error\s+ADD COLUMN/m)
    const explain = runCli(['explain', 'not-null-without-default'], tempTree({}))
    expect(explain.code).toBe(0)
    expect(explain.stdout).toContain('Bad:\n    ALTER TABLE users ADD COLUMN email text NOT NULL;')
  })
})

describe('bad input never crashes', () => {
  const cases: Record<string, string | Buffer> = {
    'migrations/001_empty.sql': '',
    'migrations/002_binary.sql': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
    'migrations/003_latin1.sql': Buffer.concat([Buffer.from("SELECT 1;\nINSERT INTO t VALUES ('caf"), Buffer.from([0xe9]), Buffer.from("');\nSELECT 2;\n")]),
    'migrations/004_unterminated.sql': "SELECT 1;\nSELECT 'never closed;\n",
    'migrations/005_dollar.sql': 'DO $$ BEGIN\n',
  }
  it('reports each as a finding with its location, exit 1 (the deploy would fail there)', () => {
    const run = runCli(['--format', 'json'], tempTree(cases))
    expect(run.stderr).toBe('')
    const doc = JSON.parse(run.stdout)
    const unparsed = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'unparsed-statement')
    expect(unparsed.map((f: { file: string; line: number; message: string }) => `${f.file}:${f.line}`)).toEqual([
      'migrations/002_binary.sql:1',
      'migrations/003_latin1.sql:2',
      'migrations/004_unterminated.sql:2',
      'migrations/005_dollar.sql:1',
    ])
    expect(unparsed[0].message).toMatch(/binary/)
    expect(unparsed[1].message).toMatch(/invalid UTF-8/)
    expect(doc.summary).toMatchObject({ files: 5, unparsed: 4, errors: 4 })
    expect(run.code).toBe(1)
  })
})
