import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DiskCache, NO_CACHE, useCache } from '../../../src/cache/store.js'
import { usageMemo } from '../../../src/cache/usage-memo.js'
import { loadParser } from '../../../src/parse/sql.js'
import { insertsInto, omits, usagesOf, type Usage, type UsageKind } from '../../../src/usage/index.js'
import { scanCodeTree, scanUsage } from '../../../src/usage/scan.js'
import { readPrismaSchema } from '../../../src/usage/readers/prisma-schema.js'
import { tempTree } from '../../cli/helpers.js'
import { scanInAnotherRun } from '../another-run.js'
import { at, FILE, usage } from '../helpers.js'

beforeAll(() => loadParser())
afterEach(() => useCache(NO_CACHE))

const SCHEMA = `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id        String    @id @default(uuid()) @db.Uuid
  email     String    @unique
  name      String?   @map("display_name")
  createdAt DateTime  @default(now()) @map("created_at")
  updatedAt DateTime  @updatedAt @map("updated_at")
  legacy    String?   @ignore
  search    Unsupported("tsvector")?
  teamId    String?   @map("team_id") @db.Uuid
  team      Team?     @relation(fields: [teamId], references: [id])
  posts     Post[]

  @@map("users")
}

model Team {
  id    String @id @db.Uuid
  name  String
  users User[]

  @@map("teams")
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId String @map("author_id") @db.Uuid
  author   User   @relation(fields: [authorId], references: [id])
}

model Audit {
  id Int @id
  @@ignore
}
`

const USER_ROW = ['id', 'email', 'display_name', 'created_at', 'updated_at', 'team_id']
const TEAM_ROW = ['id', 'name']
const POST_ROW = ['id', 'title', 'author_id']

function scan(code: string, schema = SCHEMA) {
  return scanUsage([
    { path: 'prisma/schema.prisma', text: schema },
    { path: FILE, text: code },
  ])
}

/** One usage per column of a row read, all at the `nth` `needle`. */
function row(text: string, table: string, columns: readonly string[], kind: UsageKind, needle: string, nth = 1): Usage[] {
  return columns.map(column => usage(text, table, column, kind, needle, nth))
}

describe('readPrismaSchema', () => {
  it('maps models to tables and fields to columns; relations, @ignore, @@ignore and Unsupported are no columns', () => {
    const schema = readPrismaSchema([{ path: 'prisma/schema.prisma', text: SCHEMA }])
    expect(schema.errors).toEqual([])
    expect([...schema.models.keys()]).toEqual(['user', 'team', 'post'])
    const user = schema.models.get('user')!
    expect(user.table).toBe('users')
    expect([...user.scalars.values()].map(f => f.column)).toEqual(USER_ROW)
    expect([...user.relations.keys()]).toEqual(['team', 'posts'])
    expect(user.relations.get('team')!.relation).toEqual({ model: 'Team', name: null, fields: ['teamId'] })
    expect([...user.scalars.values()].filter(f => f.clientFilled).map(f => f.column)).toEqual(['id', 'updated_at'])
    expect(schema.models.get('post')!.table).toBe('Post')
  })

  it('@@schema qualifies the table; a schema that does not parse says so', () => {
    const multi = readPrismaSchema([{ path: 'a.prisma', text: 'model Event {\n  id Int @id\n  @@map("events")\n  @@schema("audit")\n}\n' }])
    expect(multi.models.get('event')!.table).toBe('audit.events')
    const broken = readPrismaSchema([{ path: 'b.prisma', text: 'model {\n' }])
    expect(broken.errors.map(e => e.file)).toEqual(['b.prisma'])
  })
})

describe('the Prisma reader', () => {
  const cases: { name: string; code: string; usages: (code: string) => Usage[] }[] = [
    {
      name: 'a find without select reads every scalar column the model maps (not @ignore, not Unsupported); where and orderBy keys are reads',
      code: `import prisma from './db'
export const recent = (email: string) =>
  prisma.user.findMany({ where: { email, deletedBy: null }, orderBy: { createdAt: 'desc' } })
`,
      usages: code => [
        usage(code, 'users', '', 'select', 'findMany'),
        ...row(code, 'users', USER_ROW, 'select', 'findMany'),
        usage(code, 'users', 'email', 'where', 'email,'),
        usage(code, 'users', 'created_at', 'order', 'createdAt'),
      ],
    },
    {
      name: 'select narrows the row to the fields named; a wrapped client (prisma.client.user) and tx.user are the same model',
      code: `export async function names(tx: Tx) {
  const a = await prisma.client.user.findUnique({ where: { id: '1' }, select: { id: true, name: true, email: false } })
  return tx.user.findFirstOrThrow({ select: { email: true } })
}
`,
      usages: code => [
        usage(code, 'users', '', 'select', 'findUnique'),
        usage(code, 'users', 'id', 'where', "id: '1'"),
        usage(code, 'users', 'id', 'select', 'id: true'),
        usage(code, 'users', 'display_name', 'select', 'name: true'),
        usage(code, 'users', '', 'select', 'findFirstOrThrow'),
        usage(code, 'users', 'email', 'select', 'email: true'),
      ],
    },
    {
      name: 'include reads the related rows, joined on the relation key; a relation filter joins and reads the related columns',
      code: `export const teams = () =>
  prisma.team.findMany({
    include: { users: { select: { email: true } } },
    where: { users: { some: { email: { endsWith: '@x.io' } } } },
  })
`,
      usages: code => [
        usage(code, 'teams', '', 'select', 'findMany'),
        ...row(code, 'teams', TEAM_ROW, 'select', 'findMany'),
        usage(code, 'users', 'team_id', 'join', 'users:'),
        usage(code, 'users', 'email', 'select', 'email: true'),
        usage(code, 'users', 'team_id', 'join', 'users:', 2),
        usage(code, 'users', 'email', 'where', 'email: {'),
      ],
    },
    {
      name: 'create writes the keys of data, a connect sets the foreign key, and returns the row unless select narrows it',
      code: `export const signUp = (email: string) =>
  prisma.user.create({
    data: { email, team: { connect: { id: 't1' } } },
  })
`,
      usages: code => [
        usage(code, 'users', '', 'insert', 'create'),
        ...row(code, 'users', USER_ROW, 'returning', 'create'),
        usage(code, 'users', 'email', 'insert', 'email,'),
        usage(code, 'users', 'team_id', 'insert', 'team:'),
      ],
    },
    {
      name: 'update writes data keys and @updatedAt; updateMany returns nothing; delete returns the row, deleteMany does not',
      code: `export async function rename(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name }, select: { id: true } })
  await prisma.post.updateMany({ where: { authorId: id }, data: { title: name } })
  await prisma.team.delete({ where: { id } })
  await prisma.post.deleteMany({ where: { title: { startsWith: '[draft]' } } })
}
`,
      usages: code => [
        usage(code, 'users', '', 'update', 'update'),
        usage(code, 'users', 'id', 'where', 'id }'),
        usage(code, 'users', 'updated_at', 'update', '{ name }'),
        usage(code, 'users', 'display_name', 'update', 'name }'),
        usage(code, 'users', 'id', 'returning', 'id: true'),
        usage(code, 'Post', '', 'update', 'updateMany'),
        usage(code, 'Post', 'author_id', 'where', 'authorId'),
        usage(code, 'Post', 'title', 'update', 'title: name'),
        usage(code, 'teams', '', 'delete', 'delete('),
        ...row(code, 'teams', TEAM_ROW, 'returning', 'delete('),
        usage(code, 'teams', 'id', 'where', 'id }', 3),
        usage(code, 'Post', '', 'delete', 'deleteMany'),
        usage(code, 'Post', 'title', 'where', 'title: {'),
      ],
    },
    {
      name: 'count, aggregate and groupBy read what they filter, sum and group by, not the row',
      code: `export async function stats() {
  const n = await prisma.user.count({ where: { teamId: null } })
  const s = await prisma.post.aggregate({ _max: { id: true } })
  return prisma.post.groupBy({ by: ['authorId'], _count: { _all: true } })
}
`,
      usages: code => [
        usage(code, 'users', '', 'select', 'count'),
        usage(code, 'users', 'team_id', 'where', 'teamId'),
        usage(code, 'Post', '', 'select', 'aggregate'),
        usage(code, 'Post', 'id', 'select', 'id: true'),
        usage(code, 'Post', '', 'select', 'groupBy'),
        usage(code, 'Post', 'author_id', 'group', "'authorId'"),
        usage(code, 'Post', '', 'select', '_all'),
      ],
    },
    {
      name: '$queryRaw templates and $executeRawUnsafe strings are SQL',
      code: `export async function raw(id: string) {
  await prisma.$queryRaw\`SELECT display_name FROM users WHERE id = \${id}\`
  await prisma.$executeRawUnsafe('DELETE FROM teams WHERE name = $1', 'x')
}
`,
      usages: code => [
        usage(code, 'users', 'display_name', 'select', 'display_name'),
        usage(code, 'users', '', 'select', 'users'),
        usage(code, 'users', 'id', 'where', 'id ='),
        usage(code, 'teams', '', 'delete', 'teams'),
        usage(code, 'teams', 'name', 'where', 'name ='),
      ],
    },
    {
      name: 'a property named like a model that is not a client call is no query',
      code: `export const mail = (session: { user: { email: string } }) => session.user.email
export const list = (users: User[]) => users.findMany
`,
      usages: () => [],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(scan(c.code).usages).toEqual(c.usages(c.code))
    })
  }

  it('create is an INSERT of the fields given and those the client fills in (@default(uuid()), @updatedAt); a nested create inserts the related rows', () => {
    const code = `export async function add(email: string, rows: { title: string }[]) {
  await prisma.user.create({ data: { email, posts: { create: [{ title: 'hello' }] } } })
  await prisma.post.createMany({ data: rows.map(r => ({ title: r.title, authorId: 'u1' })) })
  await prisma.user.create({ data: { ...input } })
}
`
    const s = scan(code)
    expect(s.inserts).toEqual([
      { table: 'users', columns: ['email', 'id', 'updated_at'], columnsKnown: true, loc: { file: FILE, ...at(code, 'create') } },
      { table: 'Post', columns: ['author_id', 'title'], columnsKnown: true, loc: { file: FILE, ...at(code, 'create:') } },
      { table: 'Post', columns: ['author_id', 'title'], columnsKnown: true, loc: { file: FILE, ...at(code, 'createMany') } },
      { table: 'users', columns: ['id', 'updated_at'], columnsKnown: false, loc: { file: FILE, ...at(code, 'create', 4) } },
    ])
    const [first] = insertsInto(s, 'users')
    expect(omits(first, 'display_name')).toBe(true)
    expect(omits(first, 'email')).toBe(false)
  })

  it('what it cannot read is unresolved, with its table when the model is known', () => {
    const code = `export async function some(model: string, args: Prisma.UserFindManyArgs) {
  await prisma[model].findMany()
  await prisma.user.deleteMany(args)
  const { post } = prisma
  return paginate(prisma.team)
}
`
    expect(scan(code).unresolved).toEqual([
      { file: FILE, ...at(code, 'findMany'), reason: 'a Prisma model chosen at run time (…[model].findMany)', anyTable: true },
      { file: FILE, ...at(code, 'args)'), reason: 'Prisma arguments of User built elsewhere (args): its fields are not known', table: 'users' },
      { file: FILE, ...at(code, 'post }'), reason: 'the Prisma delegate Post is taken out of prisma: the calls made on it are not followed', table: 'Post' },
      { file: FILE, ...at(code, 'prisma.team'), reason: 'the Prisma delegate prisma.team is passed on: the calls made on it are not followed', table: 'teams' },
    ])
  })

  it('a call whose arguments are a variable is read as one without select: every column', () => {
    const code = `export const find = (criteria: Prisma.UserFindUniqueArgs) => prisma.user.findUnique(criteria)\n`
    expect(usagesOf(scan(code), 'users', 'email')).toEqual([usage(code, 'users', 'email', 'select', 'findUnique')])
    expect(usagesOf(scan(code), 'users', 'search')).toEqual([])
  })

  it('without a schema of the JS client the model calls are not read (the text fallback counts them)', () => {
    const code = `export const all = () => prisma.user.findMany()\n`
    expect(scanUsage([{ path: FILE, text: code }]).usages).toEqual([])
    const goClient = SCHEMA.replace('prisma-client-js', 'go run github.com/steebchen/prisma-client-go')
    expect(scan(code, goClient).usages).toEqual([])
  })

  it("each release's code is read with that release's schema: the same file meets a changed schema and is read again", () => {
    const code = `export const all = () => prisma.user.findMany()\n`
    const tree = (schema: string, id: string) => ({
      files: [
        { path: 'prisma/schema.prisma', contentId: id },
        { path: FILE, contentId: 'code-1' },
      ],
      texts: () => new Map([['prisma/schema.prisma', schema], [FILE, code]]),
    })
    const before = scanCodeTree(tree(SCHEMA, 'schema-1'))
    const after = scanCodeTree(tree(SCHEMA.replace('  email     String    @unique\n', ''), 'schema-2'))
    expect(usagesOf(before, 'users', 'email')).toHaveLength(1)
    expect(usagesOf(after, 'users', 'email')).toEqual([])
  })

  it('a Prisma tree read back from the disk cache is the scan it stored, unresolved tables included', async () => {
    const dir = tempTree({})
    useCache(new DiskCache(dir))
    const code = `export const all = () => prisma.user.findMany({ where: filter })\nexport const two = () => prisma.team.findMany()\n`
    const tree = (texts: () => ReadonlyMap<string, string>) => ({
      files: [
        { path: 'prisma/schema.prisma', contentId: 'cached-schema' },
        { path: FILE, contentId: 'cached-code' },
      ],
      texts,
    })
    const first = scanCodeTree(tree(() => new Map([['prisma/schema.prisma', SCHEMA], [FILE, code]])), usageMemo())
    const again = (await scanInAnotherRun(dir))(
      tree(() => {
        throw new Error('read the texts')
      }),
    )
    expect(again).toEqual(first)
    expect(first.unresolved).toEqual([
      { file: FILE, ...at(code, 'filter'), reason: 'Prisma where of User built elsewhere (filter): its fields are not known', table: 'users' },
    ])
    expect(usagesOf(again, 'teams', 'name')).toEqual([usage(code, 'teams', 'name', 'select', 'findMany', 2)])
  })
})
