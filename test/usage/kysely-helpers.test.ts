// Issue 13, "Kysely, followed further": builders handed to helper functions (called directly or through
// `$call`), and `db.dynamic.ref` / `db.dynamic.table`. Each case gives the exact records: a column a
// helper reads is read at the helper's line, with the tables of the call in the same file or of the
// parameter's type; a column whose tables are known neither way is unresolved there, never dropped.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { insertsInto, type Unresolved } from '../../src/usage/index.js'
import { at, FILE, scanOne, usage } from './helpers.js'

beforeAll(() => loadParser())

/** The expected unresolved record at the `nth` occurrence of `needle`. */
function unresolved(text: string, needle: string, reason: string, where: { anyTable?: true; table?: string; nth?: number } = {}): Unresolved {
  const { nth = 1, ...tables } = where
  return { file: FILE, ...at(text, needle, nth), reason, ...tables }
}

describe('a builder handed to a helper of the same file', () => {
  it('reads the helper with the tables of the call: a direct call, and the chain goes on after it', () => {
    const text = `function activeOnly(qb) {
  return qb.where('deleted_at', 'is', null)
}
export async function list(db) {
  return activeOnly(db.selectFrom('users as u').select('u.id')).orderBy('u.created_at').execute()
}
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'users', 'deleted_at', 'where', "'deleted_at'"),
      usage(text, 'users', '', 'select', "'users as u'"),
      usage(text, 'users', 'id', 'select', "'u.id'"),
      usage(text, 'users', 'created_at', 'order', "'u.created_at'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('reads $call(helper) the same way, and the tables the helper joins stay in scope after it', () => {
    const text = `const withOrg = (qb) => qb.where('u.deleted_at', 'is', null).innerJoin('orgs as o', 'o.id', 'u.org_id')
export const list = () => db.selectFrom('users as u').$call(withOrg).select(['o.name', 'u.email']).execute()
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'users', 'deleted_at', 'where', "'u.deleted_at'"),
      usage(text, 'orgs', '', 'join', "'orgs as o'"),
      usage(text, 'orgs', 'id', 'join', "'o.id'"),
      usage(text, 'users', 'org_id', 'join', "'u.org_id'"),
      usage(text, 'users', '', 'select', "'users as u'"),
      usage(text, 'orgs', 'name', 'select', "'o.name'"),
      usage(text, 'users', 'email', 'select', "'u.email'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('reads a helper declared after its call, called from an inline $call, for each table it is called with (once per place)', () => {
    const text = `export const a = () => db.selectFrom('users').$call(qb => activeOnly(qb)).selectAll().execute()
export const b = () => activeOnly(db.selectFrom('orders')).selectAll().execute()
export const c = () => activeOnly(db.selectFrom('users')).execute()
function activeOnly(qb) {
  return qb.where('deleted_at', 'is', null)
}
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.column === 'deleted_at')).toEqual([
      usage(text, 'users', 'deleted_at', 'where', "'deleted_at'"),
      usage(text, 'orders', 'deleted_at', 'where', "'deleted_at'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('writes through an update helper into the table of the call, and an insert helper sets the rows of the call', () => {
    const text = `function touch(qb) {
  return qb.set({ updated_at: new Date() })
}
function named(qb, name) {
  return qb.values({ name, kind: 'person' })
}
await touch(db.updateTable('users').where('id', '=', id)).execute()
await db.insertInto('pets').$call(qb => named(qb, 'Rex')).execute()
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.kind === 'update' || u.kind === 'insert')).toEqual([
      usage(text, 'users', 'updated_at', 'update', 'updated_at'),
      usage(text, 'pets', 'name', 'insert', 'name, kind'),
      // kind: 'person' is a literal, never NULL (set-not-null reads it); name is a variable, not known
      { ...usage(text, 'pets', 'kind', 'insert', 'kind'), nonNullLiteral: true },
      usage(text, 'users', '', 'update', "'users'"),
      usage(text, 'pets', '', 'insert', "'pets'"),
    ])
    expect(insertsInto(scan, 'pets').map(i => [i.columns, i.columnsKnown])).toEqual([[['kind', 'name'], true]])
  })

  it('reads an expression helper passed by name or called with the builder of a callback, in the scope of that query', () => {
    const text = `function isActive(eb) {
  return eb('deleted_at', 'is', null)
}
const a = db.selectFrom('users').where(isActive).select('id').execute()
const b = db.selectFrom('orders').where(eb => eb.and([isActive(eb), eb('total', '>', 0)])).execute()
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.column === 'deleted_at' || u.column === 'total')).toEqual([
      usage(text, 'users', 'deleted_at', 'where', "'deleted_at'"),
      usage(text, 'orders', 'deleted_at', 'where', "'deleted_at'"),
      usage(text, 'orders', 'total', 'where', "'total'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('follows a builder kept in a variable into a helper, and a private method called through this', () => {
    const text = `function activeOnly(qb) {
  return qb.where('deleted_at', 'is', null)
}
export async function list(db, f) {
  let query = db.selectFrom('users').select('id')
  if (f) query = activeOnly(query)
  return query.orderBy('name').execute()
}
export class Repo {
  private bySpecies(qb) { return qb.where('species', '=', 'cat') }
  cats() { return this.bySpecies(this.db.selectFrom('pets')).selectAll().execute() }
}
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.column !== '')).toEqual([
      usage(text, 'users', 'deleted_at', 'where', "'deleted_at'"),
      usage(text, 'users', 'id', 'select', "'id'"),
      usage(text, 'users', 'name', 'order', "'name'"),
      usage(text, 'pets', 'species', 'where', "'species'"),
      usage(text, 'pets', '*', 'selectAll', 'selectAll'),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('ends on a helper that calls itself', () => {
    const text = `function deeper(qb, n) {
  return n > 0 ? qb : deeper(qb.where('depth', '>', n), n - 1)
}
export const q = () => deeper(db.selectFrom('tree'), 3).execute()
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.column === 'depth')).toEqual([usage(text, 'tree', 'depth', 'where', "'depth'")])
  })
})

describe("a helper read on its own: the tables its parameter's type names", () => {
  it('SelectQueryBuilder<DB, union of tables, O>: each column is read in each table', () => {
    const text = `import type { SelectQueryBuilder } from 'kysely'
import type { DB } from './types'

export function activeOnly<O>(qb: SelectQueryBuilder<DB, 'users' | 'orders', O>) {
  return qb.where('deleted_at', 'is', null)
}
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'users', 'deleted_at', 'where', "'deleted_at'"),
      usage(text, 'orders', 'deleted_at', 'where', "'deleted_at'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('UpdateQueryBuilder<DB, target, tables, O>, a type parameter constrained to tables, a reassigned parameter', () => {
    const text = `import type { SelectQueryBuilder, UpdateQueryBuilder } from 'kysely'
export function touch<O>(qb: UpdateQueryBuilder<DB, 'users', 'users', O>) {
  return qb.set({ updated_at: sql\`now()\` }).returningAll()
}
export function search<TB extends 'users' | 'orgs', O>(qb: SelectQueryBuilder<DB, TB, O>, term?: string) {
  if (term) qb = qb.where('name', 'like', term)
  return qb
}
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'users', 'updated_at', 'update', 'updated_at'),
      usage(text, 'users', '*', 'returning', 'returningAll'),
      usage(text, 'users', 'name', 'where', "'name'"),
      usage(text, 'orgs', 'name', 'where', "'name'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('InsertQueryBuilder<DB, table, O>: the keys of values() are inserted columns of the table (the INSERT is its caller\'s)', () => {
    const text = `import type { InsertQueryBuilder } from 'kysely'
export const withName = <O>(qb: InsertQueryBuilder<DB, 'pets', O>, name: string) => qb.values({ name, kind: 'dog' })
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([usage(text, 'pets', 'name', 'insert', 'name, kind'), { ...usage(text, 'pets', 'kind', 'insert', 'kind:'), nonNullLiteral: true }])
    expect(scan.inserts).toEqual([])
  })

  it('ExpressionBuilder<DB, table>, and a type alias of the file that names the builder', () => {
    const text = `import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely'
type PetQuery = SelectQueryBuilder<DB, 'pets', {}>
export const isActive = (eb: ExpressionBuilder<DB, 'users'>) => eb.and([eb('deleted_at', 'is', null), eb('banned', '=', false)])
export const cats = (qb: PetQuery) => qb.where('species', '=', 'cat')
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'users', 'deleted_at', 'select', "'deleted_at'"),
      usage(text, 'users', 'banned', 'select', "'banned'"),
      usage(text, 'pets', 'species', 'where', "'species'"),
    ])
  })

  it('a call in the same file and the type both name users: each column is read once', () => {
    const text = `function activeOnly<O>(qb: SelectQueryBuilder<DB, 'users', O>) {
  return qb.where('deleted_at', 'is', null)
}
export const list = () => activeOnly(db.selectFrom('users')).execute()
`
    expect(scanOne(text).usages.filter(u => u.column === 'deleted_at')).toEqual([usage(text, 'users', 'deleted_at', 'where', "'deleted_at'")])
  })
})

describe('a helper whose tables are known neither way: unresolved at each column, for any table', () => {
  const why = (column: string, fn: string, param: string) =>
    `column '${column}' of ${fn}()'s parameter ${param}: its tables are not known (its type does not name them, and it can be called from other files)`

  it('a generic parameter type, an untyped exported helper, a typed helper that is exported: unresolved', () => {
    const text = `import type { SelectQueryBuilder } from 'kysely'
export function newestFirst<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>) {
  return qb.orderBy('created_at', 'desc').selectAll()
}
export function activeOnly(qb) {
  return qb.where('t.deleted_at', 'is', null).set({ seen: true })
}
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([])
    expect(scan.unresolved).toEqual([
      unresolved(text, "'created_at'", why('created_at', 'newestFirst', 'qb'), { anyTable: true }),
      unresolved(text, 'selectAll', why('*', 'newestFirst', 'qb'), { anyTable: true }),
      unresolved(text, "'t.deleted_at'", why('t.deleted_at', 'activeOnly', 'qb'), { anyTable: true }),
      unresolved(text, 'seen', why('seen', 'activeOnly', 'qb'), { anyTable: true }),
    ])
  })

  it('a helper of the file that is also passed on as a value (another file may call it): unresolved as well as read at the call', () => {
    const text = `function activeOnly(qb) {
  return qb.where('deleted_at', 'is', null)
}
export const filters = { activeOnly }
export const list = () => activeOnly(db.selectFrom('users')).execute()
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.column === 'deleted_at')).toEqual([usage(text, 'users', 'deleted_at', 'where', "'deleted_at'")])
    expect(scan.unresolved).toEqual([unresolved(text, "'deleted_at'", why('deleted_at', 'activeOnly', 'qb'), { anyTable: true })])
  })

  it('$if / $call on a builder from where the scan does not read: unresolved, for any table', () => {
    const text = `export const older = (items) => items.map(q => q.$if(true, qb => qb.where('age', '>', 3)))
`
    expect(scanOne(text).unresolved).toEqual([
      unresolved(text, "'age'", "column 'age' of the builder q: its tables are not known (where it comes from is not read)", { anyTable: true }),
    ])
  })

  it('leaves alone functions whose parameter is no query builder', () => {
    const text = `import { Kysely } from 'kysely'
export function remember(cache, key) {
  cache.set('last', key)
  return cache.values()
}
export function names(list) {
  return list.filter(item => item.active).map(item => item.name)
}
export async function count(db: Kysely<DB>, id: number) {
  return db.selectFrom('users').select('id').where('id', '=', id).execute()
}
`
    const scan = scanOne(text)
    expect(scan.unresolved).toEqual([])
    expect(scan.usages.map(u => u.column)).toEqual(['', 'id', 'id'])
  })

  it("leaves an untyped helper to other readers in a file that shows no Kysely (knex's builders have where() too)", () => {
    const text = `const knex = require('knex')(config)
export function activeOnly(qb) {
  return qb.where('deleted_at', null)
}
export const list = () => activeOnly(knex('users')).select('id')
`
    expect(scanOne(text).unresolved.filter(x => x.reason.includes('activeOnly'))).toEqual([])
  })
})

describe('db.dynamic', () => {
  it('ref() with a literal or a constant is a read of that column in the query; with a variable it is unresolved for each table in scope', () => {
    const text = `const SORT = 'created_at'
db.selectFrom('users').select(db.dynamic.ref('email')).orderBy(db.dynamic.ref(SORT)).execute()
db.selectFrom('users as u').innerJoin('orgs as o', 'o.id', 'u.org_id').orderBy(db.dynamic.ref(sortBy)).execute()
`
    const scan = scanOne(text)
    expect(scan.usages.filter(u => u.loc.line === 2)).toEqual([
      usage(text, 'users', '', 'select', "'users'"),
      usage(text, 'users', 'email', 'select', "'email'"),
      usage(text, 'users', 'created_at', 'order', 'SORT)'),
    ])
    const why = 'db.dynamic.ref(sortBy): the column is chosen at run time'
    expect(scan.unresolved).toEqual([
      unresolved(text, 'db.dynamic.ref(sortBy)', why, { table: 'users' }),
      unresolved(text, 'db.dynamic.ref(sortBy)', why, { table: 'orgs' }),
    ])
  })

  it('ref() outside a query: a qualified name is a read of its table, any other is unresolved for any table', () => {
    const text = `const keyset = new Keyset(db.dynamic.ref('like.sortAt'), db.dynamic.ref('cid'), db.dynamic.ref(column))
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([usage(text, 'like', 'sortAt', 'select', "'like.sortAt'")])
    expect(scan.unresolved).toEqual([
      unresolved(text, 'db.dynamic.ref(\'cid\')', "db.dynamic.ref('cid') outside a query: the table of cid is not known here", { anyTable: true }),
      unresolved(text, 'db.dynamic.ref(column)', 'db.dynamic.ref(column): the column is chosen at run time', { anyTable: true }),
    ])
  })

  it('table().as() with a literal or a constant is the table under its alias; with a variable it is unresolved for any table', () => {
    const text = `const ORDERS = 'orders'
db.selectFrom(db.dynamic.table(ORDERS).as('o')).select('o.total').execute()
db.selectFrom(db.dynamic.table(name).as('t')).select('t.id').execute()
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([usage(text, 'orders', '', 'select', 'ORDERS)'), usage(text, 'orders', 'total', 'select', "'o.total'")])
    expect(scan.unresolved).toEqual([
      unresolved(text, 'db.dynamic.table(name)', 'db.dynamic.table(name): the table is chosen at run time', { anyTable: true }),
    ])
  })
})
