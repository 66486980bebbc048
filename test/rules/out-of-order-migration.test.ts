import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { assembleMigrations } from '../../src/discover/assemble.js'
import { splitRelease, windowFindings } from '../../src/release/window.js'
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

describe('out-of-order-migration: folders named by version sort as versions, not as text', () => {
  const folder = 'schema/versioned'
  /** Assembles the files as discovery does (layout, order) and returns the window's findings against `shipped` files. */
  const outOfOrder = async (shipped: string[], now: string[]) => {
    const assemble = async (names: string[]) => {
      const files = names.map(name => `${folder}/${name}`)
      const reader = { read: (file: string) => ({ text: `SELECT '${file}';\n`, invalidUtf8: false }) }
      return (await assembleMigrations([{ folder, files }], reader, { root: '/nonexistent' })).migrations
    }
    const [base, head] = [await assemble(shipped), await assemble(now)]
    const text = (file: string) => `SELECT '${file}';\n`
    const split = splitRelease(base, head, { text }, { text }, { headCoversFolders: true })
    return windowFindings(split, { ref: 'v1.9', rev: 'v1.9' }, null).map(f => `${f.ruleId} ${f.file}:${f.line}`)
  }
  const released = ['v1.0/schema.sql', 'v1.2/queue.sql', 'v1.9/history_tasks.sql']

  it('v1.10 after v1.9: in order (as text, v1.10 sorts before v1.2)', async () => {
    expect(await outOfOrder(released, [...released, 'v1.10/task_queue.sql', 'v1.11/queue_v2.sql'])).toEqual([])
  })

  it('a v1.5 folder added after v1.9 shipped sorts before it', async () => {
    expect(await outOfOrder(released, [...released, 'v1.5/late.sql'])).toEqual([`out-of-order-migration ${folder}/v1.5/late.sql:1`])
  })

  it('numbered file names keep their numeric order: 9_x before 10_x', async () => {
    expect(await outOfOrder(['1_a.sql', '9_b.sql'], ['1_a.sql', '9_b.sql', '10_c.sql'])).toEqual([])
  })
})
