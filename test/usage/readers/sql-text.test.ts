import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../../src/parse/sql.js'
import type { Usage } from '../../../src/usage/index.js'
import { at, FILE, scanOne, usage } from '../helpers.js'

beforeAll(() => loadParser())

describe('SQL text anywhere', () => {
  const cases: { name: string; code: string; usages: (code: string) => Usage[] }[] = [
    {
      name: "a template passed to the project's own helper, each column at its line",
      code: `import { rawQuery } from './db'
export const findUser = (id: string) =>
  rawQuery(\`SELECT id, email
             FROM users WHERE id = \${id}\`)
`,
      usages: code => [
        usage(code, 'users', 'id', 'select', 'id,'),
        usage(code, 'users', 'email', 'select', 'email'),
        usage(code, 'users', '', 'select', 'users'),
        usage(code, 'users', 'id', 'where', 'id =', 1),
      ],
    },
    {
      name: 'a const of the module, used elsewhere, is read where it is declared (postgres.js unsafe, client.execute)',
      code: `const FIND_BY_EMAIL = 'SELECT id FROM users WHERE email = $1'
const ARCHIVE = \`UPDATE orders SET archived = true WHERE placed_at < now() - interval '1 year'\`
export const byEmail = (email: string) => sql.unsafe(FIND_BY_EMAIL, [email])
export const archive = () => client.execute(ARCHIVE)
`,
      usages: code => [
        usage(code, 'users', 'id', 'select', 'id FROM'),
        usage(code, 'users', '', 'select', 'users'),
        usage(code, 'users', 'email', 'where', 'email ='),
        usage(code, 'orders', '', 'update', 'orders'),
        usage(code, 'orders', 'archived', 'update', 'archived'),
        usage(code, 'orders', 'placed_at', 'where', 'placed_at'),
      ],
    },
    {
      name: 'an INSERT in an object of statements, and a WITH query',
      code: `export const statements = {
  add: 'INSERT INTO tags (name, color) VALUES ($1, $2)',
  busiest: \`WITH c AS (SELECT tag_id, count(*) AS n FROM post_tags GROUP BY tag_id) SELECT name FROM tags JOIN c ON c.tag_id = tags.id\`,
}
`,
      usages: code => [
        usage(code, 'tags', '', 'insert', 'tags'),
        usage(code, 'tags', 'name', 'insert', 'name,'),
        usage(code, 'tags', 'color', 'insert', 'color'),
        usage(code, 'post_tags', 'tag_id', 'select', 'tag_id,'),
        usage(code, 'post_tags', '', 'select', 'post_tags'),
        usage(code, 'post_tags', 'tag_id', 'group', 'tag_id)'),
        usage(code, 'tags', 'name', 'select', 'name FROM'),
        usage(code, 'tags', '', 'select', 'tags JOIN'),
        usage(code, 'tags', 'id', 'join', 'tags.id'),
      ],
    },
    {
      name: 'words that start like SQL but are not (UI text, single keywords, a dynamic table) are not read and not reported',
      code: `export const labels = { pick: 'Select a file to upload', item: 'Select an item', mode: 'update', note: 'Delete this item?' }
export const count = (table: string) => \`SELECT count(*) FROM \${table}\`
`,
      usages: () => [],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const scan = scanOne(c.code)
      expect(scan.usages).toEqual(c.usages(c.code))
      expect(scan.unresolved).toEqual([])
    })
  }

  it("a string already read as a driver's .query() argument is read once", () => {
    const code = `await pool.query('SELECT email FROM users')\n`
    expect(scanOne(code).usages).toEqual([usage(code, 'users', 'email', 'select', 'email'), usage(code, 'users', '', 'select', 'users')])
  })

  it('the INSERT it reads has the columns it lists', () => {
    const code = `const ADD = 'INSERT INTO tags (name) VALUES ($1)'\n`
    expect(scanOne(code).inserts).toEqual([{ table: 'tags', columns: ['name'], columnsKnown: true, loc: { file: FILE, ...at(code, 'tags') } }])
  })
})
