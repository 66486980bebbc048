// The code frame of the text report: the statement's lines with their numbers, the span underlined.
import { Chalk } from 'chalk'
import { describe, expect, it } from 'vitest'
import type { Migration } from '../../src/model.js'
import { formatText } from '../../src/report/text.js'
import { runCli, tempTree } from '../cli/helpers.js'
import { finding, outcome } from './outcome.js'

const plain = new Chalk({ level: 0 })

/** A lint outcome whose one migration holds `text`, one statement per [line, endLine, endColumn]. */
function withSource(text: string, statements: [number, number, number][], findings = [finding()]) {
  const file = 'migrations/002_email.sql'
  const migration = {
    id: file,
    path: file,
    sources: [{ path: file, text }],
    up: statements.map(([line, endLine, endColumn]) => ({ sql: `statement at ${line}`, ast: null, parseError: null, inTransaction: false, loc: { file, line, column: 1, endLine, endColumn } })),
    down: null,
  } as unknown as Migration
  return { ...outcome(findings), migrations: [migration] }
}

const frameOf = (report: string) => report.split('\n').filter(l => /^ {2}[> ] +\d+ \||^ {4} +\|/.test(l))

describe('code frame', () => {
  it('as a process: the statement\'s lines, the finding\'s marked and underlined; none in --format gcc', () => {
    const dir = tempTree({
      'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
      'migrations/002_email.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users\n  ADD COLUMN email text NOT NULL;\nCREATE INDEX users_email ON users (email);\n",
    })
    const run = runCli([], dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      [
        'migrations/002_email.sql:2:1  error  not-null-without-default',
        '  ADD COLUMN users.email is NOT NULL without a DEFAULT: it fails on a table with rows, and INSERTs of the previous release omit it.',
        '  > 2 | ALTER TABLE users',
        '      | ^^^^^^^^^^^^^^^^^',
        '  > 3 |   ADD COLUMN email text NOT NULL;',
        '      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  Safe plan: ',
      ].join('\n'),
    )
    expect(run.stdout).toMatch(
      /\nmigrations\/002_email\.sql:4:1 {2}warning {2}create-index-non-concurrently\n {2}CREATE INDEX .*\n {2}> 4 \| CREATE INDEX users_email ON users \(email\);\n {6}\| \^{41}\n {2}Safe alternative:/,
    )
    // Colour only when colour is on: the carets in the severity's colour, the gutter dim.
    const coloured = runCli([], dir, { FORCE_COLOR: '1' })
    expect(coloured.stdout).toContain('\u001b[2m  |\u001b[22m \u001b[31m\u001b[1m^^^^^^^^^^^^^^^^^\u001b[22m\u001b[39m')
    expect(runCli(['--format', 'gcc'], dir).stdout).not.toContain('|')
  })

  it('a span inside a longer statement: its lines marked, one line of the statement around it', () => {
    const text = ['CREATE TABLE t (', '  a int,', '  b int,', '  c int NOT NULL', ');', ''].join('\n')
    const report = formatText(withSource(text, [[1, 5, 3]], [finding({ line: 3, column: 3, endLine: 3, endColumn: 8 })]), { chalk: plain, quiet: false })
    expect(frameOf(report)).toEqual(['    2 |   a int,', '  > 3 |   b int,', '      |   ^^^^^', '    4 |   c int NOT NULL'])
  })

  it('a long span keeps its first three and last two lines around an elision', () => {
    const text = Array.from({ length: 20 }, (_, i) => `  line ${i + 1}`).join('\n')
    const report = formatText(withSource(text, [[1, 20, 10]], [finding({ line: 1, column: 3, endLine: 20, endColumn: 10 })]), { chalk: plain, quiet: false })
    const marked = frameOf(report).filter(l => /^ {2}[> ] +\d/.test(l)).map(l => /(\d+) \|/.exec(l)![1])
    expect(marked).toEqual(['1', '2', '3', '19', '20'])
    expect(report).toContain('     | …\n')
  })

  it('a long line is cut to a window around the span; control characters and bidi marks are escaped', () => {
    const long = `INSERT INTO t VALUES ${'(1),'.repeat(60)}(2); TRUNCATE t\u202e;`
    const report = formatText(withSource(long, [[1, 1, long.length + 1]], [finding({ line: 1, column: long.indexOf('TRUNCATE') + 1, endLine: 1, endColumn: long.length + 1 })]), { chalk: plain, quiet: false })
    const [code, carets] = frameOf(report)
    expect(code).toMatch(/^ {2}> 1 \| …[(),1]+\(2\); TRUNCATE t\\u202e;$/)
    expect(code.length).toBeLessThan(140)
    expect(carets.indexOf('^')).toBe(code.indexOf('TRUNCATE'))
    expect(carets.trimEnd().length - carets.indexOf('^')).toBe('TRUNCATE t\\u202e;'.length)
  })

  it('a finding in a file the lint did not read as a migration (the code of the previous release) has no frame', () => {
    const report = formatText(withSource('ALTER TABLE users DROP COLUMN email;\n', [[1, 1, 37]], [finding({ file: 'src/users.ts', line: 4 })]), { chalk: plain, quiet: false })
    expect(frameOf(report)).toEqual([])
    expect(report).toContain('src/users.ts:4:1  error  not-null-without-default\n  ADD COLUMN')
  })

  it('a finding about a whole file (at 1:1 with no end or an empty span, in no statement: an empty down migration) has no frame', () => {
    const text = "import { sql } from 'kysely'\n\nexport async function up() {}\n"
    const report = formatText(withSource(text, [], [finding({ line: 1, column: 1, endLine: undefined, endColumn: undefined })]), { chalk: plain, quiet: false })
    expect(frameOf(report)).toEqual([])
    // The engine's location of a whole file (fileStart): 1:1 to 1:1, an empty span.
    const fileStart = formatText(withSource(text, [], [finding({ line: 1, column: 1, endLine: 1, endColumn: 1 })]), { chalk: plain, quiet: false })
    expect(frameOf(fileStart)).toEqual([])
    const spanned = formatText(withSource(text, [], [finding({ line: 3, column: 8, endLine: 3, endColumn: 13 })]), { chalk: plain, quiet: false })
    expect(frameOf(spanned)).toEqual(['  > 3 | export async function up() {}', '      |        ^^^^^'])
  })
})
