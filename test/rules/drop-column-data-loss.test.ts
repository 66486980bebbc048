import { describe, expect, it } from 'vitest'
import rule from '../../rules/drop-column-data-loss.js'
import { DEFAULT_CONFIG } from '../../src/config.js'
import type { CodeUsage, UnestablishedUse } from '../../src/engine/rule.js'
import { lintAll } from '../../src/run.js'
import type { Usage, UsageScan } from '../../src/usage/usage.js'
import { lintCase, migrationFromText, runRule, TEST_FILE } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text, token text);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE TABLE users_token_archive AS SELECT id, token FROM users;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE t (a int, b int);', sql: 'ALTER TABLE t DROP COLUMN b;' },
    { name: 'column added earlier in the release', setup, earlierInRelease: 'ALTER TABLE users ADD COLUMN nick text;', sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nick;' },
    { name: 'column added by the same statement', setup, sql: 'ALTER TABLE users ADD COLUMN nick text, DROP COLUMN nick;' },
    { name: 'DROP TABLE is not a column drop', setup, sql: 'DROP TABLE users;' },
    { name: 'IF EXISTS of a column the migrations never made: nothing is deleted', setup, sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nickname;' },
    { name: 'ALTER TABLE IF EXISTS of a table the migrations never made', setup, sql: 'ALTER TABLE IF EXISTS users_old DROP COLUMN token;' },
  ],
  invalid: [
    {
      name: 'IF EXISTS on a table made by a query: its columns are not in the model',
      setup: `${setup}\nCREATE TABLE users_copy AS SELECT * FROM users;`,
      sql: 'ALTER TABLE users_copy DROP COLUMN IF EXISTS token;',
      findings: [{ messageId: 'dataLoss', line: 1, column: 1 }],
    },
    {
      name: 'IF EXISTS where the migrations also alter a table made elsewhere: the model is not whole',
      setup: `${setup}\nALTER TABLE profiles ADD COLUMN bio text;`,
      sql: 'ALTER TABLE users DROP COLUMN IF EXISTS nickname;',
      findings: [{ messageId: 'dataLoss', line: 1, column: 1 }],
    },
    { setup, sql: 'ALTER TABLE users DROP COLUMN token;', findings: [{ messageId: 'dataLoss', line: 1, column: 1, endLine: 1, endColumn: 36 }] },
    {
      name: 'two columns, multi-line, after another statement',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users\n  DROP COLUMN email,\n  DROP token CASCADE;',
      findings: [
        { messageId: 'dataLoss', line: 2, column: 1, endLine: 4, endColumn: 21 },
        { messageId: 'dataLoss', line: 2, column: 1 },
      ],
    },
    { name: 'IF EXISTS', setup, sql: 'ALTER TABLE IF EXISTS users DROP COLUMN IF EXISTS token;', findings: [{ messageId: 'dataLoss', line: 1, column: 1 }] },
    {
      name: 'schema-qualified',
      setup: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id bigint, token text);',
      sql: 'ALTER TABLE app.users DROP COLUMN token;',
      findings: [{ messageId: 'dataLoss', line: 1, column: 1 }],
    },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy DROP COLUMN a;', findings: [{ messageId: 'dataLoss', line: 1, column: 1 }] },
    {
      name: 'column renamed before the release',
      setup: `${setup}\nALTER TABLE users RENAME COLUMN token TO secret;`,
      sql: 'ALTER TABLE users DROP COLUMN secret;',
      findings: [{ messageId: 'dataLoss', line: 1, column: 1 }],
    },
  ],
})

it('says the data is gone and a revert cannot bring it back', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE users DROP COLUMN token;' }, [rule])
  expect(finding.severity).toBe('info')
  expect(finding.message).toBe(
    'DROP COLUMN users.token deletes its data in every row: a revert of the code cannot bring it back, only a restore from backup can.',
  )
  expect(finding.help).toBe('If the data may still be needed, archive it first: CREATE TABLE users_token_archive AS SELECT <primary key>, token FROM users;')
})

describe('the note is for drops the revert-safety rules let through: a blocked drop keeps their finding only', () => {
  const usage = (usages: Usage[]): UsageScan => ({ usages, inserts: [], unresolved: [], filesScanned: 1, filesParsed: 1 })
  const code = (base: Usage[], unestablished: UnestablishedUse[] = []): CodeUsage => ({ baseLabel: 'v1.4', base: usage(base), head: usage([]), unestablished: () => unestablished })
  /** Lints setup (shipped) + `sql` with every rule as a run does, suppressions and all: the drop's findings, `rule line column`. */
  const drops = (sql: string, mode: 'per-migration' | 'release', scanned: CodeUsage | null) => {
    const shipped = { ...migrationFromText('migrations/001_users.sql', setup, 0), inRelease: false }
    const findings = lintAll([shipped, migrationFromText(TEST_FILE, sql, 1)], { ...DEFAULT_CONFIG, file: null }, mode, scanned)
    const dropRules = ['drop-column-data-loss', 'drop-column-still-read', 'unproven-change']
    // Each finding's first words name the column: `DROP COLUMN users.token`.
    const column = (message: string) => /^DROP COLUMN \S+?(?=[: ])/.exec(message)?.[0]
    return findings.filter(f => dropRules.includes(f.ruleId) && !f.suppressed).map(f => `${f.ruleId} ${f.line} ${column(f.message)}`).sort()
  }
  const readsEmail = [{ table: 'users', column: 'email', kind: 'select' as const, loc: { file: 'src/users.ts', line: 4, column: 1 } }]

  it('no code scanned (a plain lint): the drop is an error of drop-column-still-read, and no second note', () => {
    expect(drops('SELECT 1;\nALTER TABLE users DROP COLUMN token;', 'per-migration', null)).toEqual(['drop-column-still-read 2 DROP COLUMN users.token'])
  })

  it('no application code at the base: unproven-change alone', () => {
    const nothing = [{ file: null, line: 0, column: 0, why: 'no application code matched ["**/*.ts"] at v1.4' }]
    expect(drops('ALTER TABLE users DROP COLUMN token;', 'release', code([], nothing))).toEqual(['unproven-change 1 DROP COLUMN users.token'])
  })

  it('a drop the code proves unused keeps its note', () => {
    expect(drops('ALTER TABLE users DROP COLUMN token;', 'release', code(readsEmail))).toEqual(['drop-column-data-loss 1 DROP COLUMN users.token'])
  })

  it('in one statement, the blocked column loses the note and the allowed one keeps it', () => {
    expect(drops('ALTER TABLE users DROP COLUMN email, DROP COLUMN token;', 'release', code(readsEmail))).toEqual([
      'drop-column-data-loss 1 DROP COLUMN users.token',
      'drop-column-still-read 1 DROP COLUMN users.email',
    ])
  })

  it('a drop whose blocking finding was suppressed (checked by hand) is allowed, and keeps its note', () => {
    const sql = '-- migrate-lint-disable-next-line drop-column-still-read -- nothing has read users.token since v1.2\nALTER TABLE users DROP COLUMN token;'
    expect(drops(sql, 'per-migration', null)).toEqual(['drop-column-data-loss 2 DROP COLUMN users.token'])
  })
})
