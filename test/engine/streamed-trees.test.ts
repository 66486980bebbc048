// Issue 16: the lint lets go of a migration's syntax trees once the schema has moved past it, and the
// summary still counts its statements without parsing it again.
import { beforeAll, describe, expect, it } from 'vitest'
import { countStatements } from '../../src/cache/lint-memo.js'
import { buildSqlMigration } from '../../src/discover/build.js'
import { lintMigrations } from '../../src/engine/lint.js'
import { loadParser } from '../../src/parse/sql.js'
import { allRules } from '../../rules/index.js'

beforeAll(() => loadParser())

const migration = (n: number, up: string, down: string | null) =>
  buildSqlMigration({
    id: `migrations/00${n}.up.sql`,
    layout: 'golang-migrate',
    order: n,
    up: { path: `migrations/00${n}.up.sql`, text: up, inTransaction: false },
    down: down === null ? null : { path: `migrations/00${n}.down.sql`, text: down, inTransaction: false },
  })

describe('streamed lint: syntax trees are dropped once replayed and judged', () => {
  it('parses a migration again when asked after the lint, to the same statements; the counts need no parse', () => {
    const first = migration(1, 'CREATE TABLE users (id bigint PRIMARY KEY);\n', 'DROP TABLE users;\n')
    const second = migration(2, 'ALTER TABLE users ADD COLUMN email text;\nALTER TABLE nope ADD ;\n', null)
    const treesBefore = second.up
    const down = first.down
    const { findings, schema } = lintMigrations([first, second], { rules: allRules, config: { postgresVersion: 16, tables: {} }, mode: 'per-migration' })
    expect(schema.column('users', 'email')).toBeDefined()
    expect(findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)).toContain('unparsed-statement migrations/002.up.sql:2')

    expect(countStatements([first, second])).toEqual({ statements: 4, unparsed: 1 })
    // Dropped: asked again, the statements are parsed anew (other objects), equal to the first parse.
    expect(second.up).not.toBe(treesBefore)
    expect(second.up).toEqual(treesBefore)
    expect(first.down).not.toBe(down)
    expect(first.down).toEqual(down)
  })
})
