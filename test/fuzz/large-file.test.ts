// Large inputs through the CLI as a process. Measured on a 2-core machine with a pg_dump-like file:
// 10 MB parses in ≈ 4 s at ≈ 730 MB RSS, 20 MB needs 1.3 GB, and at 50 MB libpg-query gave up while
// the run reported the file as clean with 0 statements. Files over `maxFileMB` (default 10) are now
// refused with a finding instead; the file is generated here, never committed.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, runCli, tempTree } from '../cli/helpers.js'
import { loadParser, parseSql, setMaxFileMB, DEFAULT_MAX_FILE_MB } from '../../src/parse/sql.js'
import { SourceText } from '../../src/parse/source-text.js'
import { writeDump } from './dump.js'

interface JsonDoc {
  findings: { ruleId: string; line: number; column: number; message: string }[]
  summary: { files: number; statements: number; unparsed: number; warnings: number }
}

describe('a 50 MB SQL dump', () => {
  let dir = ''
  beforeAll(() => {
    dir = tempTree({})
    fs.mkdirSync(path.join(dir, 'migrations'))
    writeDump(path.join(dir, 'migrations/001_dump.sql'), 50 * 2 ** 20)
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('is refused with a finding that says why and what to do, in bounded memory and time', () => {
    const started = Date.now()
    // A 256 MB heap: parsing the dump would need GBs, refusing it must not.
    const run = spawnSync(process.execPath, ['--max-old-space-size=256', BIN, '--format', 'json', 'migrations'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0' },
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(1)
    expect(Date.now() - started).toBeLessThan(30_000)
    const doc = JSON.parse(run.stdout) as JsonDoc
    expect(doc.findings).toEqual([
      expect.objectContaining({
        ruleId: 'unparsed-statement',
        line: 1,
        column: 1,
        message: expect.stringContaining('the file is too large to lint (50 MB > limit 10 MB); split it or raise "maxFileMB"'),
      }),
    ])
    expect(doc.summary).toMatchObject({ files: 1, statements: 1, unparsed: 1, errors: 1, warnings: 0 })
  }, 60_000)
})

describe('config maxFileMB', () => {
  const files = {
    'migrations/001_small.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
    'migrations/002_seed.sql': "INSERT INTO users VALUES (1);\n".repeat(2000),
  }

  it('applies the limit the config sets, to each file on its own', () => {
    const dir = tempTree({ ...files, 'migrate-lint.config.json': JSON.stringify({ maxFileMB: 0.05 }) })
    const doc = JSON.parse(runCli(['--format', 'json'], dir).stdout) as JsonDoc
    expect(doc.findings.map(f => f.message)).toEqual([expect.stringMatching(/too large to lint \(0\.0572 MB > limit 0\.05 MB\)/)])
    expect(doc.summary).toMatchObject({ files: 2, statements: 2, unparsed: 1 })
  })

  it('must be a positive number', () => {
    const run = runCli([], tempTree({ ...files, 'migrate-lint.config.json': JSON.stringify({ maxFileMB: 0 }) }))
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/"maxFileMB" must be a positive number of megabytes such as 10 \(got 0\)/)
  })
})

describe('parseSql under the size limit', () => {
  beforeAll(() => loadParser())
  afterAll(() => setMaxFileMB(DEFAULT_MAX_FILE_MB))

  it('refuses a text over the limit as one unparsed statement at its start', () => {
    setMaxFileMB(0.001)
    const text = '-- header\n' + 'SELECT 1;\n'.repeat(200)
    const statements = parseSql(new SourceText('m.sql', text), { inTransaction: false })
    expect(statements).toEqual([expect.objectContaining({ sql: '', ast: null, loc: { file: 'm.sql', line: 1, column: 1, endLine: 1, endColumn: 1 } })])
    expect(statements[0].parseError).toMatch(/too large to lint/)
    setMaxFileMB(1)
    expect(parseSql(new SourceText('m.sql', text), { inTransaction: false })).toHaveLength(200)
  })
})
