// Version prefixes in the folder's own style, after its newest migration as the lint orders them.
import { describe, expect, it } from 'vitest'
import { checkOrder, versionPrefixes } from '../../src/plan/naming.js'

const NOW = new Date('2026-12-03T13:05:09Z')

describe('versionPrefixes', () => {
  it.each([
    ['a timestamped folder: UTC seconds, one apart', ['20240101120000_init'], 'dbmate', ['20261203130509', '20261203130510']],
    ['a folder with nothing yet: a timestamp', [], 'sql', ['20261203130509', '20261203130510']],
    ['a newest migration dated after the clock: the seconds after it', ['20300101000000_future'], 'golang-migrate', ['20300101000001', '20300101000002']],
    ['diesel: its dated folder names', ['2024-01-01-120000_init'], 'diesel', ['2026-12-03-130509', '2026-12-03-130510']],
    ["diesel 2.2's -0000 suffix kept", ['2024-01-01-120000-0000_init'], 'diesel', ['2026-12-03-130509-0000', '2026-12-03-130510-0000']],
    ['numbers: the next ones, at the same width', ['001_init', '009_orders'], 'sql', ['010', '011']],
    ['numbers: the largest, not the last by name', ['0001_init', '0010_users', '0002_orders'], 'kysely', ['0011', '0012']],
  ] as const)('%s', (_, existing, layout, expected) => {
    expect(versionPrefixes(existing, layout, NOW, 2)).toEqual(expected)
  })
})

describe('checkOrder', () => {
  it('accepts names that run after every existing migration', () => {
    expect(() => checkOrder(['001_init', '002_users'], ['003_a', '004_b'], 'sql')).not.toThrow()
  })

  it('refuses names Kysely would run first: its Migrator sorts names as strings, digits before letters', () => {
    expect(() => checkOrder(['create_users'], ['20261203130509_drop_users_email'], 'kysely')).toThrow(
      'The migrations\' names (last: create_users) follow no version style the plan can continue (timestamp, yyyy-mm-dd-hhmmss or a number): a new file would not run last. Give them version prefixes (001_… or a timestamp) first.',
    )
  })
})
