// The CLI's basics a new user reaches for first (issue 17, item 7), as a process: --version / -V,
// `help [command]`, `-` for stdin with --stdin-filename, --max-warnings, FORCE_COLOR=0, and a config
// that is not valid JSON said at its line and column.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, runCli, tempTree, type Run } from './helpers.js'

const root = path.resolve(__dirname, '../..')
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string

/** The CLI as a process with `input` on its stdin (runCli's environment: no colour). */
function runWithStdin(args: string[], cwd: string, input: string): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0' } })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** Rule id and file:line:column of each finding line of the text report. */
const found = (stdout: string) => [...stdout.matchAll(/^(\S+:\d+:\d+) {2}(\w+) {2}([a-z-]+)$/gm)].map(m => `${m[3]} ${m[1]} ${m[2]}`)

const timeouts = "SET lock_timeout = '5s'; SET statement_timeout = '60s';\n"
/** Two warnings, no error: an index built without CONCURRENTLY, and a second one. */
const twoWarnings = {
  'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n',
  'migrations/002_indexes.sql': `${timeouts}CREATE INDEX users_email ON users (email);\nCREATE INDEX users_name ON users (name);\n`,
}

describe('--version, -V', () => {
  it('prints the package version, exit 0', () => {
    for (const flag of ['--version', '-V']) expect(runCli([flag], root)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })
})

describe('migrate-lint help [command]', () => {
  it('help is --help; help <command> is <command> --help', () => {
    const help = runCli(['help'], root)
    expect(help).toEqual({ ...runCli(['--help'], root), code: 0 })
    expect(help.stdout.split('\n')[0]).toBe('Usage: migrate-lint [options] [command] [paths...]')
    expect(help.stdout).toMatch(/^ {2}help \[command\] +print the help of a command$/m)
    expect(help.stdout).toMatch(/^ {2}-V, --version +print the version$/m)
    expect(runCli(['help', '--help'], root)).toEqual(help)
    const verify = runCli(['help', 'verify'], root)
    expect(verify).toEqual({ ...runCli(['verify', '--help'], root), code: 0 })
    expect(verify.stdout.split('\n')[0]).toBe('Usage: migrate-lint verify [options] [paths...]')
  })

  it('help <unknown>: one line with the commands, exit 2', () => {
    const run = runCli(['help', 'verfy'], root)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^migrate-lint: help: no command "verfy" \(did you mean "verify"\?\); the commands are init, verify, .*rules, explain.*\.\n$/)
  })
})

describe('- reads one SQL migration from stdin', () => {
  const sql = `${timeouts}ALTER TABLE users ADD COLUMN email text NOT NULL;\n`

  it('named <stdin> in the findings; exit 1 for an error', () => {
    const run = runWithStdin(['-'], tempTree({}), sql)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    expect(found(run.stdout)).toEqual(['not-null-without-default <stdin>:2:1 error'])
    expect(run.stdout).toContain('Read from stdin as <stdin>: checked as a migration on its own')
    expect(run.stdout).toMatch(/✖ 1 error, 0 warnings \(3 statements in 1 file\)\n$/)
  })

  it('--stdin-filename names it (as ESLint), in every format; a clean text exits 0', () => {
    const dir = tempTree({})
    const json = runWithStdin(['-', '--stdin-filename', 'db/migrations/002_email.sql', '--format', 'json'], dir, sql)
    expect(json.code).toBe(1)
    const doc = JSON.parse(json.stdout) as { findings: { ruleId: string; file: string; line: number }[] }
    expect(doc.findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['not-null-without-default db/migrations/002_email.sql:2'])
    const clean = runWithStdin(['-'], dir, `${timeouts}ALTER TABLE users ADD COLUMN email text;\n`)
    expect(clean.code).toBe(0)
    expect(found(clean.stdout)).toEqual([])
  })

  it('the config of the current folder applies (a rule turned off)', () => {
    const dir = tempTree({ 'migrate-lint.config.json': '{ "rules": { "not-null-without-default": "off" } }\n' })
    const run = runWithStdin(['-'], dir, sql)
    expect(run.code).toBe(0)
    expect(found(run.stdout)).toEqual([])
  })

  it('misuse is exit 2 with one line: another path beside it, --staged, --stdin-filename without -', () => {
    const dir = tempTree(twoWarnings)
    const cases: [string[], RegExp][] = [
      [['-', 'migrations'], /^migrate-lint: - reads one migration from stdin: name no other path with it\.\n$/],
      [['-', '--staged'], /^migrate-lint: --staged judges a release of the repository; a migration read from stdin \(-\) is checked on its own: leave the option out\.\n$/],
      [['--stdin-filename', 'a.sql'], /^migrate-lint: --stdin-filename names the migration read from stdin: pass - as the path too/],
    ]
    for (const [args, stderr] of cases) {
      const run = runWithStdin(args, dir, sql)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toMatch(stderr)
    }
  })
})

describe('--max-warnings <n>', () => {
  it('exit 1 when the warnings are more than n, with the reason on stderr; n or fewer keep exit 0', () => {
    const dir = tempTree(twoWarnings)
    const plain = runCli(['--no-cache'], dir)
    expect(plain.code).toBe(0)
    expect(found(plain.stdout)).toEqual([
      'create-index-non-concurrently migrations/002_indexes.sql:2:1 warning',
      'create-index-non-concurrently migrations/002_indexes.sql:3:1 warning',
    ])
    const over = runCli(['--no-cache', '--max-warnings', '1'], dir)
    expect(over.code).toBe(1)
    expect(over.stdout).toBe(plain.stdout)
    expect(over.stderr).toBe('migrate-lint: 2 warnings, more than --max-warnings 1 allows.\n')
    expect(runCli(['--no-cache', '--max-warnings', '2'], dir)).toEqual({ ...plain, code: 0 })
    // --quiet hides warnings from the report, not from the count (as ESLint).
    expect(runCli(['--no-cache', '--quiet', '--max-warnings', '0'], dir).code).toBe(1)
  })

  it('applies to stdin too; not a whole number is exit 2 with one line', () => {
    const dir = tempTree({})
    const stdin = runWithStdin(['-', '--max-warnings', '0'], dir, `${timeouts}CREATE INDEX users_email ON users (email);\n`)
    expect(stdin.code).toBe(1)
    expect(stdin.stderr).toBe('migrate-lint: 1 warning, more than --max-warnings 0 allows.\n')
    const bad = runCli(['--max-warnings', '-1'], dir)
    expect(bad).toEqual({ code: 2, stdout: '', stderr: 'migrate-lint: --max-warnings: "-1" is not a whole number (0 fails a run with any warning).\n' })
  })
})

describe('colour', () => {
  /** On a terminal (script(1) gives the process one), with the given environment. */
  function onTerminal(dir: string, env: Record<string, string | undefined>): string {
    const environment: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }
    const result = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --no-cache`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: environment as NodeJS.ProcessEnv })
    expect(result.status).toBe(0)
    return result.stdout
  }
  const ESC = '\u001b['

  it('FORCE_COLOR=0 turns it off on a terminal; on a terminal it is on; FORCE_COLOR=1 turns it on in a pipe', () => {
    const dir = tempTree(twoWarnings)
    expect(onTerminal(dir, {})).toContain(ESC)
    const off = onTerminal(dir, { FORCE_COLOR: '0' })
    expect(off).toContain('create-index-non-concurrently')
    expect(off).not.toContain(ESC)
    expect(onTerminal(dir, { FORCE_COLOR: 'false' })).not.toContain(ESC)
    expect(runCli(['--no-cache'], dir, { FORCE_COLOR: '1' }).stdout).toContain(ESC)
    expect(runCli(['--no-cache'], dir, { FORCE_COLOR: '0' }).stdout).not.toContain(ESC)
    // --no-color and NO_COLOR win over FORCE_COLOR.
    expect(runCli(['--no-cache', '--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toContain(ESC)
    expect(runCli(['--no-cache'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain(ESC)
  })
})

describe('a config that is not valid JSON', () => {
  it('is exit 2 with file:line:column and what the parser expected', () => {
    const dir = tempTree({ 'migrate-lint.config.json': '{\n  "postgresVersion": 16\n  "tagPattern": "v*"\n}\n', 'migrations/001.sql': 'SELECT 1;\n' })
    const run = runCli([], dir)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    // The parser's words (V8's, which vary between Node versions), without its byte position.
    expect(run.stderr).toMatch(new RegExp(`^migrate-lint: ${escape(path.join(fs.realpathSync(dir), 'migrate-lint.config.json'))}:3:3: not valid JSON: Expected [^\\n]+\\.\\n$`))
    expect(run.stderr).not.toContain('position')
    // A package.json holding the config: the same, at the end of a cut-off file.
    const pkg = tempTree({ 'package.json': '{ "name": "shop", "migrate-lint": {', 'migrations/001.sql': 'SELECT 1;\n' })
    const cut = runCli([], pkg)
    expect(cut.code).toBe(2)
    expect(cut.stderr).toMatch(/^migrate-lint: [^\n]+\/package\.json:1:36: not valid JSON: [^\n]+\.\n$/)
  })
})

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
