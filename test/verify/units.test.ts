// The pure parts of verify: raw SQL taken from the code, probes, schema diffs, lock modes, progress, URLs.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { scanUsage } from '../../src/usage/scan.js'
import { describeDifference, diffSnapshots } from '../../src/verify/diff.js'
import { modeName } from '../../src/verify/findings.js'
import { heldLock } from '../../src/verify/locks.js'
import { buildProbes, probeSql } from '../../src/verify/probes.js'
import { NO_PROGRESS, progressFor } from '../../src/verify/progress.js'
import { rawQueries } from '../../src/verify/raw-queries.js'
import { serverLabel } from '../../src/verify/database-url.js'
import { withDatabase } from '../../src/verify/server-engine.js'
import { keyOf, type SchemaObject, type SchemaSnapshot } from '../../src/verify/snapshot.js'

beforeAll(() => loadParser())

describe('raw SQL of the base code', () => {
  const queries = (text: string) => rawQueries([{ path: 'src/q.ts', text }])

  it('takes statements as written, each ${…} a parameter, Kysely helpers with literal names as text', () => {
    const text = [
      'export const a = (db, id) => sql`SELECT email',
      '  FROM ${sql.table("users")} WHERE ${sql.ref("users.id")} = ${id}`.execute(db)',
      "export const b = (c) => c.query('UPDATE users SET name = $1 WHERE id = $2;', ['x', 1])",
    ].join('\n')
    expect(queries(text)).toEqual([
      { sql: 'SELECT email\n  FROM "users" WHERE "users"."id" = $1', file: 'src/q.ts', line: 1, column: 33, endLine: 2, tables: ['users'] },
      { sql: 'UPDATE users SET name = $1 WHERE id = $2', file: 'src/q.ts', line: 3, column: 33, endLine: 3, tables: ['users'] },
    ])
  })

  it('leaves out fragments, other statements, batches and text that cannot be known', () => {
    const text = [
      "db.selectFrom('users').select(sql`lower(email)`.as('e'))",
      "c.query('CREATE TABLE x (id int)')",
      "c.query('SELECT 1; SELECT 2')",
      'sql`SELECT * FROM ${sql.table(name)}`',
      "c.query(text)",
    ].join('\n')
    expect(queries(text)).toEqual([])
  })
})

describe('probes of the base code', () => {
  it('one per table and use: reads prove the table, writes name the columns they set', () => {
    const scan = scanUsage([
      {
        path: 'src/u.ts',
        text:
          "db.selectFrom('users').select(['id', 'email']).where('name', '=', 'x').execute()\n" +
          "db.insertInto('users').values({ id: 1, name: 'n' }).execute()\n" +
          "db.updateTable('users').set({ email: 'e' }).execute()\n",
      },
    ])
    const probes = buildProbes(scan, [])
    expect(probes.map(p => (p.kind === 'insert' ? `insert check ${p.insert.columns}` : probeSql(p)))).toEqual([
      'SELECT "email", "id", "name" FROM "users" WHERE false',
      'INSERT INTO "users" ("id", "name") VALUES ($1, $2)',
      'UPDATE "users" SET "email" = $1 WHERE false',
      'insert check id,name',
    ])
  })

  it('quotes schema-qualified tables', () => {
    expect(probeSql({ kind: 'columns', table: 'audit.events', use: 'read', columns: [], sites: [] })).toBe('SELECT  FROM "audit"."events" WHERE false')
  })
})

describe('schema differences', () => {
  const object = (kind: SchemaObject['kind'], name: string, definition: string, table: string | null = null): SchemaObject => ({ kind, name, table, definition })
  const snapshot = (...objects: SchemaObject[]): SchemaSnapshot => ({ objects: new Map(objects.map(o => [keyOf(o), o])) })

  it('names what is extra, missing or changed; a whole table says it for its columns and indexes', () => {
    const before = snapshot(object('table', 'users', 'table'), object('column', 'users.email', 'text NOT NULL', 'users'))
    const after = snapshot(
      object('table', 'users', 'table'),
      object('column', 'users.email', 'text', 'users'),
      object('index', 'users_email_idx', 'CREATE INDEX users_email_idx ON public.users USING btree (email)', 'users'),
      object('table', 'orders', 'table'),
      object('column', 'orders.id', 'bigint', 'orders'),
    )
    expect(diffSnapshots(before, after).map(describeDifference)).toEqual([
      'column users.email differs: "text NOT NULL" before the release, "text" now',
      'index users_email_idx is still there (CREATE INDEX users_email_idx ON public.users USING btree (email)), though it was not there before the release',
      'table orders is still there, though it was not there before the release',
    ])
    expect(diffSnapshots(after, before).map(describeDifference)).toContain(
      'index users_email_idx is missing (CREATE INDEX users_email_idx ON public.users USING btree (email)), though it was there before the release',
    )
  })
})

describe('lock modes', () => {
  it('SHARE and stronger block writes; only ACCESS EXCLUSIVE blocks reads', () => {
    expect(['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'AccessExclusiveLock'].map(m => heldLock('t', m))).toEqual([
      { relation: 't', mode: 'RowExclusiveLock', blocksReads: false, blocksWrites: false },
      { relation: 't', mode: 'ShareUpdateExclusiveLock', blocksReads: false, blocksWrites: false },
      { relation: 't', mode: 'ShareLock', blocksReads: false, blocksWrites: true },
      { relation: 't', mode: 'AccessExclusiveLock', blocksReads: true, blocksWrites: true },
    ])
    expect(modeName('ShareRowExclusiveLock')).toBe('SHARE ROW EXCLUSIVE')
  })
})

describe('progress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = []
    return { written, isTTY, write: (s: string) => written.push(s) }
  }

  it('is silent when stderr is no terminal, and in CI', () => {
    expect(progressFor(stream(false), {})).toBe(NO_PROGRESS)
    expect(progressFor(stream(true), { CI: 'true' })).toBe(NO_PROGRESS)
  })

  it('on a terminal: one line per migration, statements done / total and the time', () => {
    const s = stream(true)
    const progress = progressFor(s, {})
    progress.migration('migrations/002.sql', 0, 3)
    progress.migrationDone('migrations/002.sql', 3, 3, false)
    progress.finish()
    expect(s.written.join('')).toMatch(/^\r\x1b\[K {2}migrations\/002\.sql {2}0\/3 statements {2}\d+ ms\r\x1b\[K✔ migrations\/002\.sql {2}3\/3 statements {2}\d+ ms\n$/)
  })
})

describe('--database-url', () => {
  it('works in another database of the same server, with the same options; messages never show the password', () => {
    expect(withDatabase('postgres://app:secret@db:5432/app?sslmode=require', 'migrate_lint_0a1b2c3d4e5f')).toBe(
      'postgres://app:secret@db:5432/migrate_lint_0a1b2c3d4e5f?sslmode=require',
    )
    expect(serverLabel('postgres://app:secret@db:5432/app')).toBe('postgres://app@db:5432/app')
  })
})
