import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { discoverMigrations } from '../../src/discover/discover.js'
import { loadParser } from '../../src/parse/sql.js'

beforeAll(() => loadParser())

const root = path.resolve(__dirname, '../../fixtures/layouts')
const discover = (dir: string, layout?: 'sql') => discoverMigrations({ root, cwd: root, paths: [dir], layout })

describe('discovery', () => {
  it('sql: orders NNN_ files by number, not by string, and reports other files once', async () => {
    const found = await discover('sql')
    expect(found.migrations.map(m => m.id)).toEqual(['sql/2_users.sql', 'sql/9_index.sql', 'sql/10_email.sql'])
    expect(found.migrations.map(m => m.layout)).toEqual(['sql', 'sql', 'sql'])
    expect(found.migrations.every(m => m.down === null && !m.transactional)).toBe(true)
    expect(found.unknownFiles).toEqual(['sql/NOTES.md'])
  })

  it('golang-migrate: pairs .up.sql with .down.sql, numeric order, a down without an up is unknown', async () => {
    const found = await discover('golang-migrate')
    expect(found.migrations.map(m => [m.id, m.downPath])).toEqual([
      ['golang-migrate/1_users.up.sql', 'golang-migrate/1_users.down.sql'],
      ['golang-migrate/2_email.up.sql', null],
      ['golang-migrate/10_index.up.sql', 'golang-migrate/10_index.down.sql'],
    ])
    expect(found.migrations[0].down?.map(s => s.sql)).toEqual(['DROP TABLE users'])
    expect(found.unknownFiles).toEqual(['golang-migrate/3_orphan.down.sql'])
  })

  it('dbmate: up and down sections of one file, with locations in the file and transaction:false', async () => {
    const found = await discover('dbmate')
    expect(found.migrations.map(m => m.layout)).toEqual(['dbmate', 'dbmate', 'dbmate'])
    const [users, index, bad] = found.migrations
    expect(users.up.map(s => [s.sql, s.loc.line])).toEqual([['CREATE TABLE users (id bigint PRIMARY KEY)', 2]])
    expect(users.down?.map(s => [s.sql, s.loc.line])).toEqual([['DROP TABLE users', 5]])
    expect(users.up[0].inTransaction).toBe(true)
    expect(index.transactional).toBe(false)
    expect(index.up[0].inTransaction).toBe(false)
    expect(bad.down).toBeNull()
  })

  it('diesel: one folder per migration, run_in_transaction from metadata.toml', async () => {
    const found = await discover('diesel')
    expect(found.migrations.map(m => m.id)).toEqual([
      'diesel/2024-01-01-000000_create_users',
      'diesel/2024-01-02-000000_add_email',
      'diesel/2024-01-03-000000_index',
    ])
    expect(found.migrations.map(m => m.transactional)).toEqual([true, true, false])
    expect(found.migrations[1].down).toEqual([])
    expect(found.unknownFiles).toEqual([])
  })

  it('takes single files named on the command line', async () => {
    const found = await discoverMigrations({ root, cwd: path.join(root, 'sql'), paths: ['10_email.sql', '2_users.sql'] })
    expect(found.migrations.map(m => m.id)).toEqual(['sql/2_users.sql', 'sql/10_email.sql'])
  })

  it('takes config globs', async () => {
    const found = await discoverMigrations({ root, cwd: root, paths: [], globs: ['golang-migrate/*.sql'] })
    expect(found.migrations.map(m => m.id)).toHaveLength(3)
  })

  it('refuses a path that does not exist, with a usage error', async () => {
    await expect(discover('nope')).rejects.toThrow(/nope: no such file or folder/)
  })
})
