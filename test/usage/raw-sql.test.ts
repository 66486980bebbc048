import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { insertsInto, usagesOf } from '../../src/usage/index.js'
import { at, brief, FILE, scanOne, usage } from './helpers.js'

beforeAll(() => loadParser())

describe('raw SQL', () => {
  it('reads a sql template with a join and SELECT *, each column at its own line', () => {
    const text = `export async function owners(db: Kysely<DB>, min: number) {
  const { rows } = await sql<Row>\`
    SELECT p.*, pet.name
    FROM person p
    JOIN pet ON pet.owner_id = p.id
    WHERE p.age > \${min}
    ORDER BY pet.name
  \`.execute(db)
  return rows
}
`
    expect(scanOne(text).usages).toEqual([
      usage(text, 'person', '*', 'selectAll', 'p.*'),
      usage(text, 'pet', 'name', 'select', 'pet.name'),
      usage(text, 'person', '', 'select', 'person p'),
      usage(text, 'pet', '', 'join', 'pet ON'),
      usage(text, 'pet', 'owner_id', 'join', 'pet.owner_id'),
      usage(text, 'person', 'id', 'join', 'p.id'),
      usage(text, 'person', 'age', 'where', 'p.age'),
      usage(text, 'pet', 'name', 'order', 'pet.name', 2),
    ])
  })

  it("reads a string passed to .query('…')", () => {
    const text = `const { rows } = await pool.query('SELECT email, name FROM users WHERE id = $1', [id])\n`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'users', 'email', 'select', 'email'),
      usage(text, 'users', 'name', 'select', 'name'),
      usage(text, 'users', '', 'select', 'users'),
      usage(text, 'users', 'id', 'where', 'id ='),
    ])
  })

  it('reads SELECT * as every column of every table in the FROM list, joined ones included', () => {
    const text = `await client.query(\`SELECT * FROM orders o, users u WHERE o.user_id = u.id\`)
const { rows } = await sql\`SELECT * FROM person JOIN pet ON pet.owner_id = person.id\`.execute(db)
`
    const scan = scanOne(text)
    expect(usagesOf(scan, 'users', 'email')).toEqual([usage(text, 'users', '*', 'selectAll', '*')])
    expect(usagesOf(scan, 'pet', 'name')).toEqual([usage(text, 'pet', '*', 'selectAll', '*', 2)])
    expect(usagesOf(scan, 'person', 'name')).toEqual([usage(text, 'person', '*', 'selectAll', '*', 2)])
  })

  it('reads .raw() strings, INSERT column lists (DEFAULT leaves a column out), UPDATE SET and DELETE', () => {
    const text = `await knex.raw("INSERT INTO person (email, name) VALUES ($1, DEFAULT) ON CONFLICT (email) DO UPDATE SET name = excluded.name RETURNING id")
await sql\`UPDATE person SET name = upper(nick) WHERE id = \${id}\`.execute(db)
await sql\`DELETE FROM person USING pet WHERE pet.owner_id = person.id\`.execute(db)
`
    const scan = scanOne(text)
    expect(brief(scan)).toEqual([
      'person.(table) insert',
      'person.email insert',
      'person.name insert',
      'person.email insert',
      'person.name update',
      'person.name select',
      'person.id returning',
      'person.(table) update',
      'person.name update',
      'person.nick select',
      'person.id where',
      'person.(table) delete',
      'pet.(table) join',
      'pet.owner_id where',
      'person.id where',
    ])
    expect(insertsInto(scan, 'person')).toEqual([
      { table: 'person', columns: ['email'], columnsKnown: true, loc: { file: FILE, ...at(text, 'person') } },
    ])
  })

  it('reads CTEs and subqueries: their own tables count, their output columns are not table columns', () => {
    const text = `sql\`WITH adults AS (SELECT id FROM person WHERE age >= 18)
SELECT a.id, (SELECT max(pet.age) FROM pet WHERE pet.owner_id = a.id) AS oldest FROM adults a ORDER BY oldest\``
    expect(brief(scanOne(text))).toEqual([
      'person.id select',
      'person.(table) select',
      'person.age where',
      'pet.age select',
      'pet.(table) select',
      'pet.owner_id where',
    ])
  })

  it('reads sql.ref / sql.table with literal names, and says when a name is computed', () => {
    const text = `await sql\`SELECT \${sql.ref('p.email')} FROM \${sql.table('person')} p\`.execute(db)
await sql\`SELECT * FROM \${sql.table(name)}\`.execute(db)
`
    const scan = scanOne(text)
    expect(brief(scan)).toEqual(['person.email select', 'person.(table) select'])
    expect(scan.unresolved).toEqual([
      { file: FILE, ...at(text, 'sql.table(name)'), reason: 'sql.table(…) with a computed name: its table is not known' },
    ])
  })

  it('reads a sql fragment inside a Kysely chain in the scope of the chain', () => {
    const text = `db.selectFrom('person')
  .select(sql<string>\`concat(first_name, ' ', last_name)\`.as('full'))
  .where(sql\`lower(email)\`, '=', x)
  .orderBy(sql\`created_at desc nulls last\`)
  .modifyEnd(sql\`for update skip locked\`)
  .execute()
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([
      usage(text, 'person', '', 'select', "'person'"),
      usage(text, 'person', 'first_name', 'select', 'first_name'),
      usage(text, 'person', 'last_name', 'select', 'last_name'),
      usage(text, 'person', 'email', 'where', 'email'),
      usage(text, 'person', 'created_at', 'order', 'created_at'),
    ])
    expect(scan.unresolved).toEqual([])
  })

  it('says when SQL does not parse, at the offending token', () => {
    const text = `await sql\`
  SELECT id FROM person WHERE WHERE
\`.execute(db)
`
    expect(scanOne(text).unresolved).toEqual([
      { file: FILE, ...at(text, 'WHERE', 2), reason: 'SQL does not parse: syntax error at or near "WHERE"' },
    ])
  })

  it('neither reads nor reports statements that use no column, nor sql.join separators', () => {
    const text = `conn.query(\`listen \${channel}\`)
await sql\`SET LOCAL statement_timeout = 5000\`.execute(trx)
const list = sql\`(values (\${sql.join(values, sql\`), (\`)}))\`
qb.where(sql\`(\${sql.join(conditions, sql\` OR \`)})\`)
`
    const scan = scanOne(text)
    expect(scan.usages).toEqual([])
    expect(scan.unresolved).toEqual([])
  })

  it('leaves alone .query() strings that are not SQL', () => {
    const scan = scanOne(`graph.query('{ users { email } }')\nrouter.query('page')\n`)
    expect(scan.usages).toEqual([])
    expect(scan.unresolved).toEqual([])
  })
})

describe('raw SQL INSERT of literals (Usage.nonNullLiteral, read by set-not-null)', () => {
  it('flags a column whose every VALUES row is a literal other than NULL, and no other', () => {
    const text = `await sql\`INSERT INTO person (email, age, nick, name, kind, uid) VALUES ('a', 1, NULL, \${name}, 'x', 'u'::uuid), ('b', 2, 'n', 'm', now(), '00'::uuid)\`.execute(db)
await sql\`INSERT INTO person (email) SELECT 'c'\`.execute(db)
`
    const scan = scanOne(text)
    const flagged = scan.usages.filter(u => u.nonNullLiteral).map(u => `${u.table}.${u.column} ${u.loc.line}:${u.loc.column}`)
    expect(flagged).toEqual([`person.email 1:${at(text, 'email').column}`, `person.age 1:${at(text, 'age').column}`, `person.uid 1:${at(text, 'uid').column}`])
    expect(brief(scan).filter(b => b.endsWith(' insert'))).toEqual([
      'person.(table) insert',
      'person.email insert',
      'person.age insert',
      'person.nick insert',
      'person.name insert',
      'person.kind insert',
      'person.uid insert',
      'person.(table) insert',
      'person.email insert',
    ])
  })
})
