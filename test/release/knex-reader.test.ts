// Issue 13, end to end: the previous release's knex queries, in a real git repository, against the
// schema this release leaves. A column a knex query of the old code names blocks its drop and its
// rename at the reading line; one no query names does not; a query on a computed table is unproven.
import { describe, expect, it } from 'vitest'
import { TestRepo } from './git-repo.js'
import { lintSinceV1 as lint } from './release-lint.js'

const schema = `CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  display_name text,
  phone text,
  order_count integer NOT NULL DEFAULT 0,
  updated_at timestamptz
);
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, status text NOT NULL);
CREATE TABLE order_items (order_id bigint NOT NULL REFERENCES orders, product_id bigint NOT NULL, quantity integer NOT NULL);
`

/** The knex instance, made once; the other modules import it. */
const client = `import knex from 'knex'

export const db = knex({ client: 'pg', connection: process.env.DATABASE_URL })
`

/** A repository class over an injected Knex: the select list names the columns it reads. */
const repository = `import type { Knex } from 'knex'
import { db } from '../db'

export interface User {
  id: number
  email: string
  displayName: string | null
}

export class UserRepository {
  constructor(private readonly knex: Knex = db) {}

  async findByEmail(email: string): Promise<User | undefined> {
    return this.knex('users').select('id', 'email', 'display_name as displayName').where({ email }).first()
  }

  async rename(id: number, displayName: string): Promise<void> {
    await this.knex('users').where({ id }).update({ display_name: displayName, updated_at: this.knex.fn.now() })
  }
}
`

/** A service writing in one transaction. */
const service = `import { db } from '../db'

export async function placeOrder(userId: number, items: { productId: number; quantity: number }[]) {
  return db.transaction(async trx => {
    const [order] = await trx('orders').insert({ user_id: userId, status: 'new' }).returning('id')
    await trx('order_items').insert(items.map(i => ({ order_id: order.id, product_id: i.productId, quantity: i.quantity })))
    await trx('users').where('id', userId).increment('order_count', 1)
    return order
  })
}
`

function v1(extra: Record<string, string> = {}): TestRepo {
  return new TestRepo()
    .commit('v1.0', {
      'migrations/001_schema.sql': schema,
      'src/db.ts': client,
      'src/users/repository.ts': repository,
      'src/orders/service.ts': service,
      ...extra,
    })
    .tag('v1.0')
}

describe('the knex reader, end to end', () => {
  it('a column the old knex code selects: dropping it is not revert-safe, at the reading line', () => {
    const repo = v1().commit('drop email', { 'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_email.sql:1:1')
    expect(doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message).toContain('src/users/repository.ts:14 selects users.email')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(code).toBe(1)
  })

  it('a column only a transaction writes (increment): dropping it is not revert-safe either', () => {
    const repo = v1().commit('drop order_count', { 'migrations/002_drop_count.sql': 'ALTER TABLE users DROP COLUMN order_count;\n' })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('drop-column-still-read migrations/002_drop_count.sql:1:1')
    expect(doc.findings.find(f => f.ruleId === 'drop-column-still-read')!.message).toContain('src/orders/service.ts:7 updates users.order_count')
    expect(code).toBe(1)
  })

  it('control: a column no knex query names: dropping it is revert-safe, exit 0', () => {
    const repo = v1().commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code, doc, found } = lint(repo)
    expect(found.filter(f => f.startsWith('drop-column-still-read') || f.startsWith('unproven-change'))).toEqual([])
    expect(doc.release).toMatchObject({ verdict: 'revert-safe', revertSafe: true, unproven: [] })
    expect(code).toBe(0)
  })

  it('renaming a column the old knex code reads and writes is caught, with where it uses it', () => {
    const repo = v1().commit('rename display_name', {
      'migrations/002_rename.sql': 'ALTER TABLE users RENAME COLUMN display_name TO full_name;\n',
    })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('rename-column migrations/002_rename.sql:1:1')
    expect(doc.findings.find(f => f.ruleId === 'rename-column')!.message).toContain('src/users/repository.ts:14')
    expect(doc.release).toMatchObject({ verdict: 'not-revert-safe', revertSafe: false })
    expect(code).toBe(1)
  })

  it('a knex query on a table chosen at run time makes a drop no query names unproven, pointing at it', () => {
    const exporter = `import { db } from '../db'

export async function dump(table: string) {
  return db(table).select('*')
}
`
    const repo = v1({ 'src/admin/export.ts': exporter }).commit('drop phone', { 'migrations/002_drop_phone.sql': 'ALTER TABLE users DROP COLUMN phone;\n' })
    const { code, doc, found } = lint(repo)
    expect(found).toContain('unproven-change migrations/002_drop_phone.sql:1:1')
    expect(doc.release).toMatchObject({ verdict: 'unproven', revertSafe: false })
    expect(doc.release.unproven).toEqual([
      { file: 'migrations/002_drop_phone.sql', line: 1, reason: expect.stringContaining('src/admin/export.ts:4 a query there could not be resolved (a knex query on a table chosen at run time') },
    ])
    expect(code).toBe(1)
  })
})
