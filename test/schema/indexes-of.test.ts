// Schema.indexesOf answers from indexes grouped by table (src/schema/schema.ts). It must be what
// filtering every index by its table gives, object for object and in the order of `indexes`, whatever
// replay did before: renamed tables and indexes, replaced names, drops, copies and cache round trips.
import fc from 'fast-check'
import { parseSync } from 'libpg-query'
import type { Node } from '@pgsql/types'
import { beforeAll, describe, expect, it } from 'vitest'
import { schemaFromRecord, schemaToRecord } from '../../src/cache/schema-snapshot.js'
import { loadParser } from '../../src/parse/sql.js'
import { applyStatement } from '../../src/schema/replay.js'
import { Schema, type Origin } from '../../src/schema/schema.js'

beforeAll(() => loadParser())

const origin: Origin = { migrationId: '001', releaseKey: 'base' }
const parsed = new Map<string, Node>()

function ast(sql: string): Node {
  let node = parsed.get(sql)
  if (!node) {
    node = (parseSync(sql) as { stmts: { stmt: Node }[] }).stmts[0].stmt
    parsed.set(sql, node)
  }
  return node
}

function replay(schema: Schema, ...statements: string[]): Schema {
  for (const sql of statements) applyStatement(schema, ast(sql), origin)
  return schema
}

/** What indexesOf answered before it kept groups. */
function filtered(schema: Schema, table: string) {
  return [...schema.indexes.values()].filter(i => i.table === table)
}

/** Also called only to ask first: then the groups exist, and what follows must keep them right. */
const names = (schema: Schema, table: string) => schema.indexesOf(table).map(i => i.name)

describe('Schema.indexesOf', () => {
  it('follows a table rename, keeping the order of indexes', () => {
    const schema = replay(
      new Schema(),
      'CREATE TABLE a (x int PRIMARY KEY, y int)',
      'CREATE TABLE b (x int)',
      'CREATE INDEX a_y ON a (y)',
      'CREATE INDEX b_x ON b (x)',
    )
    expect(names(schema, 'a')).toEqual(['a_x_pkey', 'a_y'])
    replay(schema, 'ALTER TABLE a RENAME TO c')
    expect(names(schema, 'a')).toEqual([])
    expect(names(schema, 'c')).toEqual(['a_x_pkey', 'a_y'])
    expect(schema.indexesOf('c').every(i => i.table === 'c')).toBe(true)
    replay(schema, 'CREATE INDEX a_x ON c (x)', 'ALTER TABLE c RENAME TO a')
    expect(names(schema, 'a')).toEqual(['a_x_pkey', 'a_y', 'a_x'])
    expect(names(schema, 'b')).toEqual(['b_x'])
  })

  it('follows an index rename: the renamed index goes last, as in the map', () => {
    const schema = replay(new Schema(), 'CREATE TABLE a (x int, y int)', 'CREATE INDEX i1 ON a (x)', 'CREATE INDEX i2 ON a (y)')
    names(schema, 'a')
    replay(schema, 'ALTER INDEX i1 RENAME TO i3')
    expect(names(schema, 'a')).toEqual(['i2', 'i3'])
    expect(schema.indexesOf('a')).toEqual(filtered(schema, 'a'))
  })

  it('sees column renames and drops in the index objects themselves', () => {
    const schema = replay(new Schema(), 'CREATE TABLE a (x int, y int)', 'CREATE INDEX i1 ON a (x, y)', 'CREATE INDEX i2 ON a (y)')
    names(schema, 'a')
    replay(schema, 'ALTER TABLE a RENAME COLUMN x TO z')
    expect(schema.indexesOf('a').map(i => i.columns)).toEqual([['z', 'y'], ['y']])
    replay(schema, 'ALTER TABLE a DROP COLUMN y')
    expect(names(schema, 'a')).toEqual([])
  })

  it('moves an index whose name is taken again by another table to its place in the map', () => {
    const schema = replay(
      new Schema(),
      'CREATE TABLE a (x int)',
      'CREATE TABLE b (x int)',
      'CREATE INDEX i1 ON b (x)',
      'CREATE INDEX i2 ON a (x)',
      'CREATE INDEX i3 ON b (x)',
    )
    expect(names(schema, 'b')).toEqual(['i1', 'i3'])
    replay(schema, 'CREATE INDEX i2 ON b (x)')
    expect(names(schema, 'a')).toEqual([])
    expect(names(schema, 'b')).toEqual(['i1', 'i2', 'i3'])
  })

  it('merges in map order when a table is renamed to a name that already has indexes', () => {
    // Indexes on `b`, a table made outside the migrations the model sees.
    const schema = replay(new Schema(), 'CREATE TABLE a (x int)', 'CREATE INDEX i1 ON b (x)', 'CREATE INDEX i2 ON a (x)', 'CREATE INDEX i3 ON b (x)')
    expect(names(schema, 'b')).toEqual(['i1', 'i3'])
    replay(schema, 'ALTER TABLE a RENAME TO b')
    expect(names(schema, 'b')).toEqual(['i1', 'i2', 'i3'])
    expect(names(schema, 'a')).toEqual([])
  })

  it('answers the same on a clone and after the cache round trip, and neither shares groups with the original', () => {
    const schema = replay(new Schema(), 'CREATE TABLE a (x int PRIMARY KEY)', 'CREATE INDEX i1 ON a (x)')
    names(schema, 'a')
    const copy = schema.clone()
    const back = schemaFromRecord(JSON.parse(JSON.stringify(schemaToRecord(schema))))
    replay(schema, 'ALTER TABLE a RENAME TO b')
    for (const other of [copy, back]) {
      expect(names(other, 'a')).toEqual(['a_x_pkey', 'i1'])
      expect(names(other, 'b')).toEqual([])
      replay(other, 'DROP INDEX i1')
      expect(names(other, 'a')).toEqual(['a_x_pkey'])
    }
    expect(names(schema, 'b')).toEqual(['a_x_pkey', 'i1'])
  })

  it('sees writes to the map itself', () => {
    const schema = replay(new Schema(), 'CREATE TABLE a (x int)', 'CREATE INDEX i1 ON a (x)')
    names(schema, 'a')
    schema.indexes.set('i0', { name: 'i0', table: 'a', columns: ['x'], unique: false, origin })
    schema.indexes.delete('i1')
    expect(names(schema, 'a')).toEqual(['i0'])
    schema.indexes.clear()
    expect(names(schema, 'a')).toEqual([])
  })

  it('is the filter over every index, after any sequence of statements', () => {
    const tables = ['t1', 't2', 's.t1', 'public.t2']
    const table = fc.constantFrom(...tables)
    // t3 is only ever made by a rename: indexes on it stand for a table made outside the migrations.
    const indexed = fc.constantFrom(...tables, 't3')
    const index = fc.constantFrom('i1', 'i2', 'i3', 't1_a_idx', 't1_pkey', 't2_b_key')
    const column = fc.constantFrom('a', 'b', 'c')
    const statement = fc.oneof(
      fc.tuple(table).map(([t]) => `CREATE TABLE ${t} (a int, b int, c int)`),
      fc.tuple(table).map(([t]) => `CREATE TABLE ${t} (a int PRIMARY KEY, b int UNIQUE, c int)`),
      fc.tuple(table).map(([t]) => `CREATE TABLE IF NOT EXISTS ${t} (a int)`),
      fc.tuple(index, indexed, column).map(([i, t, c]) => `CREATE INDEX ${i} ON ${t} (${c})`),
      fc.tuple(index, table, column, column).map(([i, t, c, d]) => `CREATE UNIQUE INDEX IF NOT EXISTS ${i} ON ${t} (${c}, ${d})`),
      fc.tuple(indexed, column).map(([t, c]) => `CREATE INDEX ON ${t} (${c})`),
      fc.tuple(table, fc.constantFrom('t1', 't2', 't3')).map(([t, u]) => `ALTER TABLE ${t} RENAME TO ${u}`),
      fc.tuple(index, index).map(([i, j]) => `ALTER INDEX ${i} RENAME TO ${j}`),
      fc.tuple(table, column, column).map(([t, c, d]) => `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${d}`),
      fc.tuple(table, column).map(([t, c]) => `ALTER TABLE ${t} DROP COLUMN ${c}`),
      fc.tuple(table, column).map(([t, c]) => `ALTER TABLE ${t} ADD COLUMN ${c} int UNIQUE`),
      fc.tuple(table, index, column).map(([t, i, c]) => `ALTER TABLE ${t} ADD CONSTRAINT ${i} UNIQUE (${c})`),
      fc.tuple(table, index).map(([t, i]) => `ALTER TABLE ${t} ADD CONSTRAINT k UNIQUE USING INDEX ${i}`),
      fc.tuple(table, column).map(([t, c]) => `ALTER TABLE ${t} ADD PRIMARY KEY (${c})`),
      fc.tuple(table, index).map(([t, i]) => `ALTER TABLE ${t} DROP CONSTRAINT ${i}`),
      fc.tuple(table).map(([t]) => `DROP TABLE ${t}`),
      fc.tuple(index).map(([i]) => `DROP INDEX ${i}`),
      fc.constantFrom('clone', 'snapshot', 'ask'),
    )
    const asked = ['t1', 't2', 't3', 's.t1', 's.t2', 's.t3']
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 40 }), steps => {
        let schema = new Schema()
        for (const step of steps) {
          if (step === 'clone') schema = schema.clone()
          else if (step === 'snapshot') schema = schemaFromRecord(JSON.parse(JSON.stringify(schemaToRecord(schema))))
          else if (step === 'ask') for (const t of asked) schema.indexesOf(t)
          else replay(schema, step)
          for (const t of asked) {
            const got = schema.indexesOf(t)
            const want = filtered(schema, t)
            expect(got.length).toBe(want.length)
            got.forEach((i, n) => expect(i).toBe(want[n]))
          }
        }
      }),
      { numRuns: 1000 },
    )
  })
})
