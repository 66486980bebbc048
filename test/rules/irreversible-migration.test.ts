import { describe, expect, it } from 'vitest'
import rule from '../../rules/irreversible-migration.js'
import { lintMigrations } from '../../src/engine/lint.js'
import type { LayoutName } from '../../src/model.js'
import { migrationFromText, runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;' },
    { name: 'single-file layouts have no down to write', sql: 'CREATE TABLE a (id int);' },
    { name: 'an empty up needs no down', sql: '-- migrate:up\n-- nothing yet\n' },
  ],
  invalid: [
    { sql: '-- migrate:up\nCREATE TABLE a (id int);', findings: [{ messageId: 'noDown', line: 1, column: 1 }] },
    { sql: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\n-- TODO\n', findings: [{ messageId: 'emptyDown', line: 1, column: 1 }] },
  ],
})

describe('irreversible-migration by layout', () => {
  const noDownIn = (layout: LayoutName) => {
    const migration = { ...migrationFromText('migrations/1_a.sql', 'CREATE TABLE a (id int);', 0), layout }
    const config = { postgresVersion: 15, tables: {} }
    return lintMigrations([migration], { rules: [rule], config, mode: 'per-migration' }).findings.map(f => f.messageId)
  }

  it('is quiet for layouts with no place for a down', () => {
    for (const layout of ['sql', 'prisma', 'drizzle', 'supabase'] as const) expect(noDownIn(layout), layout).toEqual([])
  })

  it('is quiet for a Flyway V script without a U script (undo is a paid Flyway feature)', () => {
    expect(noDownIn('flyway')).toEqual([])
  })

  it('speaks for layouts that have one (a golang-migrate .down.sql, a diesel down.sql)', () => {
    for (const layout of ['golang-migrate', 'diesel'] as const) expect(noDownIn(layout), layout).toEqual(['noDown'])
  })
})
