// When the model may say an object is not there: a namespace it holds whole, kept across the cache.
import { beforeAll, describe, expect, it } from 'vitest'
import { schemaFromRecord, schemaToRecord } from '../../src/cache/schema-snapshot.js'
import { fitsKind } from '../../src/cache/shapes.js'
import { lintMigrations } from '../../src/engine/lint.js'
import { absentTargets, doesNothing } from '../../src/schema/absent-objects.js'
import { loadParser } from '../../src/parse/sql.js'
import { migrationFromText } from '../rule-tester.js'

beforeAll(() => loadParser())

const replay = (sql: string) =>
  lintMigrations([migrationFromText('migrations/001.sql', sql, 0)], { rules: [], config: { postgresVersion: 16, tables: {} }, mode: 'per-migration' }).schema
const ast = (sql: string) => migrationFromText('migrations/002.sql', sql, 1).up[0].ast

describe('absent objects', () => {
  const made = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint);'

  it('in a namespace the migrations made and never needed a table of they did not make', () => {
    const schema = replay(made)
    expect(absentTargets(ast('DROP TABLE IF EXISTS users_old, users;'), schema).relations).toEqual(new Set(['users_old']))
    expect(absentTargets(ast('ALTER TABLE users DROP COLUMN IF EXISTS nick, DROP COLUMN IF EXISTS email;'), schema).columns).toEqual(new Set(['users.nick']))
    expect(doesNothing(ast('DROP TABLE IF EXISTS billing.drafts;'), schema)).toBe(true)
    expect(doesNothing(ast('DROP TABLE IF EXISTS users_old, users;'), schema)).toBe(false)
    expect(doesNothing(ast('DROP TABLE users_old;'), schema)).toBe(false)
    expect(doesNothing(ast('ALTER TABLE users DROP COLUMN IF EXISTS nick;'), schema)).toBe(false)
  })

  it('not in a namespace with a table the migrations altered, indexed, referenced or dropped without making it', () => {
    for (const outside of ['ALTER TABLE accounts ADD COLUMN x int;', 'CREATE INDEX ON accounts (id);', 'CREATE TABLE t (a bigint REFERENCES accounts);', 'DROP TABLE accounts;']) {
      const schema = replay(`${made}\n${outside}`)
      expect([...schema.outsideNamespaces], outside).toEqual([''])
      expect(doesNothing(ast('DROP TABLE IF EXISTS users_old;'), schema), outside).toBe(false)
      expect(doesNothing(ast('DROP TABLE IF EXISTS billing.drafts;'), schema), outside).toBe(true)
    }
    expect(doesNothing(ast('DROP TABLE IF EXISTS auth.sessions;'), replay(made))).toBe(false)
  })

  it('the namespaces made outside are kept in the cached schema', () => {
    const record = schemaToRecord(replay(`${made}\nALTER TABLE auth.users ADD COLUMN x int;`))
    expect(fitsKind('schema', record)).toBe(true)
    expect([...schemaFromRecord(JSON.parse(JSON.stringify(record))).outsideNamespaces]).toEqual(['auth'])
  })
})
