// libpg-query (1.7 MB of WASM read and compiled) is loaded by the first step that parses: a lint of a
// folder answered from the cache loads none of it, and says exactly what the run that parsed said.
// Whether the process required it is read from Node's CommonJS loader (a preload that logs), not guessed.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempTree, type Run } from './helpers.js'

const HOOK = `const Module = require('node:module')
const fs = require('node:fs')
const load = Module._load
Module._load = function (request, ...rest) {
  if (request === 'libpg-query') fs.appendFileSync(process.env.REQUIRED_LOG, request + '\\n')
  return load.call(this, request, ...rest)
}
`

describe('the parser is loaded on demand', () => {
  const dir = tempTree({
    'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
    'migrations/002_age.sql': 'ALTER TABLE users ADD COLUMN age int NOT NULL;\n',
    'require-log.cjs': HOOK,
  })
  const cache = path.join(dir, 'cache')
  const log = path.join(dir, 'required.txt')
  /** The run, and whether it required libpg-query. */
  const lint = (...args: string[]): { run: Run; parser: boolean } => {
    fs.writeFileSync(log, '')
    const run = runCli(['migrations', ...args], dir, {
      MIGRATE_LINT_CACHE_DIR: cache,
      NODE_OPTIONS: `--require ${path.join(dir, 'require-log.cjs')}`,
      REQUIRED_LOG: log,
    })
    return { run, parser: fs.readFileSync(log, 'utf8').includes('libpg-query') }
  }
  const findingsOf = (run: Run) => (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number }[] }).findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)

  it('a cold run parses; a warm JSON run answered from the cache does not load it and says the same; a text report with findings loads it for its code frames', () => {
    const cold = lint('--format', 'json')
    expect(cold.parser).toBe(true)
    expect(cold.run.code).toBe(1)
    expect(findingsOf(cold.run)).toContain('not-null-without-default migrations/002_age.sql:1')

    const warm = lint('--format', 'json')
    expect(warm.parser).toBe(false)
    expect(warm.run).toEqual(cold.run)

    const text = lint()
    expect(text.parser).toBe(true)
    expect(text.run.code).toBe(1)
    // The code frame shows the statement the finding is in: it needed the parse.
    expect(text.run.stdout).toContain('migrations/002_age.sql:1:1')
    expect(text.run.stdout).toMatch(/> 1 \| ALTER TABLE users ADD COLUMN age int NOT NULL;/)
    expect(lint('--no-cache').run.stdout).toBe(text.run.stdout)
  })

  it('a warm text run without findings loads no parser either', () => {
    const clean = tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    const env = { MIGRATE_LINT_CACHE_DIR: cache, NODE_OPTIONS: `--require ${path.join(dir, 'require-log.cjs')}`, REQUIRED_LOG: log }
    fs.writeFileSync(log, '')
    const cold = runCli(['migrations'], clean, env)
    expect(fs.readFileSync(log, 'utf8')).toContain('libpg-query')
    fs.writeFileSync(log, '')
    const warm = runCli(['migrations'], clean, env)
    expect(fs.readFileSync(log, 'utf8')).toBe('')
    expect(warm).toEqual(cold)
    expect(warm.code).toBe(0)
  })
})
