import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { sameIgnoringWhitespace, sameStatements, splitRelease, windowFindings } from '../../src/release/window.js'
import { DEFAULT_CONFIG } from '../../src/config.js'
import type { Migration } from '../../src/model.js'
import { settle } from '../../src/run.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

const m = (id: string, text: string, order: number) => migrationFromText(id, text, order)

describe('edited-released-migration (release window)', () => {
  const base = [m('migrations/001_a.sql', 'CREATE TABLE a (id int);\n', 0), m('migrations/002_b.sql', 'CREATE TABLE b (id int);\n', 1)]
  const baseTexts = new Map(base.map(x => [x.path, x.sources[0].text]))
  const baseSide = { text: (f: string) => baseTexts.get(f) ?? null }

  it('finds a shipped migration whose text changed, with the first changed line', () => {
    const now = new Map([...baseTexts, ['migrations/002_b.sql', 'CREATE TABLE b (id int);\nCREATE INDEX b_id ON b (id);\n']])
    const head = [...now].map(([id, text], i) => m(id, text, i))
    const split = splitRelease(base, head, baseSide, { text: f => now.get(f) ?? null }, { headCoversFolders: true })
    expect(split.edited.map(e => [e.base.id, e.line, e.head?.editedSinceBase])).toEqual([['migrations/002_b.sql', 2, true]])
    expect(split.added).toEqual([])
  })

  it('ignores whitespace-only edits', () => {
    expect(sameIgnoringWhitespace('CREATE TABLE a (id int);\n', '\n\nCREATE TABLE a\n  (id int);')).toBe(true)
    expect(sameIgnoringWhitespace('CREATE TABLE a (id int);', 'CREATE TABLE a (id bigint);')).toBe(false)
    const head = base.map((x, i) => m(x.id, `\n${x.sources[0].text}\n\n`, i))
    const split = splitRelease(base, head, baseSide, { text: f => `\n${baseTexts.get(f)}\n\n` }, { headCoversFolders: true })
    expect(split.edited).toEqual([])
  })

  it('finds a deleted shipped migration only when whole folders were read', () => {
    const head = [base[0]]
    const text = (f: string) => baseTexts.get(f) ?? null
    expect(splitRelease(base, head, baseSide, { text }, { headCoversFolders: true }).edited.map(e => [e.base.id, e.head])).toEqual([['migrations/002_b.sql', null]])
    expect(splitRelease(base, head, baseSide, { text }, { headCoversFolders: false }).edited).toEqual([])
  })

  it('compares blob ids before texts: equal ids are never read, different ids are compared as texts', () => {
    const now = new Map([...baseTexts, ['migrations/002_b.sql', 'CREATE TABLE b (id int);\nCREATE INDEX b_id ON b (id);\n']])
    const head = [...now].map(([id, text], i) => m(id, text, i))
    const ids = (b: string) => (f: string) => (f === 'migrations/001_a.sql' ? 'same-blob' : `${b}-blob`)
    const unread = (side: Map<string, string>) => (f: string) => {
      if (f === 'migrations/001_a.sql') throw new Error(`read ${f}`)
      return side.get(f) ?? null
    }
    const split = splitRelease(base, head, { text: unread(baseTexts), contentId: ids('base') }, { text: unread(now), contentId: ids('head') }, {
      headCoversFolders: true,
    })
    expect(split.edited.map(e => [e.base.id, e.line])).toEqual([['migrations/002_b.sql', 2]])
  })

  it('tells a reformat (same parse trees) from an edit: keyword case, layout, comments, quoting', () => {
    const reformatted = '-- a\ncreate table "a" (\n  ID INT\n);\n'
    expect(sameStatements(base[0], m('migrations/001_a.sql', reformatted, 0))).toBe(true)
    expect(sameStatements(base[0], m('migrations/001_a.sql', 'CREATE TABLE a (id bigint);\n', 0))).toBe(false)
    expect(sameStatements(base[0], m('migrations/001_a.sql', 'CREATE TABLE a (id int);\nSELECT 1;\n', 0))).toBe(false)
    expect(sameStatements(base[0], m('migrations/001_a.sql', 'CREATE TABLE a (id int', 0))).toBe(false)
    const now = new Map([...baseTexts, ['migrations/001_a.sql', reformatted]])
    const head = [...now].map(([id, text], i) => m(id, text, i))
    const split = splitRelease(base, head, baseSide, { text: f => now.get(f) ?? null }, { headCoversFolders: true })
    expect(split.edited.map(e => [e.base.id, e.line, e.reformatted])).toEqual([['migrations/001_a.sql', 1, true]])
  })

  it('after a move, matches shipped migrations by their path inside the folder, or by the blob of their up file', () => {
    const moved = [
      m('sql/001_a.sql', 'CREATE TABLE a (id int);\n', 0),
      m('sql/2_renamed.sql', 'CREATE TABLE b (id int);\n', 1),
      m('sql/003_c.sql', 'CREATE TABLE c (id int);\n', 2),
    ]
    const blob = (f: string) => (f.endsWith('_b.sql') || f.endsWith('_renamed.sql') ? 'blob-b' : `blob-${f}`)
    const nowTexts = new Map(moved.map(x => [x.path, x.sources[0].text]))
    const split = splitRelease(base, moved, { ...baseSide, contentId: blob }, { text: f => nowTexts.get(f) ?? null, contentId: blob }, {
      headCoversFolders: true,
      moved: { base: ['migrations'], head: ['sql'] },
    })
    expect(split.added.map(x => x.id)).toEqual(['sql/003_c.sql'])
    expect(split.edited).toEqual([])
    expect(split.outOfOrder).toEqual([])
  })
})

describe('edited-released-migration: what the runner does with the edit sets its weight', () => {
  const v14 = { ref: 'v1.4', rev: 'v1.4' }
  const shippedText = 'CREATE TABLE a (id int);\n'
  /** The window's findings for one shipped migration of `layout` whose text is now `now`. */
  const windowFor = (layout: Migration['layout'], file: string, now: string) => {
    const base = [{ ...m(file, shippedText, 0), layout }]
    const head = [{ ...m(file, now, 0), layout }]
    const split = splitRelease(base, head, { text: () => shippedText }, { text: () => now }, { headCoversFolders: true })
    return windowFindings(split, v14, null)
  }
  const findingsFor = (layout: Migration['layout'], file: string, now: string) =>
    windowFor(layout, file, now).map(f => ({ ruleId: f.ruleId, messageId: f.messageId, severity: f.severity, category: f.category, line: f.line }))
  const finding = (messageId: string, severity: string, category: string, line: number) => ({ ruleId: 'edited-released-migration', messageId, severity, category, line })

  it('a runner that never runs an applied migration again (golang-migrate, diesel, Kysely …): a warning, not blocking', () => {
    const now = 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int;\n'
    expect(findingsFor('golang-migrate', 'migrations/1_a.up.sql', now)).toEqual([finding('editedIgnored', 'warning', 'hygiene', 2)])
    expect(findingsFor('diesel', 'migrations/2024_a', now)).toEqual([finding('editedIgnored', 'warning', 'hygiene', 2)])
  })

  it('Flyway refuses to migrate on a checksum mismatch: an error, formatting and white space inside a line included, line breaks not', () => {
    expect(findingsFor('flyway', 'db/migration/V1__a.sql', 'CREATE TABLE a (id bigint);\n')).toEqual([finding('edited', 'error', 'revert-safety', 1)])
    expect(windowFor('flyway', 'db/migration/V1__a.sql', 'create table a (id int);\n')).toEqual([
      expect.objectContaining({ messageId: 'edited', severity: 'error', message: expect.stringContaining("only its formatting changed, but Flyway's checksum") }),
    ])
    expect(findingsFor('flyway', 'db/migration/V1__a.sql', 'CREATE TABLE a  (id int);\n')).toEqual([finding('edited', 'error', 'revert-safety', 1)])
    expect(findingsFor('flyway', 'db/migration/V1__a.sql', 'CREATE TABLE a (id int);\r\n')).toEqual([])
  })

  it('Prisma Migrate only warns about a changed checksum: an edit is a warning, a reformat or a white-space change a note', () => {
    expect(findingsFor('prisma', 'prisma/migrations/20240101_a', 'CREATE TABLE a (id bigint);\n')).toEqual([finding('editedIgnored', 'warning', 'hygiene', 1)])
    expect(findingsFor('prisma', 'prisma/migrations/20240101_a', 'CREATE TABLE a (id int);\n\n')).toEqual([finding('reformatted', 'info', 'hygiene', 3)])
  })

  it('a plain folder of SQL files: the runner is unknown and may checksum, so an edit stays an error and a reformat a note', () => {
    expect(findingsFor('sql', 'migrations/001_a.sql', 'CREATE TABLE a (id bigint);\n')).toEqual([finding('edited', 'error', 'revert-safety', 1)])
    expect(findingsFor('sql', 'migrations/001_a.sql', '-- a\ncreate table a (id int);\n')).toEqual([finding('reformatted', 'info', 'hygiene', 1)])
    expect(findingsFor('golang-migrate', 'migrations/1_a.up.sql', 'CREATE TABLE a (id int);\n\n\n')).toEqual([])
  })

  it('a deleted shipped migration is an error under any runner', () => {
    const base = [{ ...m('migrations/1_a.up.sql', shippedText, 0), layout: 'golang-migrate' as const }]
    const split = splitRelease(base, [], { text: () => shippedText }, { text: () => null }, { headCoversFolders: true })
    expect(windowFindings(split, v14, null).map(f => [f.messageId, f.severity, f.line])).toEqual([['deleted', 'error', 1]])
  })

  it('config `rules` raises or lowers every case, but a note stays a note', () => {
    const settled = (setting: 'error' | 'warning', now: string) => {
      const config = { ...DEFAULT_CONFIG, file: null, rules: { 'edited-released-migration': setting } }
      return settle(windowFor('golang-migrate', 'migrations/1_a.up.sql', now), config, []).map(f => [f.messageId, f.severity, f.category])
    }
    expect(settled('error', 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int;\n')).toEqual([['editedIgnored', 'error', 'hygiene']])
    expect(settled('error', 'create table A (ID int);\n')).toEqual([['reformatted', 'info', 'hygiene']])
    expect(settled('warning', 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int;\n')).toEqual([['editedIgnored', 'warning', 'hygiene']])
  })
})
