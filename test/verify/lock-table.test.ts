// verify's lock table prints what the pull request named (file, SQL, relation): it is escaped like
// every other report, and its width is computed without one argument per row.
import { Chalk } from 'chalk'
import { describe, expect, it } from 'vitest'
import { heldLock, type StatementLocks } from '../../src/verify/locks.js'
import { lockTable } from '../../src/verify/report.js'

const chalk = new Chalk({ level: 0 })

describe('the lock table', () => {
  it('escapes control characters in file names, SQL and relation names: no line can start a workflow command', () => {
    const statements: StatementLocks[] = [
      { file: 'migrations/1\n::stop-commands::x.sql', line: 3, statement: 'ALTER TABLE "a\n::error::b" ADD c int', locks: [heldLock('a\n::warning::b', 'AccessExclusiveLock')] },
    ]
    const lines = lockTable(statements, chalk).split('\n')
    expect(lines.filter(l => l.startsWith('::'))).toEqual([])
    expect(lines[2]).toContain('migrations/1\\n::stop-commands::x.sql:3')
    expect(lines[2]).toContain('a\\n::warning::b')
  })

  it('lays out 200,000 statements (no stack overflow from spreading the rows)', () => {
    const statements: StatementLocks[] = Array.from({ length: 200_000 }, (_, i) => ({
      file: 'migrations/big.sql',
      line: i + 1,
      statement: `UPDATE t SET a = ${i}`,
      locks: [heldLock('t', 'RowExclusiveLock')],
    }))
    const table = lockTable(statements, chalk)
    expect(table.split('\n').filter(l => l.includes('RowExclusiveLock'))).toHaveLength(200_000)
    expect(table).toContain('migrations/big.sql:200000')
  })
})
