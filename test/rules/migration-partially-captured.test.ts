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

  it('leaves failures to migration-load-failed', () => {
    expect(lint(kyselyMigration([{ kind: 'failed', part: 'up', reason: 'it threw Error', loc: at(5, 3) }]))).toEqual([])
  })
})
