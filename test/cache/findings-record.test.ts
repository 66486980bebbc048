// The findings of a whole run as the cache keeps them: read back, the same findings, field for field and
// in the same order (reports print them as they come), with no field that was absent.
import { describe, expect, it } from 'vitest'
import { findingsFromRecord, findingsToRecord } from '../../src/cache/findings-record.js'
import type { Finding } from '../../src/model.js'

const findings: Finding[] = [
  {
    ruleId: 'missing-lock-timeout',
    messageId: 'missing',
    severity: 'warning',
    category: 'locking',
    file: 'migrations/001.sql',
    line: 2,
    column: 1,
    endLine: 4,
    endColumn: 3,
    message: 'ALTER TABLE users takes a lock',
    help: 'Start the migration with SET lock_timeout',
    migrationId: 'migrations/001.sql',
  },
  { ruleId: 'unknown-migration-file', severity: 'error', category: 'hygiene', file: 'migrations/notes.txt', line: 1, column: 1, message: 'not a migration', help: 'Move it' },
  {
    ruleId: 'missing-lock-timeout',
    messageId: 'missing',
    severity: 'warning',
    category: 'locking',
    file: 'migrations/001.sql',
    line: 9,
    column: 1,
    message: 'another',
    help: 'Start the migration with SET lock_timeout',
    migrationId: 'migrations/001.sql',
    suppressed: { reason: 'small table' },
  },
]

describe('findings record', () => {
  it('gives back the same findings, keys in the same order, each shared string kept once', () => {
    const record = findingsToRecord(findings)
    const back = findingsFromRecord(JSON.parse(JSON.stringify(record)))
    expect(back).toEqual(findings)
    expect(back.map(f => JSON.stringify(f))).toEqual(findings.map(f => JSON.stringify(f)))
    expect(record.strings.filter(s => s === 'migrations/001.sql')).toHaveLength(1)
  })
})
