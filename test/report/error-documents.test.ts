// A run that stops with an error (usage, config, git: exit code 2) still writes its format's document
// on stdout, for the CI step that reads it; the one line on stderr stays.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { requestedFormat } from '../../src/report/formats.js'
import { runCli, tempTree } from '../cli/helpers.js'

const version = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version as string
const tree = () => tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
const noConfig = '--config nope.json: no such file.'

function failing(args: string[]) {
  const run = runCli(args, tree())
  expect(run.code).toBe(2)
  expect(run.stderr).toBe(`migrate-lint: ${noConfig}\n`)
  return run.stdout
}

describe('error documents', () => {
  it('--format json: one JSON document with the tool version and the error', () => {
    for (const args of [['--format', 'json', '--config', 'nope.json'], ['verify', '--format', 'json', '--config', 'nope.json']]) {
      expect(JSON.parse(failing(args))).toEqual({ version: 1, tool: { name: 'migrate-lint', version }, error: { message: noConfig, exitCode: 2 } })
    }
  })

  it('--format json: an unknown option (commander writes its own stderr line) and an unknown --since outside git', () => {
    const unknown = runCli(['--format', 'json', '--bogus'], tree())
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\n")
    expect(JSON.parse(unknown.stdout).error).toEqual({ message: "unknown option '--bogus'", exitCode: 2 })
    const since = runCli(['--since', 'v1', '--format=json'], tree())
    expect(since.code).toBe(2)
    expect(JSON.parse(since.stdout).error.message).toMatch(/^--since needs a git repository, and .* is not in one/)
  })

  it('--format gitlab: one blocker issue that says why, not an empty report', () => {
    expect(JSON.parse(failing(['--format', 'gitlab', '--config', 'nope.json']))).toEqual([
      {
        type: 'issue',
        check_name: 'migrate-lint',
        description: `migrate-lint could not run: ${noConfig}`,
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'blocker',
        location: { path: '.', lines: { begin: 1 } },
      },
    ])
  })

  it('--format github: an error annotation; --format markdown: a comment that says the run failed', () => {
    expect(failing(['--format', 'github', '--config', 'nope.json'])).toBe(`::error title=migrate-lint::${noConfig}\n`)
    expect(failing(['verify', '--format', 'markdown', '--config', 'nope.json'])).toBe(
      `## ⚠️ migrate-lint could not run\n\n${noConfig}\n\n<sub>migrate-lint: exit code 2</sub>\n`,
    )
  })

  it('text and gcc: the stderr line only (gcc prints a fatal error on stderr too)', () => {
    expect(failing(['--config', 'nope.json'])).toBe('')
    expect(failing(['--format', 'gcc', '--config', 'nope.json'])).toBe('')
  })

  it('an unknown format is a usage error without a document', () => {
    const run = runCli(['--format', 'xml'], tree())
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain("argument 'xml' is invalid")
    expect(requestedFormat(['--format', 'xml'])).toBeNull()
    expect(requestedFormat(['verify', '--format=gcc'])).toBe('gcc')
    expect(requestedFormat(['--', '--format', 'json'])).toBeNull()
  })
})
