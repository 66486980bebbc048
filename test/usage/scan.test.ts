import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { describeUsage, scanUsage, usagesOf } from '../../src/usage/index.js'
import { at, brief, FILE, scanOne, usage } from './helpers.js'

beforeAll(() => loadParser())

describe('scanUsage', () => {
  it('does not count a column only mentioned in a comment', () => {
    const text = `// db.selectFrom('person').select('email') — we used to read email here
/* sql\`SELECT email FROM person\` */
export const find = (db) => db.selectFrom('person').select('id') // .select('email')
`
    const scan = scanOne(text)
    expect(usagesOf(scan, 'person', 'email')).toEqual([])
    expect(brief(scan)).toEqual(['person.(table) select', 'person.id select'])
  })

  it('reports a dynamic table name as unresolved, without crashing and without guessing', () => {
    const text = `export function byTable(db, table: string) {
  return db.selectFrom(table).select(['id', 'name']).where('id', '=', 1).execute()
}
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([])
    expect(scan.unresolved).toEqual([{ file: FILE, ...at(text, 'table)'), reason: 'table name is not a string literal: table', anyTable: true }])
  })

  it('does not parse a file that mentions no query keyword, nor one that is not code, and counts what it parsed', () => {
    const scan = scanUsage([
      { path: 'src/util.ts', text: 'export const selectFromList = 1 // "select" alone is not a keyword\n' },
      { path: 'src/broken.ts', text: 'export const = ; // not even valid' },
      { path: 'src/repo.ts', text: "db.selectFrom('person').selectAll()" },
      { path: 'docs/queries.md', text: "# Queries\n\n`db.selectFrom('person')` reads people.\n" },
    ])
    expect(scan.filesScanned).toBe(4)
    expect(scan.filesParsed).toBe(2)
    expect(scan.usages.map(u => u.loc.file)).toEqual(['src/repo.ts', 'src/repo.ts'])
  })

  it('says when a file mentioning queries does not parse', () => {
    const scan = scanUsage([{ path: 'src/broken.ts', text: "db.selectFrom('person').select(\n" }])
    expect(scan.usages).toEqual([])
    expect(scan.unresolved).toHaveLength(1)
    expect(scan.unresolved[0]).toMatchObject({ file: 'src/broken.ts', line: 2 })
    expect(scan.unresolved[0].reason).toMatch(/^the file does not parse: /)
  })

  it('keeps lines and columns right after non-ASCII text (columns in UTF-16 units, as editors count)', () => {
    const text = `// Grüße, 日本語, and an emoji 😀 on the line above
const label = 'Café ☕'; const rows = await db.selectFrom('person').select('email').execute()
const smile = '😀'; await sql\`SELECT 'é', name FROM person\`.execute(db)
`
    const scan = scanOne(text)
    expect(scan.usages.slice(0, 2)).toEqual([
      { table: 'person', column: '', kind: 'select', loc: { file: FILE, line: 2, column: 58 } },
      { table: 'person', column: 'email', kind: 'select', loc: { file: FILE, line: 2, column: 75 } },
    ])
    // The emoji is two UTF-16 units; inside the SQL, 'é' is two UTF-8 bytes for libpg-query.
    expect(scan.usages.slice(2)).toEqual([
      { table: 'person', column: 'name', kind: 'select', loc: { file: FILE, line: 3, column: 43 } },
      { table: 'person', column: '', kind: 'select', loc: { file: FILE, line: 3, column: 53 } },
    ])
    expect(scan.usages.slice(2)).toEqual([
      usage(text, 'person', 'name', 'select', 'name'),
      usage(text, 'person', '', 'select', 'person', 2),
    ])
  })

  it('walks code nested deeper than the JS stack (generated code)', () => {
    const text = `const s = ${Array.from({ length: 20_000 }, (_, i) => `'a${i}'`).join(' + ')}\ndb.selectFrom('person').select('id')\n`
    const scan = scanOne(text)
    expect(scan.unresolved).toEqual([])
    expect(brief(scan)).toEqual(['person.(table) select', 'person.id select'])
  })

  it('reads JSX in .js and .tsx files', () => {
    const js = "export const List = () => <ul>{db.selectFrom('person').select('name')}</ul>\n"
    const scan = scanUsage([
      { path: 'src/a.js', text: js },
      { path: 'src/b.tsx', text: js.replace('List', 'Other') },
    ])
    expect(scan.unresolved).toEqual([])
    expect(brief(scan)).toEqual(['person.(table) select', 'person.name select', 'person.(table) select', 'person.name select'])
  })

  it('returns frozen data', () => {
    const scan = scanOne("db.selectFrom('person').select('id')")
    expect(Object.isFrozen(scan)).toBe(true)
    expect(Object.isFrozen(scan.usages)).toBe(true)
    expect(Object.isFrozen(scan.usages[0])).toBe(true)
  })
})

describe('usagesOf and describeUsage', () => {
  const text = `db.selectFrom('public.person').select('email').execute()
db.selectFrom('person').selectAll().execute()
db.selectFrom('person').select(eb => eb.fn.countAll().as('n')).execute()
db.deleteFrom('person').execute()
`
  const scan = scanOne(text)

  it("counts '*' for every column, and table-level uses (FROM, DELETE) only for the table", () => {
    expect(usagesOf(scan, 'person', 'email').map(u => `${u.column} ${u.kind}`)).toEqual(['email select', '* selectAll'])
    expect(usagesOf(scan, 'person', 'name').map(u => `${u.column} ${u.kind}`)).toEqual(['* selectAll'])
    expect(usagesOf(scan, 'public.person').map(u => u.loc.line)).toEqual([1, 1, 2, 2, 3, 4])
    expect(usagesOf(scan, 'pet')).toEqual([])
  })

  it('describes a usage for messages', () => {
    expect(usagesOf(scan, 'person').map(describeUsage)).toEqual([
      `${FILE}:1 reads person`,
      `${FILE}:1 selects person.email`,
      `${FILE}:2 reads person`,
      `${FILE}:2 selects every column of person`,
      `${FILE}:3 reads person`,
      `${FILE}:4 deletes from person`,
    ])
  })
})
