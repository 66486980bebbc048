// The JSON report is written in pieces (jsonChunks); they must join to exactly the document
// JSON.stringify writes, whatever the findings: none, one, many past a piece's size, and strings that
// JSON escapes (quotes, line breaks, control and non-ASCII characters).
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src/model.js'
import { formatJson, jsonChunks, toJsonDocument } from '../../src/report/json.js'
import type { LintOutcome } from '../../src/run.js'

function finding(i: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'drop-column-still-read',
    severity: 'error',
    category: 'revert-safety',
    file: `migrations/${String(i).padStart(5, '0')}_drop.sql`,
    line: i + 1,
    column: 1,
    endLine: i + 1,
    endColumn: 30,
    message: `Column "users"."email ${i}" is still read by "the previous release"\nsecond line`,
    help: 'Stop reading it first.\nALTER TABLE users DROP COLUMN email;',
    migrationId: `migrations/${i}`,
    ...extra,
  }
}

function outcome(findings: Finding[], release: LintOutcome['release'] = null): LintOutcome {
  return { findings, release, summary: { files: 1, statements: 2, errors: findings.length, warnings: 0, unparsed: 0 }, migrations: [], notes: [] }
}

const expected = (o: LintOutcome) => `${JSON.stringify(toJsonDocument(o), null, 2)}\n`

describe('JSON report in pieces', () => {
  it('writes no findings as an empty array', () => {
    const o = outcome([])
    expect(formatJson(o)).toBe(expected(o))
    expect(formatJson(o)).toContain('"findings": [],')
  })

  it('joins to the one-string document for one finding, a release and escaped text', () => {
    const release = {
      base: 'v1.0',
      head: 'HEAD',
      migrations: [{ id: 'migrations/1', file: 'migrations/1.sql', phase: 'contract' as const, findings: 1 }],
      verdict: 'not-revert-safe' as const,
      revertSafe: false,
      blocking: [],
      unproven: [{ reason: 'a "quoted" reason\twith tab', file: 'src/ä.ts', line: 3 }],
    }
    const o = outcome([finding(0, { suppressed: { reason: 'because\u0007' }, file: 'migrations/"odd"\\name.sql' })], release)
    expect(formatJson(o)).toBe(expected(o))
  })

  it('gives many findings in several pieces of bounded size that join to the same document', () => {
    const o = outcome(Array.from({ length: 2000 }, (_, i) => finding(i)))
    const pieces = [...jsonChunks(o)]
    expect(pieces.length).toBeGreaterThan(5)
    expect(Math.max(...pieces.map(p => p.length))).toBeLessThan(2 * 65536)
    expect(pieces.join('')).toBe(expected(o))
    expect((JSON.parse(pieces.join('')) as { findings: unknown[] }).findings).toHaveLength(2000)
  })
})
