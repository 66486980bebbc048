import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'

describe('unknown-migration-file', () => {
  it('reports a file that fits no layout once, at 1:1, as info', () => {
    const run = runCli(['--format', 'json', 'fixtures/layouts/sql'], path.resolve(__dirname, '../..'))
    const found = JSON.parse(run.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'unknown-migration-file')
    expect(found).toEqual([
      expect.objectContaining({ file: 'fixtures/layouts/sql/NOTES.md', line: 1, column: 1, severity: 'info' }),
    ])
  })

  it('is quiet when every file fits the layout', () => {
    const run = runCli(['--format', 'json', 'fixtures/layouts/diesel'], path.resolve(__dirname, '../..'))
    expect(JSON.parse(run.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'unknown-migration-file')).toEqual([])
  })
})
