import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { logLine } from '../../src/report/github.js'
import { displayText, escapeControls, redactSecrets } from '../../src/util/display-text.js'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

// Issue 14: a migration's author controls its file name and the identifiers its messages quote.
const NAMED = 'migrations/002_b\n::stop-commands::tok.sql'
const BIDI = 'migrations/003_\u202ec.sql'
const IDENT = 'e\n::error::x\r\u2028\u202e'

describe('escapeControls', () => {
  it('writes controls, separators and bidi characters as visible escapes; tab and text stay', () => {
    expect(escapeControls('a\nb\rc\u0000d\u001be\u007ff\u0085g\u2028h\u2029i\u202ej\u2066k\u200fl\tm')).toBe(
      'a\\nb\\rc\\u0000d\\u001be\\u007ff\\u0085g\\u2028h\\u2029i\\u202ej\\u2066k\\u200fl\tm',
    )
    expect(escapeControls('users.email é 日本 \\copy')).toBe('users.email é 日本 \\copy')
  })
})

describe('github log lines', () => {
  it('a plain line never reads as a command: a leading :: after white space, ##[ anywhere', () => {
    expect(logLine('  ::stop-commands::tok')).toBe('  \\::stop-commands::tok')
    expect(logLine('x ##[error]y')).toBe('x #\\#[error]y')
    expect(logLine('a note: b::c')).toBe('a note: b::c')
  })
})

describe('redactSecrets', () => {
  it('drops the password of a URL, keeps the user, and redacts password=, sslpassword=, sslkey= options', () => {
    expect(redactSecrets('cannot connect to postgres://app:s3cret@db:5432/app?sslmode=require&password=p2&sslpassword=p3&sslkey=/k')).toBe(
      'cannot connect to postgres://app@db:5432/app?sslmode=require&password=redacted&sslpassword=redacted&sslkey=redacted',
    )
    expect(redactSecrets("host=db user=app password='a b' dbname=x")).toBe('host=db user=app password=redacted dbname=x')
    expect(redactSecrets('postgres://db:5432/app and https://example.com/x?q=1')).toBe('postgres://db:5432/app and https://example.com/x?q=1')
  })

  it('displayText does both', () => {
    expect(displayText('postgres://u:pw@h/d\n::x')).toBe('postgres://u@h/d\\n::x')
  })
})

describe('every format escapes what a migration controls (CLI)', () => {
  let repo: TestRepo
  beforeAll(() => {
    repo = new TestRepo().commit('v1', { 'migrations/001_users.sql': 'CREATE TABLE users (id int, email text);\n' }).tag('v1.0.0')
    repo.write({
      [NAMED]: `ALTER TABLE users DROP COLUMN "${IDENT}";\n`,
      [BIDI]: 'ALTER TABLE users DROP COLUMN email;\n',
    })
  })
  const env = { MIGRATE_LINT_NO_CACHE: '1' }

  it('text: no line starts a command, no control or bidi character is printed', () => {
    const run = runCli(['--format', 'text'], repo.dir, env)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('migrations/002_b\\n::stop-commands::tok.sql:1:1  error  unproven-change')
    expect(run.stdout).toContain('migrations/003_\\u202ec.sql:1:1  error  unproven-change')
    expect(run.stdout).toContain('DROP COLUMN users.e\\n::error::x\\r\\u2028\\u202e: release v1.0.0 may still use')
    expectNoInjection(run.stdout)
  })

  it('github: the only command lines are migrate-lint\'s annotations, each on the exact file', () => {
    const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-summary-')), 'summary.md')
    const run = runCli(['--format', 'github'], repo.dir, { ...env, GITHUB_STEP_SUMMARY: summary })
    expect(run.code).toBe(1)
    const commands = run.stdout.split('\n').filter(line => /^\s*::/.test(line))
    for (const line of commands) expect(line).toMatch(/^::(error|warning|notice) [^\n]*::/)
    const files = new Set(commands.map(line => /file=([^,]*)/.exec(line)?.[1]).filter(Boolean))
    expect([...files].sort()).toEqual(['migrations/002_b%0A%3A%3Astop-commands%3A%3Atok.sql', 'migrations/003_\u202ec.sql'])
    expect(run.stdout).toContain('\n  migrations/002_b\\n::stop-commands::tok.sql  unproven\n')
    expect(run.stdout).not.toContain('\u2028')
    expectNoInjection(fs.readFileSync(summary, 'utf8'))
  })

  it('markdown: escaped link texts, exact link targets, one table row per migration', () => {
    const run = runCli(['--format', 'markdown'], repo.dir, env)
    expectNoInjection(run.stdout)
    expect(run.stdout).toContain('| [migrations/002\\_b\\\\n::stop-commands::tok.sql](migrations/002_b%0A%3A%3Astop-commands%3A%3Atok.sql) | unproven | 3 |')
  })

  it('json and sarif: paths exact, messages escaped', () => {
    const json = JSON.parse(runCli(['--format', 'json'], repo.dir, env).stdout) as { findings: { file: string; message: string }[] }
    expect(new Set(json.findings.map(f => f.file))).toEqual(new Set([NAMED, BIDI]))
    for (const f of json.findings) expect(f.message).not.toMatch(/[\n\r\u2028\u202e]/)
    const sarif = runCli(['--format', 'sarif'], repo.dir, env).stdout
    const log = JSON.parse(sarif) as { runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }
    const uris = new Set(log.runs[0].results.map(r => r.locations[0].physicalLocation.artifactLocation.uri))
    expect(uris).toEqual(new Set(['migrations/002_b%0A%3A%3Astop-commands%3A%3Atok.sql', 'migrations/003_%E2%80%AEc.sql']))
    // The message's own line break (before the safe plan) is migrate-lint's; the identifier's are escaped.
    for (const r of log.runs[0].results) expect(r.message.text.split('\n').length).toBeLessThanOrEqual(2)
  })

  it('stderr: a usage error naming a path escapes it', () => {
    const run = runCli(['migrations/none\n::error::x.sql'], repo.dir, env)
    expect(run.code).toBe(2)
    expect(run.stderr).toBe('migrate-lint: migrations/none\\n::error::x.sql: no such file or folder.\n')
  })
})

function expectNoInjection(output: string): void {
  for (const line of output.split('\n')) {
    if (/^\s*::/.test(line)) expect(line).toMatch(/^::(error|warning|notice) /)
    expect(line).not.toContain('##[')
  }
  expect(output).not.toMatch(/[\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/)
}
