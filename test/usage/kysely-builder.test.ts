import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { insertsInto, omits, usagesOf } from '../../src/usage/index.js'
import { at, brief, FILE, scanOne, usage } from './helpers.js'

beforeAll(() => loadParser())

describe('Kysely selects', () => {
  const text = `export async function find(db: Kysely<DB>, id: number) {
  return await db
    .selectFrom('person as p')
    .select(['p.email', 'first_name as name'])
    .where('p.id', '=', id)
    .orderBy('p.created_at', 'desc')
    .groupBy('p.status')
    .execute()
}
`
  const scan = scanOne(text)

  it('resolves the alias and strips `as name`', () => {
    expect(scan.usages).toEqual([
      usage(text, 'person', '', 'select', "'person as p'"),
      usage(text, 'person', 'email', 'select', "'p.email'"),
      usage(text, 'person', 'first_name', 'select', "'first_name as name'"),
      usage(text, 'person', 'id', 'where', "'p.id'"),
      usage(text, 'person', 'created_at', 'order', "'p.created_at'"),
      usage(text, 'person', 'status', 'group', "'p.status'"),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('takes the value side of where() as a value, not a column', () => {
    const t = `db.selectFrom('person').select('id').where('status', '=', 'active').execute()`
    expect(brief(scanOne(t))).toEqual(['person.(table) select', 'person.id select', 'person.status where'])
  })

  it('reads selectAll() as every column of the tables in scope', () => {
    const t = `const a = await db.selectFrom('person').selectAll().execute()
const b = await db.selectFrom('person as p').innerJoin('pet', 'pet.owner_id', 'p.id').selectAll('p').execute()
`
    const s = scanOne(t)
    expect(usagesOf(s, 'person', '*')).toEqual([
      usage(t, 'person', '*', 'selectAll', 'selectAll'),
      usage(t, 'person', '*', 'selectAll', "'p'", 1),
    ])
    expect(usagesOf(s, 'pet', '*')).toEqual([])
    // '*' counts for every column of the table
    expect(usagesOf(s, 'person', 'email').map(u => u.kind)).toEqual(['selectAll', 'selectAll'])
  })

  it('follows joins: alias, the ON columns, and a join callback', () => {
    const t = `db.selectFrom('person as p')
  .innerJoin('pet as pt', 'pt.owner_id', 'p.id')
  .leftJoin('toy', join => join.onRef('toy.pet_id', '=', 'pt.id').on('toy.kind', '=', 'ball'))
  .select(['pt.name', 'toy.color'])
  .execute()
`
    const s = scanOne(t)
    expect(s.usages).toEqual([
      usage(t, 'person', '', 'select', "'person as p'"),
      usage(t, 'pet', '', 'join', "'pet as pt'"),
      usage(t, 'pet', 'owner_id', 'join', "'pt.owner_id'"),
      usage(t, 'person', 'id', 'join', "'p.id'"),
      usage(t, 'toy', '', 'join', "'toy'"),
      usage(t, 'toy', 'pet_id', 'join', "'toy.pet_id'"),
      usage(t, 'pet', 'id', 'join', "'pt.id'"),
      usage(t, 'toy', 'kind', 'join', "'toy.kind'"),
      usage(t, 'pet', 'name', 'select', "'pt.name'"),
      usage(t, 'toy', 'color', 'select', "'toy.color'"),
    ])
  })

  it('gives an unqualified column to every table in scope when several are (conservative)', () => {
    const t = `db.selectFrom(['person', 'pet']).select('name').execute()`
    expect(brief(scanOne(t))).toEqual(['person.(table) select', 'pet.(table) select', 'person.name select', 'pet.name select'])
  })

  it('reads column references inside callbacks, subqueries included, each in its own scope', () => {
    const t = `db.selectFrom('person as p')
  .select(eb => [
    eb.ref('p.first_name').as('n'),
    eb.selectFrom('pet').select(eb.fn.count('pet.id').as('c')).whereRef('pet.owner_id', '=', 'p.id').as('pets'),
  ])
  .where(eb => eb.or([eb('email', '=', x), eb('age', '>', 18)]))
  .where(eb => eb.and({ status: 'active', kind: eb.ref('p.default_kind') }))
  .execute()
`
    expect(brief(scanOne(t))).toEqual([
      'person.(table) select',
      'person.first_name select',
      'pet.(table) select',
      'pet.id select',
      'pet.owner_id where',
      'person.id where',
      'person.email where',
      'person.age where',
      'person.status where',
      'person.kind where',
      'person.default_kind where',
    ])
  })

  it('works on any receiver, through withSchema, $if, and a builder kept in a variable', () => {
    const t = `class Repo {
  list(filter) {
    let query = this.db.withSchema('audit').selectFrom('events').select('kind')
    if (filter.actor) query = query.where('actor_id', '=', filter.actor)
    return query.$if(filter.recent, qb => qb.where('at', '>', since)).execute()
  }
}
`
    const s = scanOne(t)
    expect(s.usages).toEqual([
      usage(t, 'audit.events', '', 'select', "'events'"),
      usage(t, 'audit.events', 'kind', 'select', "'kind'"),
      usage(t, 'audit.events', 'actor_id', 'where', "'actor_id'"),
      usage(t, 'audit.events', 'at', 'where', "'at'"),
    ])
  })

  it('resolves a table name held in a const, and names from a CTE are not tables', () => {
    const t = `const TABLE = 'person'
db.with('recent', db => db.selectFrom(TABLE).select('id').where('created_at', '>', d)).selectFrom('recent').selectAll().execute()
`
    expect(brief(scanOne(t))).toEqual(['person.(table) select', 'person.id select', 'person.created_at where'])
  })
})

describe('queries started elsewhere in the file', () => {
  it('continues the query that a function or a method of the class returns', () => {
    const text = `function reportQuery(db) {
  return db.selectFrom('report as r').innerJoin('event as e', 'e.id', 'r.event_id')
}
export async function list(db, status) {
  let builder = reportQuery(db)
  builder = builder.where('r.status', '=', status)
  return reportQuery(db).orderBy('e.created_at').execute()
}
class Repo {
  find(id) {
    return this.base().where('id', '=', id).execute()
  }
  base() {
    return this.db.selectFrom('person')
  }
}
`
    const s = scanOne(text)
    expect(usagesOf(s, 'report', 'status')).toEqual([usage(text, 'report', 'status', 'where', "'r.status'")])
    expect(usagesOf(s, 'event', 'created_at')).toEqual([usage(text, 'event', 'created_at', 'order', "'e.created_at'")])
    expect(usagesOf(s, 'person', 'id')).toEqual([usage(text, 'person', 'id', 'where', "'id'")])
  })

  it('reads a subquery held in a variable as a derived table, not as a table', () => {
    const text = `const recent = db.selectFrom('like').select(['like.creator', 'like.sortAt']).as('recent')
const rows = await db.selectFrom(recent).innerJoin('follow', join => join.onRef('follow.subject', '=', 'recent.creator')).select('recent.sortAt').execute()
`
    const s = scanOne(text)
    expect(s.unresolved).toEqual([])
    expect(brief(s)).toEqual([
      'like.(table) select',
      'like.creator select',
      'like.sortAt select',
      'follow.(table) join',
      'follow.subject join',
    ])
  })

  it('reads the keys of a row object declared in the file', () => {
    const text = `const row = { uri, cid, title: t }
await db.insertInto('embed').values(row).execute()
const rows = images.map((img, i) => ({ uri, position: i }))
await db.insertInto('image').values(rows).execute()
`
    const s = scanOne(text)
    expect(insertsInto(s, 'embed').map(i => [i.columns, i.columnsKnown])).toEqual([[['cid', 'title', 'uri'], true]])
    expect(insertsInto(s, 'image').map(i => [i.columns, i.columnsKnown])).toEqual([[['position', 'uri'], true]])
    expect(usagesOf(s, 'embed', 'title')).toEqual([usage(text, 'embed', 'title', 'insert', 'title')])
  })

  it('counts a qualified db.dynamic.ref / sql.ref outside a chain for the table it names', () => {
    const text = `const keyset = new TimeCidKeyset(db.dynamic.ref('like.sortAt'), sql.ref('like.cid'))
sql.ref('alone')
return paginate(db.selectFrom('like').select('uri'), { keyset })
`
    expect(brief(scanOne(text))).toEqual(['like.sortAt select', 'like.cid select', 'like.(table) select', 'like.uri select'])
  })

  it('does not take methods named like Object.prototype members for query methods', () => {
    const text = `db.selectFrom('person').select('id').execute()
const id = res.at(-1)?.id.toString(10)
const token = ui8.toString(crypto.randomBytes(32), 'base64')
const c = x.constructor('a')
`
    const s = scanOne(text)
    expect(s.unresolved).toEqual([])
    expect(brief(s)).toEqual(['person.(table) select', 'person.id select'])
  })
})

describe('Kysely writes', () => {
  it('reads values() keys as inserted columns, and insertsInto() gives the column set', () => {
    const text = `await db.insertInto('person').values({ email, first_name: 'Ada' }).returning(['id', 'created_at']).execute()
await db.insertInto('person').values([{ email: 'a', last_name: 'b' }, { email: 'c' }]).execute()
await db.insertInto('person').values({ ...input, id: 1 }).execute()
`
    const s = scanOne(text)
    expect(usagesOf(s, 'person').filter(u => u.kind === 'insert' || u.kind === 'returning').slice(0, 5)).toEqual([
      usage(text, 'person', '', 'insert', "'person'"),
      usage(text, 'person', 'email', 'insert', 'email'),
      { ...usage(text, 'person', 'first_name', 'insert', 'first_name'), nonNullLiteral: true },
      usage(text, 'person', 'id', 'returning', "'id'"),
      usage(text, 'person', 'created_at', 'returning', "'created_at'"),
    ])
    expect(insertsInto(s, 'person')).toEqual([
      { table: 'person', columns: ['email', 'first_name'], columnsKnown: true, loc: { file: FILE, line: 1, column: 21 } },
      // the second row leaves last_name out: it gets its DEFAULT
      { table: 'person', columns: ['email'], columnsKnown: true, loc: { file: FILE, ...at(text, "'person'", 2) } },
      // a spread may set any column
      { table: 'person', columns: ['id'], columnsKnown: false, loc: { file: FILE, ...at(text, "'person'", 3) } },
    ])
    const [first, second, spread] = insertsInto(s, 'person')
    expect([omits(first, 'last_name'), omits(second, 'last_name'), omits(spread, 'last_name')]).toEqual([true, true, false])
    expect(usagesOf(s, 'person', 'status').map(u => `${u.column} ${u.kind} ${u.loc.line}`)).toEqual(['* insert 3'])
  })

  it('reads columns([...]) and onConflict', () => {
    const text = `db.insertInto('person').columns(['email', 'name']).expression(sel).execute()
db.insertInto('person').values({ email: e }).onConflict(oc => oc.column('email').doUpdateSet({ name: eb => eb.ref('excluded.name') })).execute()
`
    const s = scanOne(text)
    expect(insertsInto(s, 'person').map(i => i.columns)).toEqual([['email', 'name'], ['email']])
    expect(brief(s).slice(3)).toEqual([
      'person.(table) insert',
      'person.email insert',
      'person.email insert',
      'person.name update',
      'person.name select',
    ])
  })

  it('reads set() keys as updated columns', () => {
    const text = `await db.updateTable('person as p').set({ email: next, updated_at: now }).where('p.id', '=', id).returningAll().execute()
await db.updateTable('person').set('status', 'gone').execute()
`
    expect(scanOne(text).usages).toEqual([
      usage(text, 'person', '', 'update', "'person as p'"),
      usage(text, 'person', 'email', 'update', 'email'),
      usage(text, 'person', 'updated_at', 'update', 'updated_at'),
      usage(text, 'person', 'id', 'where', "'p.id'"),
      usage(text, 'person', '*', 'returning', 'returningAll'),
      usage(text, 'person', '', 'update', "'person'"),
      usage(text, 'person', 'status', 'update', "'status'"),
    ])
  })

  it('reads deleteFrom() as a use of the table, not of a column', () => {
    const text = `await db.deleteFrom('session').where('expires_at', '<', now).returning('id').execute()`
    const s = scanOne(text)
    expect(s.usages).toEqual([
      usage(text, 'session', '', 'delete', "'session'"),
      usage(text, 'session', 'expires_at', 'where', "'expires_at'"),
      usage(text, 'session', 'id', 'returning', "'id'"),
    ])
    expect(usagesOf(s, 'session', 'token')).toEqual([])
    expect(usagesOf(s, 'session').length).toBe(3)
  })
})

describe('Kysely writes of a literal (Usage.nonNullLiteral, read by set-not-null)', () => {
  it('flags a key whose value is a literal other than null in that row, and nothing else', () => {
    const text = `await db.insertInto('person').values({ email: 'a@b.c', age: 3, admin: false, note: \`hi\`, nick: null, name, tag: \`\${x}\`, bio: undefined }).execute()
await db.updateTable('person').set({ status: 'active', email: input.email }).execute()
`
    const s = scanOne(text)
    const flagged = s.usages.filter(u => u.nonNullLiteral).map(u => `${u.column} ${u.kind} ${u.loc.line}:${u.loc.column}`)
    expect(flagged).toEqual([
      `email insert 1:${at(text, 'email').column}`,
      `age insert 1:${at(text, 'age').column}`,
      `admin insert 1:${at(text, 'admin').column}`,
      `note insert 1:${at(text, 'note').column}`,
      `status update 2:${at(text, 'status').column}`,
    ])
    expect(brief(s)).toContain('person.nick insert')
    expect(brief(s)).toContain('person.name insert')
  })
})
