import { describe, expect, it } from 'vitest'
import { lintMigrations } from '../../src/engine/lint.js'
import { applySuppressions } from '../../src/engine/suppressions.js'
import type { Migration } from '../../src/model.js'
import { buildRelease } from '../../src/release/verdict.js'
import migrationLoadFailed from '../../rules/migration-load-failed.js'
import { at, FAKE_FILE as FILE, kyselyMigration } from '../kysely/fake-migration.js'

function lint(migration: Migration) {
  const { findings } = lintMigrations([migration], {
    rules: [migrationLoadFailed],
    config: { postgresVersion: 15, tables: {} },
    mode: 'per-migration',
  })
  return applySuppressions(findings, migration.sources, new Set([migrationLoadFailed.id]))
}

describe('migration-load-failed', () => {
  it('reports a migration that threw in up() or down(), at the line it names', () => {
    const found = lint(
      kyselyMigration([
        { kind: 'failed', part: 'up', reason: 'it threw Error: DEFAULT_TENANT is not set', loc: at(4, 5) },
        { kind: 'failed', part: 'down', reason: 'it did not finish within 5000 ms', loc: at(1, 1) },
      ]),
    )
    expect(found.map(f => [f.messageId, f.line, f.column, f.severity, f.category])).toEqual([
      ['runFailed', 4, 5, 'error', 'revert-safety'],
      ['runFailed', 1, 1, 'error', 'revert-safety'],
    ])
    expect(found[0].message).toBe(
      `up() of ${FILE} could not be run to the end: it threw Error: DEFAULT_TENANT is not set. The statements it runs after this point were not checked.`,
    )
    expect(found[1].message).toMatch(/^down\(\) of .* did not finish within 5000 ms/)
    // What it does was never seen: the release is unproven, not known to break (often only the linter lacks its imports).
    expect(buildRelease('v1', 'HEAD', [], found)).toMatchObject({ verdict: 'unproven', blocking: [], unproven: [{ line: 4 }, { line: 1 }] })
  })

  it('reports a module that could not be imported', () => {
    const [finding] = lint(kyselyMigration([{ kind: 'failed', part: 'module', reason: "it threw Error: Cannot find module './x'", loc: at(2, 1) }]))
    expect(finding).toMatchObject({ messageId: 'importFailed', line: 2, message: expect.stringMatching(/^Importing .* failed: .*None of its statements were checked\.$/) })
  })

  it('is silent on a migration that loaded whole, and on one only partially captured (another rule)', () => {
    expect(lint(kyselyMigration([]))).toEqual([])
    expect(lint(kyselyMigration([{ kind: 'partial', part: 'up', reason: 'a read found no row', loc: at(3, 3) }]))).toEqual([])
  })

  it('can be suppressed with a reason above the line it names', () => {
    const text = [
      'export async function up(db) {',
      '  // migrate-lint-disable-next-line migration-load-failed -- reads the tenant from the deploy environment',
      '  throw new Error()',
      '}',
    ].join('\n')
    const [finding] = lint(kyselyMigration([{ kind: 'failed', part: 'up', reason: 'it threw Error', loc: at(3, 3) }], text))
    expect(finding.suppressed).toEqual({ reason: 'reads the tenant from the deploy environment' })
  })
})
