import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../../src/parse/sql.js'
import { scanUsage } from '../../../src/usage/index.js'
import { labelMentions, unaccountedMentions, type MentionQuery } from '../../../src/usage/readers/text-fallback.js'
import { at } from '../helpers.js'

beforeAll(() => loadParser())

const email: MentionQuery = { table: 'users', column: 'email' }

/** The mentions found in files, each reported as `file:line:column what`. */
function mentions(files: Record<string, string>, query: MentionQuery = email): string[] {
  const list = Object.entries(files).map(([path, text]) => ({ path, text }))
  return unaccountedMentions(list, scanUsage(list), query).map(m => `${m.file}:${m.line}:${m.column} ${m.what}`)
}

function where(file: string, text: string, needle: string, nth = 1): string {
  const { line, column } = at(text, needle, nth)
  return `${file}:${line}:${column}`
}

describe('unaccountedMentions (issue 12: code no reader understands)', () => {
  const go = `package report

// users.email is read below
func Emails(db *sql.DB) {
	rows, _ := db.Query("SELECT email FROM users")
	_ = rows
}
`
  const python = `# the users table used to have an email column
class Account(Base):
    __tablename__ = "accounts"
    email = Column(String)
`
  const sqlalchemy = `class User(Base):
    email = Column(String)
`
  const prismaClient = `import { PrismaClient } from '@prisma/client'
const prisma = new PrismaClient()
export const find = (id: string) => prisma.user.findUnique({ where: { id } })
export const address = (user: { email: string }) => user.email
`
  const kysely = `export async function names(db) {
  const rows = await db.selectFrom('users').select(['id', 'name']).execute()
  return rows.map(r => ({ ...r, email: mailOf(r.id) }))
}
`
  const rawHelper = `import { rawQuery } from './db'
export const findUser = (id: string) =>
  rawQuery(\`SELECT id, email
             FROM users WHERE id = $1\`, [id])
`
  const schema = `model User {
  id    String @id
  email String
  @@map("users")
}
`
  const jsClientSchema = `generator client {\n  provider = "prisma-client-js"\n}\n\n${schema}`
  const drizzleSchema = `import { pgTable, serial, text } from 'drizzle-orm/pg-core'\nexport const users = pgTable('users', { id: serial('id'), email: text('email') })\n`
  const drizzleQuery = `import { eq } from 'drizzle-orm'\nimport { users } from './schema'\nexport const find = (id: number) => db.select({ email: users.email }).from(users).where(eq(users.id, id))\n`
  const prismaWithSql = `${prismaClient}export const raw = () => rawQuery(\`SELECT email FROM users WHERE id = {{id::uuid}}\`)\n`
  const placeholders = rawHelper.replace('$1', '{{id::uuid}}')

  const cases: { name: string; files: Record<string, string>; query?: MentionQuery; expected: string[] }[] = [
    { name: 'Go code naming the table and the column, not in its comment', files: { 'report/emails.go': go }, expected: [`${where('report/emails.go', go, 'email', 2)} names users.email`] },
    { name: 'Python: the column named, the table only in a comment', files: { 'app/models.py': python }, expected: [] },
    { name: 'Python: the model class is the table\'s singular', files: { 'app/models.py': sqlalchemy }, expected: [`${where('app/models.py', sqlalchemy, 'email')} names users.email`] },
    { name: 'TypeScript on Prisma (no reader yet): every mention counts', files: { 'src/users.ts': prismaClient }, expected: [`${where('src/users.ts', prismaClient, 'email')} names users.email`] },
    { name: 'TypeScript whose queries Kysely understood: a mention outside them is not a read', files: { 'src/names.ts': kysely }, expected: [] },
    { name: "SQL in a string passed to the project's own helper is read: accounted for", files: { 'src/find.ts': rawHelper }, expected: [] },
    { name: "SQL that does not parse (the helper's own placeholders) still counts", files: { 'src/find.ts': placeholders }, expected: [`${where('src/find.ts', placeholders, 'email')} names users.email`] },
    { name: 'schema.prisma maps the model onto the table', files: { 'prisma/schema.prisma': schema }, expected: [`${where('prisma/schema.prisma', schema, 'email')} names users.email`] },
    { name: 'Prisma with the schema of its JS client: the reader read the calls and the schema, a mention outside SQL text is not a use', files: { 'prisma/schema.prisma': jsClientSchema, 'src/users.ts': prismaClient }, expected: [] },
    { name: 'Prisma read, but SQL text that does not parse still counts', files: { 'prisma/schema.prisma': jsClientSchema, 'src/users.ts': prismaWithSql }, expected: [`${where('src/users.ts', prismaWithSql, 'email', 3)} names users.email`] },
    { name: 'Drizzle with the modules declaring its tables: the queries and the table objects are read', files: { 'src/schema.ts': drizzleSchema, 'src/find.ts': drizzleQuery }, expected: [] },
    { name: 'Drizzle whose tables are not in the tree: every mention counts', files: { 'src/find.ts': drizzleQuery }, expected: [`${where('src/find.ts', drizzleQuery, 'email')} names users.email`] },
    { name: 'camelCase spelling of a snake_case column', files: { 'src/users.go': 'type User struct { SpaceId string }\nvar q = "users"\n' }, query: { table: 'users', column: 'space_id' }, expected: ['src/users.go:1:20 names users.space_id'] },
    { name: 'a longer word is not the column', files: { 'report/emails.go': go.replace(/email/g, 'email_verified') }, expected: [] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(mentions(c.files, c.query)).toEqual(c.expected)
    })
  }
})

describe('labelMentions (an enum label a release renames)', () => {
  const kysely = `export const sadPeople = (db) =>\n  db.selectFrom('people').select('id').where('mood', '=', 'sad').execute()\n`
  const ui = `export const label = (m: string) => (m === 'sad' ? ':(' : ':)')\n`
  const commented = `// people with mood 'sad' are skipped\nexport const q = (db) => db.selectFrom('people').selectAll().execute()\n`
  const found = (files: Record<string, string>) =>
    labelMentions(Object.entries(files).map(([path, text]) => ({ path, text })), 'sad', ['mood', 'people']).map(m => `${m.file}:${m.line}:${m.column} ${m.what}`)

  it('counts the literal even inside a query a reader understood: no reader follows values', () => {
    expect(found({ 'src/people.ts': kysely })).toEqual([`${where('src/people.ts', kysely, "'sad'")} spells 'sad'`])
  })
  it('not in a file that names neither the type nor a table holding it, nor in a comment', () => {
    expect(found({ 'src/ui.ts': ui, 'src/list.ts': commented })).toEqual([])
  })
})
