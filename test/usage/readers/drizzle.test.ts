import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../../src/parse/sql.js'
import { usagesOf, type Usage, type UsageKind } from '../../../src/usage/index.js'
import { scanUsage } from '../../../src/usage/scan.js'
import { readDrizzleSchema } from '../../../src/usage/readers/drizzle-schema.js'
import { at, FILE, usage } from '../helpers.js'

beforeAll(() => loadParser())

const SCHEMA_FILE = 'src/db/schema.ts'
const SCHEMA = `import { pgTable, pgSchema, serial, text, timestamp, integer, uuid } from 'drizzle-orm/pg-core'
import { relations } from 'drizzle-orm'

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull(),
  fullName: text('full_name'),
  createdAt: timestamp('created_at').defaultNow(),
  token: uuid('token').$defaultFn(() => crypto.randomUUID()),
})

export const posts = pgTable('posts', t => ({
  id: t.serial('id').primaryKey(),
  authorId: t.integer('author_id').notNull(),
  title: t.text(),
  updatedAt: t.timestamp('updated_at').$onUpdate(() => new Date()),
}))

const audit = pgSchema('audit')
export const events = audit.table('events', { id: serial('id').primaryKey(), kind: text('kind') })

export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }))
`

const USER_ROW = ['id', 'email', 'full_name', 'created_at', 'token']
const POST_ROW = ['id', 'author_id', 'title', 'updated_at']

function scan(code: string, importPath = './schema') {
  return scanUsage([
    { path: SCHEMA_FILE, text: SCHEMA },
    { path: 'src/db/repo.ts', text: code.replace(/'\.\/schema'/g, `'${importPath}'`) },
  ])
}

const REPO = 'src/db/repo.ts'

function use(code: string, table: string, column: string, kind: UsageKind, needle: string, nth = 1): Usage {
  return usage(code, table, column, kind, needle, nth, REPO)
}

function row(code: string, table: string, columns: readonly string[], kind: UsageKind, needle: string, nth = 1): Usage[] {
  return columns.map(column => use(code, table, column, kind, needle, nth))
}

describe('readDrizzleSchema', () => {
  it('maps each pgTable binding to its table and each field to its column (named, or the key; snake_case with casing)', () => {
    const [users, posts, events] = readDrizzleSchema([{ path: SCHEMA_FILE, text: SCHEMA }], false).tables
    expect([users.name, users.table, [...users.columns.values()].map(c => c.column)]).toEqual(['users', 'users', USER_ROW])
    expect([...posts.columns.values()].map(c => c.column)).toEqual(POST_ROW)
    expect([...users.columns.values()].filter(c => c.clientFilled).map(c => c.column)).toEqual(['token'])
    expect(events.table).toBe('audit.events')
    expect(users.relations).toEqual(new Map([['posts', 'posts']]))
    const snake = readDrizzleSchema([{ path: 'a.ts', text: "export const a = pgTable('a', { createdAt: timestamp() })\n" }], true).tables[0]
    expect([...snake.columns.values()].map(c => c.column)).toEqual(['created_at'])
  })
})

describe('the Drizzle reader', () => {
  const cases: { name: string; code: string; importPath?: string; usages: (code: string) => Usage[] }[] = [
    {
      name: 'select() from a table reads every column it maps; where / orderBy references by their link',
      code: `import { db } from './client'
import { eq, desc } from 'drizzle-orm'
import { users } from './schema'

export const byEmail = (email: string) =>
  db.select().from(users).where(eq(users.email, email)).orderBy(desc(users.createdAt))
`,
      usages: code => [
        ...row(code, 'users', USER_ROW, 'select', 'users)'),
        use(code, 'users', '', 'select', 'users)'),
        use(code, 'users', 'email', 'where', 'users.email'),
        use(code, 'users', 'created_at', 'order', 'users.createdAt'),
      ],
    },
    {
      name: 'select({ … }) reads the fields named; a join reads its table and condition (imported through an alias)',
      importPath: '@/db/schema',
      code: `import { eq } from 'drizzle-orm'
import { users, posts } from './schema'

export const titles = () =>
  db.select({ id: users.id, title: posts.title }).from(users).innerJoin(posts, eq(posts.authorId, users.id))
`,
      usages: code => [
        use(code, 'users', 'id', 'select', 'users.id'),
        use(code, 'posts', 'title', 'select', 'posts.title'),
        use(code, 'users', '', 'select', 'users)'),
        use(code, 'posts', '', 'join', 'posts, eq'),
        use(code, 'posts', 'author_id', 'join', 'posts.authorId'),
        use(code, 'users', 'id', 'join', 'users.id', 2),
      ],
    },
    {
      name: 'insert names every column of the table; update writes the keys of set and $onUpdate; delete; returning()',
      code: `import * as schema from './schema'

export async function write(email: string, id: number) {
  await db.insert(schema.users).values({ email })
  await db.update(schema.posts).set({ title: 'x' }).where(eq(schema.posts.id, id))
  return db.delete(schema.posts).where(eq(schema.posts.authorId, id)).returning()
}
`,
      usages: code => [
        use(code, 'users', '', 'insert', 'schema.users'),
        ...row(code, 'users', USER_ROW, 'insert', 'schema.users'),
        use(code, 'posts', '', 'update', 'schema.posts'),
        use(code, 'posts', 'updated_at', 'update', 'schema.posts'),
        use(code, 'posts', 'title', 'update', "title: 'x'"),
        use(code, 'posts', 'id', 'where', 'schema.posts.id'),
        use(code, 'posts', '', 'delete', 'schema.posts)', 2),
        use(code, 'posts', 'author_id', 'where', 'schema.posts.authorId'),
        ...row(code, 'posts', POST_ROW, 'returning', 'returning'),
      ],
    },
    {
      name: 'db.query: every column unless columns narrows it, the relations of with, where through the callback parameter',
      code: `import { users } from './schema'

export const withPosts = () =>
  db.query.users.findMany({ columns: { id: true }, with: { posts: true }, where: (u, { eq }) => eq(u.email, 'a') })
export const first = () => db.query.posts.findFirst({ columns: { title: false } })
`,
      usages: code => [
        use(code, 'users', '', 'select', 'findMany'),
        use(code, 'users', 'id', 'select', 'findMany'),
        ...row(code, 'posts', ['', ...POST_ROW], 'select', 'posts: true'),
        use(code, 'users', 'email', 'where', 'u.email'),
        ...row(code, 'posts', ['', 'id', 'author_id', 'updated_at'], 'select', 'findFirst'),
      ],
    },
    {
      name: 'a column reference outside a query is a read; what is not a table is nothing',
      code: `import { users } from './schema'
import { createHash } from 'node:crypto'

export const emailColumn = users.email
export const digest = (s: string) => createHash('sha256').update(s).digest('hex')
export const forget = (cache: Map<string, number>, key: string) => cache.delete(key)
`,
      usages: code => [use(code, 'users', 'email', 'select', 'users.email')],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(scan(c.code, c.importPath).usages).toEqual(c.usages(c.code))
    })
  }

  it('an INSERT sets the keys of values and what Drizzle fills in ($defaultFn); a spread or a variable leaves it open', () => {
    const code = `import { users, posts } from './schema'
export async function add(rows: { authorId: number; title: string }[], input: object) {
  await db.insert(users).values({ email: 'a@b.c', fullName: null })
  await db.insert(posts).values(rows)
  await db.insert(users).values({ ...input })
}
`
    expect(scan(code).inserts).toEqual([
      { table: 'users', columns: ['email', 'full_name', 'token'], columnsKnown: true, loc: { file: REPO, ...at(code, 'users)') } },
      { table: 'posts', columns: ['updated_at'], columnsKnown: false, loc: { file: REPO, ...at(code, 'posts)') } },
      { table: 'users', columns: ['token'], columnsKnown: false, loc: { file: REPO, ...at(code, 'users)', 2) } },
    ])
  })

  it('a query on a table the file does not name is unresolved, for any table', () => {
    const code = `import type { PgTable } from 'drizzle-orm/pg-core'\nexport const count = (table: PgTable) => db.select().from(table)\n`
    expect(scan(code).unresolved).toEqual([
      { file: REPO, ...at(code, 'table)'), reason: 'a Drizzle query on table, a table the file does not name', anyTable: true },
    ])
  })

  it('a column the table object does not map is not read', () => {
    const code = `import { users } from './schema'\nexport const all = () => db.select().from(users)\n`
    expect(usagesOf(scan(code), 'users', 'phone')).toEqual([])
    expect(usagesOf(scan(code), 'users', 'email')).toHaveLength(1)
  })

  it('without a module declaring tables, nothing is read as Drizzle', () => {
    const code = `import { users } from './schema'\nexport const all = () => db.select().from(users)\n`
    expect(scanUsage([{ path: FILE, text: code }]).usages).toEqual([])
  })
})
