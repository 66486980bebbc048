import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { splitRelease } from '../../src/release/window.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

describe('out-of-order-migration (release window)', () => {
  const shipped = [migrationFromText('migrations/001_a.sql', 'SELECT 1;', 0), migrationFromText('migrations/003_c.sql', 'SELECT 3;', 1)]
  const texts = new Map(shipped.map(x => [x.path, x.sources[0].text]))

  it('flags a release migration that sorts before the newest shipped one', () => {
    const late = migrationFromText('migrations/002_b.sql', 'SELECT 2;', 1)
    const head = [shipped[0], late, { ...shipped[1], order: 2 }]
    const split = splitRelease(shipped, head, { text: f => texts.get(f) ?? null }, { text: f => texts.get(f) ?? 'SELECT 2;' }, { headCoversFolders: true })
    expect(split.outOfOrder.map(o => [o.migration.id, o.after.id])).toEqual([['migrations/002_b.sql', 'migrations/003_c.sql']])
    expect(split.added.map(a => [a.id, a.inRelease])).toEqual([['migrations/002_b.sql', true]])
  })

  it('is quiet for migrations that sort after every shipped one', () => {
    const next = migrationFromText('migrations/004_d.sql', 'SELECT 4;', 2)
    const split = splitRelease(shipped, [...shipped, next], { text: f => texts.get(f) ?? null }, { text: f => texts.get(f) ?? 'SELECT 4;' }, { headCoversFolders: true })
    expect(split.outOfOrder).toEqual([])
  })
})
