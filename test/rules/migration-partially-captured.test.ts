import { describe, expect, it } from 'vitest'
import { lintMigrations } from '../../src/engine/lint.js'
import type { Migration } from '../../src/model.js'
import { buildRelease } from '../../src/release/verdict.js'
import migrationPartiallyCaptured from '../../rules/migration-partially-captured.js'
import { at, kyselyMigration } from '../kysely/fake-migration.js'

function lint(migration: Migration) {
  return lintMigrations([migration], {
    rules: [migrationPartiallyCaptured],
    config: { postgresVersion: 15, tables: {} },
    mode: 'per-migration',
  }).findings
}

describe('migration-partially-captured', () => {
  it('reports the read that stopped the migration, as an error at its line (the release is unproven)', () => {
    const found = lint(
      kyselyMigration([{ kind: 'partial', part: 'up', reason: 'a read (executeTakeFirstOrThrow) found no row in the empty recording database', loc: at(5, 3) }]),
    )
    expect(found.map(f => [f.messageId, f.line, f.column, f.severity, f.category])).toEqual([['partial', 5, 3, 'error', 'hygiene']])
    expect(found[0].message).toBe(
      'up() of migrations/2024_05_01_add_tenant.ts stopped here: a read (executeTakeFirstOrThrow) found no row in the empty recording database; what it does after this line was not checked.',
    )
    expect(buildRelease('v1', 'HEAD', [], found)).toMatchObject({ verdict: 'unproven', unproven: [{ file: found[0].file, line: 5 }] })
  })

  it('a down() that stops does not make the release unproven', () => {
    const found = lint(kyselyMigration([{ kind: 'partial', part: 'down', reason: 'a read found no row', loc: at(9, 3) }]))
    expect(found.map(f => [f.messageId, f.line])).toEqual([['partialDown', 9]])
    expect(buildRelease('v1', 'HEAD', [], found).verdict).toBe('revert-safe')
  })

  it('reports a query of up() that never ran under the linter at its line; the release is unproven, not revert-safe', () => {
    const query = "db.schema.dropTable('users').execute()"
    const found = lint(kyselyMigration([{ kind: 'uncaptured', part: 'up', reason: 'it never ran under the linter', query, loc: at(7, 29) }]))
    expect(found.map(f => [f.ruleId, f.messageId, f.line, f.column, f.severity])).toEqual([['migration-partially-captured', 'uncaptured', 7, 29, 'error']])
    expect(found[0].message).toBe(
      "`db.schema.dropTable('users').execute()` in up() of migrations/2024_05_01_add_tenant.ts never ran under the linter: the branch that runs it " +
        'was not taken (it depends on the environment or on data, and the recording database has none), or the builder was changed; what it does was not checked.',
    )
    expect(buildRelease('v1', 'HEAD', [], found)).toMatchObject({ verdict: 'unproven', revertSafe: false, unproven: [{ file: found[0].file, line: 7 }] })
  })

  it('a part whose text could not be cross-checked is unproven too, and says why', () => {
    const found = lint(kyselyMigration([{ kind: 'uncaptured', part: 'up', reason: 'the up() it exports is not written in this file', loc: at(1, 1) }]))
    expect(found.map(f => [f.messageId, f.line])).toEqual([['notCrossChecked', 1]])
    expect(found[0].message).toBe(
      'Whether every query up() of migrations/2024_05_01_add_tenant.ts holds ran under the linter could not be checked: the up() it exports is not written in this file.',
    )
    expect(buildRelease('v1', 'HEAD', [], found).verdict).toBe('unproven')
  })

  it('a query of down() that never ran is reported, and changes no verdict', () => {
    const found = lint(
      kyselyMigration([
        { kind: 'uncaptured', part: 'down', reason: 'it never ran under the linter', query: "db.schema.dropTable('t').execute()", loc: at(12, 5) },
        { kind: 'uncaptured', part: 'down', reason: 'its text does not parse (Unexpected token)', loc: at(3, 1) },
      ]),
    )
    expect(found.map(f => [f.messageId, f.line])).toEqual([
      ['uncapturedDown', 12],
      ['notCrossCheckedDown', 3],
    ])
    expect(buildRelease('v1', 'HEAD', [], found).verdict).toBe('revert-safe')
  })

  it('leaves failures to migration-load-failed', () => {
    expect(lint(kyselyMigration([{ kind: 'failed', part: 'up', reason: 'it threw Error', loc: at(5, 3) }]))).toEqual([])
  })
})
