// The text report is written in pieces (textChunks) and keeps one file's statements at a time: each
// finding still gets its own file's frame when findings go from file to file and back, and the
// statements of a file it has left are let go (parsed again if asked for).
import { Chalk } from 'chalk'
import { describe, expect, it } from 'vitest'
import { buildSqlMigration } from '../../src/discover/build.js'
import { textChunks } from '../../src/report/text.js'
import { finding, outcome } from './outcome.js'

const plain = new Chalk({ level: 0 })

function sqlMigration(file: string, text: string) {
  return buildSqlMigration({ id: file, layout: 'sql', order: 0, up: { path: file, text, inTransaction: false }, down: null })
}

describe('text report in pieces', () => {
  it('frames each finding from its own file, also when findings come back to a file left before', () => {
    const a = sqlMigration('migrations/001_a.sql', 'CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n')
    const b = sqlMigration('migrations/002_b.sql', 'CREATE TABLE b (id int);\n\nCREATE INDEX b_id ON b (id);\n')
    const at = (file: string, line: number, endColumn: number) =>
      finding({ ruleId: 'create-index-non-concurrently', severity: 'warning', category: 'locking', file, line, endLine: line, endColumn, migrationId: file })
    const findings = [at('migrations/001_a.sql', 2, 29), at('migrations/002_b.sql', 3, 29), at('migrations/001_a.sql', 1, 25)]
    const forgotten: string[] = []
    for (const m of [a, b]) {
      const forget = m.forgetStatements!.bind(m)
      m.forgetStatements = () => {
        forgotten.push(m.id)
        forget()
      }
    }
    const report = [...textChunks({ ...outcome(findings), migrations: [a, b] }, { chalk: plain, quiet: false })].join('')
    const frames = report.split('\n').filter(l => /^ {2}> +\d+ \|/.test(l))
    expect(frames).toEqual(['  > 2 | CREATE INDEX a_id ON a (id);', '  > 3 | CREATE INDEX b_id ON b (id);', '  > 1 | CREATE TABLE a (id int);'])
    // Each file left behind let go of its statements: a, then b (a came back, parsed again).
    expect(forgotten).toEqual(['migrations/001_a.sql', 'migrations/002_b.sql'])
  })

  it('writes many findings in bounded pieces, every finding once, the summary last', () => {
    const file = 'migrations/002_email.sql'
    const findings = Array.from({ length: 3000 }, (_, i) => finding({ line: i + 1, endLine: i + 1, file }))
    const pieces = [...textChunks(outcome(findings), { chalk: plain, quiet: false })]
    expect(pieces.length).toBeGreaterThan(3)
    expect(Math.max(...pieces.map(p => p.length))).toBeLessThan(2 * 65536)
    const report = pieces.join('')
    expect(report.match(/^migrations\/002_email\.sql:\d+:1 {2}error {2}not-null-without-default$/gm)).toHaveLength(3000)
    expect(report.endsWith('✖ 3000 errors, 0 warnings (4 statements in 2 files)\n')).toBe(true)
  })
})
