import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../../src/parse/sql.js'
import type { Usage, UsageKind } from '../../../src/usage/index.js'
import { at, FILE, scanOne, usage } from '../helpers.js'

beforeAll(() => loadParser())

/** Records in file order; those at one place by table, column and kind (the scan keeps no order among them). */
function sorted(usages: readonly Usage[]): Usage[] {
  const key = (u: Usage) => `${u.table}|${u.column}|${u.kind}`
  return [...usages].sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column || key(a).localeCompare(key(b)))
}

type Expected = [table: string, column: string, kind: UsageKind, needle: string, nth?: number]

function expectUsages(code: string, expected: readonly Expected[], path = FILE): void {
  const found = scanOne(code, path)
  expect(sorted(found.usages)).toEqual(sorted(expected.map(([table, column, kind, needle, nth]) => usage(code, table, column, kind, needle, nth ?? 1, path))))
}

/** `line:column table-or-(any table) reason` of each unresolved record. */
function unresolved(code: string, path = FILE): string[] {
  return scanOne(code, path).unresolved.map(u => `${u.line}:${u.column} ${u.table ?? (u.anyTable ? '(any table)' : '?')} ${u.reason}`)
}

/** The client most fixtures below use. */
const head = `import knex from 'knex'\nconst db = knex({ client: 'pg' })\n\n`

function place(code: string, needle: string, nth = 1): string {
  const { line, column } = at(code, needle, nth)
  return `${line}:${column}`
}

describe('the knex reader: which names are knex', () => {
  it('an instance made with the factory (import, named import, require), and its calls and query methods', () => {
    const code = `import knex from 'knex'
import { knex as makeKnex } from 'knex'
const Knex = require('knex')

export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL })
const replica = makeKnex({ client: 'pg' })
const legacy = Knex({ client: 'pg' })
const direct = require('knex')({ client: 'pg' })

export const emails = () => db('users').select('email')
export const names = () => replica.select('name').from('users')
export const titles = () => legacy.table('posts').pluck('title')
export const tokens = () => direct.queryBuilder().from('sessions').select('token')
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'email', 'select', "'email'"],
      ['users', 'name', 'select', "'name'"],
      ['users', '', 'select', "'users'", 2],
      ['posts', '', 'select', "'posts'"],
      ['posts', 'title', 'select', "'title'"],
      ['sessions', '', 'select', "'sessions'"],
      ['sessions', 'token', 'select', "'token'"],
    ])
  })

  it('names typed with knex types (a class property, Knex.Transaction, JSDoc), a transaction callback, an awaited transaction', () => {
    const code = `import type { Knex } from 'knex'

export class OrderRepository {
  constructor(private readonly db: Knex) {}

  async place(userId: number, total: number) {
    return this.db.transaction(async trx => {
      const [order] = await trx('orders').insert({ user_id: userId, total }).returning('id')
      await trx('users').where('id', userId).increment('order_count', 1)
      return order
    })
  }
}

export async function archive(trx: Knex.Transaction, id: number) {
  await trx('orders').where({ id }).update({ archived_at: trx.fn.now() })
}

/** @param {Knex} knexClient */
export async function refund(knexClient, id) {
  const trx = await knexClient.transaction()
  await trx('refunds').insert({ order_id: id })
  await trx.commit()
}
`
    expectUsages(code, [
      ['orders', '', 'insert', "'orders'"],
      ['orders', 'user_id', 'insert', 'user_id'],
      ['orders', 'total', 'insert', 'total }'],
      ['orders', 'id', 'returning', "'id'"],
      ['users', '', 'update', "'users'"],
      ['users', 'id', 'where', "'id', userId"],
      ['users', 'order_count', 'update', "'order_count'"],
      ['orders', '', 'update', "'orders'", 2],
      ['orders', 'id', 'where', 'id })'],
      ['orders', 'archived_at', 'update', 'archived_at'],
      ['refunds', '', 'insert', "'refunds'"],
      ['refunds', 'order_id', 'insert', 'order_id'],
    ])
  })

  it('a name imported from the project, or a parameter, is knex when it is called with a table and a query method follows', () => {
    const code = `import { db } from '../db'

export const active = () => db('users').where('status', 'active').select('id')

export function create(trx, row) {
  return trx('audit_log').insert({ action: row.action })
}
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'status', 'where', "'status'"],
      ['users', 'id', 'select', "'id'"],
      ['audit_log', '', 'insert', "'audit_log'"],
      ['audit_log', 'action', 'insert', 'action:'],
    ])
  })

  it('not every db(…) call is knex: a package export, a local function, a promise chain of a project helper', () => {
    const code = `import $ from 'jquery'
import { fetchJson } from './http'

const db = (name: string) => store.collection(name)

export const first = () => $('users').first()
export const docs = () => db('users').where('status', 'active')
export const load = () => fetchJson('https://example.com/users').then(r => r.rows)
`
    const found = scanOne(code)
    expect(found.usages).toEqual([])
    expect(found.unresolved).toEqual([])
  })
})

describe('the knex reader: tables', () => {
  it('every way to name the table: from, table, into, select…from, aliases, a schema, a constant', () => {
    const code = `import knex from 'knex'
const db = knex({ client: 'pg' })
const EVENTS = 'events'

export async function reads(id: number) {
  await db.from('users as u').select('u.email').where('u.id', id)
  await db({ o: 'orders' }).select('o.total')
  await db.withSchema('audit').from(EVENTS).select('kind')
  await db('audit.logins').select('at')
  await db.insert({ name: 'x' }).into('tags')
}
`
    expectUsages(code, [
      ['users', '', 'select', "'users as u'"],
      ['users', 'email', 'select', "'u.email'"],
      ['users', 'id', 'where', "'u.id'"],
      ['orders', '', 'select', "'orders'"],
      ['orders', 'total', 'select', "'o.total'"],
      ['audit.events', '', 'select', 'EVENTS)'],
      ['audit.events', 'kind', 'select', "'kind'"],
      ['audit.logins', '', 'select', "'audit.logins'"],
      ['audit.logins', 'at', 'select', "'at'"],
      ['tags', 'name', 'insert', 'name:'],
      ['tags', '', 'insert', "'tags'"],
    ])
  })

  it('a table chosen at run time is unresolved for any table, at its line', () => {
    const code = `import knex from 'knex'
const db = knex({ client: 'pg' })

export const count = (table: string) => db(table).count('* as n')
export const byId = (name: string, id: number) => db.from(name).where('id', id).first()
`
    expect(unresolved(code)).toEqual([
      `${place(code, 'table).count')} (any table) a knex query on a table chosen at run time: table`,
      `${place(code, 'name).where')} (any table) a knex query on a table chosen at run time: name`,
    ])
  })
})

describe('the knex reader: what a query reads', () => {
  it('select lists: columns, a list, aliases, an object; none, select() or * is every column; first, pluck, distinct, count…', () => {
    const code = `${head}const COLUMNS = ['id', 'email']
export async function lists() {
  await db('users').select('id', 'email as mail')
  await db('users').select(['name']).first()
  await db('users').select({ handle: 'login' })
  await db('users').select(COLUMNS)
  await db('users').where('id', 1).first()
  await db('users').select()
  await db('orders').select('*')
  await db('orders').first('total')
  await db('orders').pluck('currency')
  await db('orders').distinct('status')
  await db('orders').count('* as n')
  await db('orders').sum('total').max({ top: 'total' }).countDistinct('user_id')
}
`
    expectUsages(code, [
      ['users', 'id', 'select', "'id', 'email'"],
      ['users', 'email', 'select', "'email']"],
      ['users', '', 'select', "'users'"],
      ['users', 'id', 'select', "'id', 'email as"],
      ['users', 'email', 'select', "'email as mail'"],
      ['users', '', 'select', "'users'", 2],
      ['users', 'name', 'select', "'name'"],
      ['users', '', 'select', "'users'", 3],
      ['users', 'login', 'select', "'login'"],
      ['users', '', 'select', "'users'", 4],
      ['users', '', 'select', "'users'", 5],
      ['users', '*', 'selectAll', "'users'", 5],
      ['users', 'id', 'where', "'id', 1"],
      ['users', '', 'select', "'users'", 6],
      ['users', '*', 'selectAll', 'select()'],
      ['orders', '', 'select', "'orders'"],
      ['orders', '*', 'selectAll', "'*'"],
      ['orders', '', 'select', "'orders'", 2],
      ['orders', 'total', 'select', "'total'"],
      ['orders', '', 'select', "'orders'", 3],
      ['orders', 'currency', 'select', "'currency'"],
      ['orders', '', 'select', "'orders'", 4],
      ['orders', 'status', 'select', "'status'"],
      ['orders', '', 'select', "'orders'", 5],
      ['orders', '', 'select', "'orders'", 6],
      ['orders', 'total', 'select', "'total').max"],
      ['orders', 'total', 'select', "'total' })"],
      ['orders', 'user_id', 'select', "'user_id'"],
    ])
  })

  it('conditions: where in every form, whereIn / whereNull / whereBetween / whereLike, or / and / not variants, having', () => {
    const code = `${head}export async function conditions(email: string, ids: number[]) {
  await db('users')
    .where('email', email)
    .where('age', '>', 18)
    .where({ status: 'active', 'users.org_id': 3 })
    .orWhere(function () {
      this.whereNull('deleted_at').andWhereNot('banned', true)
    })
    .whereIn('id', ids)
    .orWhereNotIn(['org_id', 'team_id'], [[1, 2]])
    .whereNotNull('verified_at')
    .whereBetween('created_at', [new Date(0), new Date()])
    .whereILike('name', '%ann%')
    .select('id')
  await db('orders').groupBy('user_id').having('user_id', '>', 10).orHavingNotNull('total').select('user_id')
}
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'email', 'where', "'email'"],
      ['users', 'age', 'where', "'age'"],
      ['users', 'status', 'where', 'status:'],
      ['users', 'org_id', 'where', "'users.org_id'"],
      ['users', 'deleted_at', 'where', "'deleted_at'"],
      ['users', 'banned', 'where', "'banned'"],
      ['users', 'id', 'where', "'id', ids"],
      ['users', 'org_id', 'where', "'org_id'"],
      ['users', 'team_id', 'where', "'team_id'"],
      ['users', 'verified_at', 'where', "'verified_at'"],
      ['users', 'created_at', 'where', "'created_at'"],
      ['users', 'name', 'where', "'name'"],
      ['users', 'id', 'select', "'id')\n  await"],
      ['orders', '', 'select', "'orders'"],
      ['orders', 'user_id', 'group', "'user_id')"],
      ['orders', 'user_id', 'where', "'user_id', '>'"],
      ['orders', 'total', 'where', "'total'"],
      ['orders', 'user_id', 'select', "'user_id')\n}"],
    ])
  })

  it('order and group: orderBy a column, a list with { column, order }; groupBy a list', () => {
    const code = `${head}export const page = () =>
  db('posts').select('title').orderBy('published_at', 'desc').orderBy([{ column: 'id', order: 'asc' }, 'slug']).groupBy(['title', 'id'])
`
    expectUsages(code, [
      ['posts', '', 'select', "'posts'"],
      ['posts', 'title', 'select', "'title'"],
      ['posts', 'published_at', 'order', "'published_at'"],
      ['posts', 'id', 'order', "'id'"],
      ['posts', 'slug', 'order', "'slug'"],
      ['posts', 'title', 'group', "'title', 'id'"],
      ['posts', 'id', 'group', "'id']"],
    ])
  })

  it('joins: the joined table and its condition, table.column through aliases, a join callback, an object condition', () => {
    const code = `${head}export async function joins() {
  await db('users as u')
    .join('orders as o', 'o.user_id', 'u.id')
    .leftJoin('payments', 'payments.order_id', '=', 'o.id')
    .select('u.email', 'o.total', 'payments.amount')
  await db('orders')
    .innerJoin('users', function () {
      this.on('users.id', '=', 'orders.user_id').andOnVal('users.status', '=', 'active').orOnNull('users.deleted_at')
    })
    .leftJoin({ c: 'coupons' }, { 'c.id': 'orders.coupon_id' })
    .select('orders.id')
}
`
    expectUsages(code, [
      ['users', '', 'select', "'users as u'"],
      ['orders', '', 'join', "'orders as o'"],
      ['orders', 'user_id', 'join', "'o.user_id'"],
      ['users', 'id', 'join', "'u.id'"],
      ['payments', '', 'join', "'payments',"],
      ['payments', 'order_id', 'join', "'payments.order_id'"],
      ['orders', 'id', 'join', "'o.id'"],
      ['users', 'email', 'select', "'u.email'"],
      ['orders', 'total', 'select', "'o.total'"],
      ['payments', 'amount', 'select', "'payments.amount'"],
      ['orders', '', 'select', "'orders')"],
      ['users', '', 'join', "'users', function"],
      ['users', 'id', 'join', "'users.id'"],
      ['orders', 'user_id', 'join', "'orders.user_id'"],
      ['users', 'status', 'join', "'users.status'"],
      ['users', 'deleted_at', 'join', "'users.deleted_at'"],
      ['coupons', '', 'join', "'coupons'"],
      ['coupons', 'id', 'join', "'c.id'"],
      ['orders', 'coupon_id', 'join', "'orders.coupon_id'"],
      ['orders', 'id', 'select', "'orders.id'"],
    ])
  })

  it('subqueries: whereIn with a builder or a callback, whereExists (no select *), from a derived table, a CTE, a union', () => {
    const code = `${head}export async function nested() {
  await db('users').whereIn('id', db('orders').select('user_id')).select('email')
  await db('users').whereIn('id', function () {
    this.select('user_id').from('payments')
  }).select('name')
  await db('users').whereExists(function () {
    this.select('*').from('sessions').whereRaw('sessions.user_id = users.id')
  }).select('id')
  await db.from(db('orders').select('user_id').as('o')).select('o.user_id')
  await db.with('recent', qb => qb.select('id').from('orders')).select('*').from('recent')
  await db.select('id').from('users').union(function () {
    this.select('id').from('admins')
  })
}
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'id', 'where', "'id', db("],
      ['orders', '', 'select', "'orders'"],
      ['orders', 'user_id', 'select', "'user_id'"],
      ['users', 'email', 'select', "'email'"],
      ['users', '', 'select', "'users'", 2],
      ['users', 'id', 'where', "'id', function"],
      ['payments', 'user_id', 'select', "'user_id').from('payments')"],
      ['payments', '', 'select', "'payments'"],
      ['users', 'name', 'select', "'name'"],
      ['users', '', 'select', "'users'", 3],
      ['sessions', '', 'select', "'sessions'"],
      ['sessions', 'user_id', 'where', 'sessions.user_id'],
      ['users', 'id', 'where', 'users.id'],
      ['users', 'id', 'select', "'id')\n  await db.from"],
      ['orders', 'user_id', 'select', "'user_id').as"],
      ['orders', '', 'select', "'orders').select('user_id').as"],
      ['orders', 'id', 'select', "'id').from('orders')"],
      ['orders', '', 'select', "'orders'))"],
      ['users', 'id', 'select', "'id').from('users')"],
      ['users', '', 'select', "'users').union"],
      ['admins', 'id', 'select', "'id').from('admins')"],
      ['admins', '', 'select', "'admins'"],
    ])
  })

  it('JSON columns: jsonExtract and whereJsonPath name their column', () => {
    const code = `${head}export const names = () => db('users').jsonExtract('profile', '$.name', 'name').whereJsonPath('settings', '$.theme', '=', 'dark')
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'profile', 'select', "'profile'"],
      ['users', 'settings', 'where', "'settings'"],
    ])
  })
})

describe('the knex reader: what a query writes', () => {
  it('insert: each key, in every row; returning; an INSERT statement with the columns every row sets', () => {
    const code = `${head}export async function add(input: { email: string }) {
  await db('users').insert({ email: input.email, name: 'n', nickname: undefined }).returning('id')
  await db('users').insert([{ email: 'a', name: 'b' }, { email: 'c' }], ['id', 'email'])
  await db('users').insert(input)
  await db('users').insert({ ...input, source: 'api' })
}
`
    const found = scanOne(code)
    expectUsages(code, [
      ['users', '', 'insert', "'users'"],
      ['users', 'email', 'insert', 'email: input'],
      ['users', 'name', 'insert', "name: 'n'"],
      ['users', 'id', 'returning', "'id')"],
      ['users', '', 'insert', "'users'", 2],
      ['users', 'email', 'insert', "email: 'a'"],
      ['users', 'name', 'insert', "name: 'b'"],
      ['users', 'email', 'insert', "email: 'c'"],
      ['users', 'id', 'returning', "'id', 'email'"],
      ['users', 'email', 'returning', "'email']"],
      ['users', '', 'insert', "'users'", 3],
      ['users', '*', 'insert', 'input)'],
      ['users', '', 'insert', "'users'", 4],
      ['users', '*', 'insert', '...input'],
      ['users', 'source', 'insert', 'source'],
    ])
    const loc = (nth: number) => ({ file: FILE, ...at(code, "'users'", nth) })
    expect(found.inserts).toEqual([
      { table: 'users', columns: ['email', 'name'], columnsKnown: true, loc: loc(1) },
      { table: 'users', columns: ['email'], columnsKnown: true, loc: loc(2) },
      { table: 'users', columns: [], columnsKnown: false, loc: loc(3) },
      { table: 'users', columns: ['source'], columnsKnown: false, loc: loc(4) },
    ])
  })

  it('a row held in a constant of the file is read by its keys', () => {
    const code = `${head}export async function seed() {
  const row = { email: 'root@example.com', role: 'admin' }
  await db('users').insert(row)
}
`
    expectUsages(code, [
      ['users', '', 'insert', "'users'"],
      ['users', 'email', 'insert', 'email:'],
      ['users', 'role', 'insert', 'role:'],
    ])
    expect(scanOne(code).inserts.map(i => [i.table, i.columns, i.columnsKnown])).toEqual([['users', ['email', 'role'], true]])
  })

  it('update (an object, a column and a value), increment / decrement, del / delete, returning *, upsert on conflict', () => {
    const code = `${head}export async function change(id: number) {
  await db('users').where({ id }).update({ name: 'x', updated_at: db.fn.now() }, ['id'])
  await db('users').where('id', id).update('last_seen_at', new Date())
  await db('accounts').where('id', id).increment('balance', 5).decrement({ credits: 1 })
  await db('sessions').where('user_id', id).del()
  await db('tokens').where('user_id', id).delete().returning('*')
  await db('users').insert({ email: 'a', name: 'b' }).onConflict('email').merge()
  await db('users').insert({ email: 'a', name: 'b' }).onConflict(['email']).merge(['name'])
  await db('users').insert({ email: 'a' }).onConflict('email').ignore()
}
`
    expectUsages(code, [
      ['users', '', 'update', "'users'"],
      ['users', 'id', 'where', 'id })'],
      ['users', 'name', 'update', "name: 'x'"],
      ['users', 'updated_at', 'update', 'updated_at'],
      ['users', 'id', 'returning', "'id']"],
      ['users', '', 'update', "'users'", 2],
      ['users', 'id', 'where', "'id', id).update('last_seen_at'"],
      ['users', 'last_seen_at', 'update', "'last_seen_at'"],
      ['accounts', '', 'update', "'accounts'"],
      ['accounts', 'id', 'where', "'id', id).increment"],
      ['accounts', 'balance', 'update', "'balance'"],
      ['accounts', 'credits', 'update', 'credits'],
      ['sessions', '', 'delete', "'sessions'"],
      ['sessions', 'user_id', 'where', "'user_id', id).del"],
      ['tokens', '', 'delete', "'tokens'"],
      ['tokens', 'user_id', 'where', "'user_id', id).delete"],
      ['tokens', '*', 'returning', "'*'"],
      ['users', '', 'insert', "'users'", 3],
      ['users', 'email', 'insert', "email: 'a', name: 'b' }).onConflict('email').merge()"],
      ['users', 'name', 'insert', "name: 'b' }).onConflict('email').merge()"],
      ['users', 'email', 'insert', "'email').merge()"],
      ['users', 'email', 'update', 'merge()'],
      ['users', 'name', 'update', 'merge()'],
      ['users', '', 'insert', "'users'", 4],
      ['users', 'email', 'insert', "email: 'a', name: 'b' }).onConflict(['email'])"],
      ['users', 'name', 'insert', "name: 'b' }).onConflict(['email'])"],
      ['users', 'email', 'insert', "'email']"],
      ['users', 'name', 'update', "'name']"],
      ['users', '', 'insert', "'users'", 5],
      ['users', 'email', 'insert', "email: 'a' })"],
      ['users', 'email', 'insert', "'email').ignore"],
    ])
  })
})

describe('the knex reader: raw SQL', () => {
  it('knex.raw with ? and ?? bindings, named :value and :column: bindings, read once with the SQL reader', () => {
    const code = `${head}export async function raws(id: number) {
  await db.raw('select email from users where id = ?', [id])
  await db.raw('select ?? from users where ?? = ?', ['name', 'org_id', id])
  await db.raw('update users set name = :name where id = :id and :col: is null', { name: 'x', id, col: 'deleted_at' })
  await db.raw(\`
    select o.total
    from orders o
    where o.user_id = ?\`, [id])
}
`
    expectUsages(code, [
      ['users', 'email', 'select', 'email from'],
      ['users', '', 'select', 'users where id'],
      ['users', 'id', 'where', 'id = ?'],
      ['users', 'name', 'select', "'name'"],
      ['users', '', 'select', 'users where ??'],
      ['users', 'org_id', 'where', "'org_id'"],
      ['users', '', 'update', 'users set'],
      ['users', 'name', 'update', 'name = :name'],
      ['users', 'id', 'where', 'id = :id'],
      ['users', 'deleted_at', 'where', "'deleted_at'"],
      ['orders', 'total', 'select', 'o.total'],
      ['orders', '', 'select', 'orders o'],
      ['orders', 'user_id', 'where', 'o.user_id = ?'],
    ])
    expect(scanOne(code).unresolved).toEqual([])
  })

  it('raw fragments in a query are read in its scope: whereRaw, orderByRaw, select(knex.raw(…)), a value', () => {
    const code = `${head}export const recent = (days: number) =>
  db('orders')
    .select(db.raw('sum(total) as revenue'), 'user_id')
    .whereRaw('placed_at > now() - ?::interval', [\`\${days} days\`])
    .orderByRaw('max(placed_at) desc nulls last')
    .groupBy('user_id')
`
    expectUsages(code, [
      ['orders', '', 'select', "'orders'"],
      ['orders', 'total', 'select', 'total)'],
      ['orders', 'user_id', 'select', "'user_id')\n    .where"],
      ['orders', 'placed_at', 'where', 'placed_at >'],
      ['orders', 'placed_at', 'order', 'placed_at) desc'],
      ['orders', 'user_id', 'group', "'user_id'", 2],
    ])
  })

  it('SQL that is not literal text, or an identifier binding that is not, is unresolved; SQL that does not parse is, for the query table', () => {
    const code = `${head}export async function dynamic(sql: string, column: string) {
  await db.raw(sql)
  await db('users').whereRaw('?? = 1', [column])
  await db('users').whereRaw('email = = ?', ['x']).select('id')
}
`
    expect(unresolved(code)).toEqual([
      `${place(code, 'sql)')} ? db.raw(sql): SQL built at run time`,
      `${place(code, "'?? = 1'")} users '?? = 1': an identifier binding that is not a literal: the column or table is chosen at run time`,
      expect.stringMatching(new RegExp(`^${place(code, "'email = =").split(':')[0]}:\\d+ users sql fragment does not parse`)),
    ])
  })
})

describe('the knex reader: builders held in variables', () => {
  it('a builder built up under conditions is one query: its select list is known, wherever it is said', () => {
    const code = `${head}export async function search(filters: { status?: string; q?: string }) {
  let query = db('users')
  if (filters.status) query = query.where('status', filters.status)
  if (filters.q) {
    query.whereILike('name', \`%\${filters.q}%\`)
  }
  return query.select('id', 'name').orderBy('name')
}

export async function everything() {
  const query = db('orgs').where('plan', 'pro')
  return query
}
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'status', 'where', "'status'"],
      ['users', 'name', 'where', "'name', `"],
      ['users', 'id', 'select', "'id'"],
      ['users', 'name', 'select', "'name').orderBy"],
      ['users', 'name', 'order', "'name')\n}"],
      ['orgs', '', 'select', "'orgs'"],
      ['orgs', '*', 'selectAll', "'orgs'"],
      ['orgs', 'plan', 'where', "'plan'"],
    ])
  })

  it('clone() forks the query: a count of it does not stand for the rows it returns', () => {
    const code = `${head}export async function paged(page: number) {
  const base = db('posts').where('published', true)
  const [{ total }] = await base.clone().count('* as total')
  const rows = await base.limit(20).offset(page * 20)
  return { total, rows }
}
`
    expectUsages(code, [
      ['posts', '', 'select', "'posts'"],
      ['posts', '*', 'selectAll', "'posts'"],
      ['posts', 'published', 'where', "'published'"],
    ])
  })
})

describe('the knex reader: what it leaves unresolved', () => {
  it('conditions and columns held in variables, modify with a function from elsewhere, a method it does not know', () => {
    const code = `${head}import { scoped } from './scopes'

export async function list(filters: Record<string, unknown>, columns: string[]) {
  await db('users').where(filters).select(columns).modify(scoped, 'eu').whereFancy('x')
}
`
    expect(unresolved(code)).toEqual([
      `${place(code, 'filters).select')} users where(filters): the columns it compares are not known`,
      `${place(code, 'columns).modify')} users the columns of columns are not known`,
      `${place(code, 'scoped,')} users modify(scoped): what the function adds to the query is not read`,
      `${place(code, 'whereFancy')} users knex .whereFancy(…) is not read: the columns it names are not known`,
    ])
  })

  it('an inline modify callback is read as the query', () => {
    const code = `${head}export const visible = (onlyVerified: boolean) =>
  db('users').modify(qb => {
    if (onlyVerified) qb.whereNotNull('verified_at')
  }).select('id')
`
    expectUsages(code, [
      ['users', '', 'select', "'users'"],
      ['users', 'verified_at', 'where', "'verified_at'"],
      ['users', 'id', 'select', "'id'"],
    ])
    expect(scanOne(code).unresolved).toEqual([])
  })
})

describe('the knex reader: builders handed to functions', () => {
  it('a function only this file calls is read with the builder each call hands it (a filter helper, a modifier)', () => {
    const code = `const knex = require('knex')({ client: 'pg' })

function applyFilters(query, filters) {
  if (filters.status) query.where('status', filters.status)
  if (filters.email) query.where({ email: filters.email })
  return query
}

function notDeleted(qb) {
  qb.whereNull('deleted_at')
}

async function list(filters) {
  return applyFilters(knex('users').select('id'), filters).modify(notDeleted)
}

async function orders(filters) {
  return applyFilters(knex('orders').select('total'), filters)
}

module.exports = { list, orders }
`
    expectUsages(
      code,
      [
        ['users', 'status', 'where', "'status'"],
        ['orders', 'status', 'where', "'status'"],
        ['users', 'email', 'where', 'email:'],
        ['orders', 'email', 'where', 'email:'],
        ['users', 'deleted_at', 'where', "'deleted_at'"],
        ['users', '', 'select', "'users'"],
        ['users', 'id', 'select', "'id'"],
        ['orders', '', 'select', "'orders'"],
        ['orders', 'total', 'select', "'total'"],
      ],
      'src/repo.js',
    )
    expect(unresolved(code, 'src/repo.js')).toEqual([])
  })

  it('a function other files may call: read at its calls here, and its builder chains unresolved for any table', () => {
    const code = `import { db } from './db'

export function activeOnly(qb) {
  return qb.where('active', true).orderBy('name')
}

export const names = () => activeOnly(db('users').select('name'))
`
    expectUsages(code, [
      ['users', 'active', 'where', "'active'"],
      ['users', 'name', 'order', "'name')"],
      ['users', '', 'select', "'users'"],
      ['users', 'name', 'select', "'name'))"],
    ])
    expect(unresolved(code)).toEqual([
      `${place(code, 'qb.where')} (any table) qb.where('active', true).orderBy('name'): the knex builder qb is handed in (other files may call the function), its table is not known`,
    ])
  })

  it('typed helpers of a repository class: a private method returning the base query, one taking a Knex.QueryBuilder', () => {
    const code = `import type { Knex } from 'knex'

export class PostRepository {
  constructor(private readonly db: Knex) {}

  private base() {
    return this.db('posts').where('published', true)
  }

  private withAuthor(qb: Knex.QueryBuilder) {
    return qb.join('users', 'users.id', 'posts.author_id').select('users.name')
  }

  list() {
    return this.withAuthor(this.base()).select('posts.title')
  }

  recent() {
    return this.base().orderBy('created_at', 'desc').limit(5)
  }
}

export function scoped(qb: Knex.QueryBuilder) {
  return qb.whereNull('deleted_at')
}
`
    expectUsages(code, [
      ['posts', '', 'select', "'posts'"],
      ['posts', '*', 'selectAll', "'posts'"],
      ['posts', 'published', 'where', "'published'"],
      ['users', '', 'join', "'users'"],
      ['users', 'id', 'join', "'users.id'"],
      ['posts', 'author_id', 'join', "'posts.author_id'"],
      ['users', 'name', 'select', "'users.name'"],
      ['posts', 'title', 'select', "'posts.title'"],
      ['posts', 'created_at', 'order', "'created_at'"],
    ])
    expect(unresolved(code)).toEqual([
      `${place(code, 'qb.whereNull')} (any table) qb.whereNull('deleted_at'): the knex builder qb is handed in (other files may call the function), its table is not known`,
    ])
  })

  it('a function only this file calls, handed something the reader does not know at one call: unresolved there', () => {
    const code = `${head}function byOrg(query, orgId) {
  return query.where('org_id', orgId)
}

export const members = (source, orgId) => byOrg(source, orgId).select('id')
`
    expect(unresolved(code)).toEqual([
      `${place(code, 'query.where')} (any table) query.where('org_id', orgId): the knex builder query is handed in (a call at line 8 hands it no builder the reader knows), its table is not known`,
    ])
  })

  it('an instance handed in by parameter names its table with from / into: read as a query, no builder from elsewhere', () => {
    const code = `export function create(trx, row) {
  return trx.insert(row).into('users')
}
`
    expectUsages(code, [
      ['users', '*', 'insert', 'row).into'],
      ['users', '', 'insert', "'users'"],
    ], 'src/repo.js')
    expect(scanOne(code, 'src/repo.js').inserts.map(i => [i.table, i.columnsKnown])).toEqual([['users', false]])
  })

  it('a helper module that never names knex: a parameter used as a builder is unresolved for any table', () => {
    const code = `export const active = qb => qb.where({ active: true })\n`
    expect(unresolved(code, 'src/scopes.js')).toEqual([
      `1:29 (any table) qb.where({ active: true }): the knex builder qb is handed in (other files may call the function), its table is not known`,
    ])
  })

  it('a file that uses Kysely and never names knex is the Kysely reader\'s: its helpers and db(…) calls are not knex', () => {
    const code = `import { db } from './db'
import { legacy } from './legacy'

export const ids = () => db.selectFrom('users').select('id').execute()
export const old = () => legacy('accounts').where('closed', false)
export const scoped = (qb) => qb.where('org_id', '=', 1)
`
    const found = scanOne(code)
    expect(found.usages.filter(u => u.table === 'accounts')).toEqual([])
    expect(found.unresolved.filter(u => u.reason.includes('knex'))).toEqual([])
  })
})
