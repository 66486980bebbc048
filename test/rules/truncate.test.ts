import { expect, it } from 'vitest'
import rule from '../../rules/truncate.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE users (id bigint PRIMARY KEY);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n' +
  'CREATE TABLE sessions (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { setup, sql: 'DELETE FROM sessions WHERE id < 1000;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nTRUNCATE t;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE staging (id int);', sql: 'TRUNCATE TABLE staging;' },
  ],
  invalid: [
    { setup, sql: 'TRUNCATE sessions;', findings: [{ messageId: 'truncate', line: 1, column: 1, endLine: 1, endColumn: 18 }] },
    {
      name: 'multi-line at a later line, one finding per table',
      setup,
      earlierInRelease: 'CREATE TABLE staging (id int);',
      sql: 'SELECT 1;\n\n  TRUNCATE TABLE ONLY sessions,\n    staging, public.users RESTART IDENTITY;',
      findings: [{ messageId: 'truncate', line: 3, column: 3, endLine: 4, endColumn: 43 }, { messageId: 'truncate', line: 3, column: 3 }],
    },
    { name: 'CASCADE names the referencing tables', setup, sql: 'TRUNCATE users CASCADE;', findings: [{ messageId: 'cascade', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'TRUNCATE legacy_audit;', findings: [{ messageId: 'truncate', line: 1, column: 1 }] },
  ],
})

it('says the data cannot come back, and what to do instead', () => {
  const [finding] = lintCase({ setup, sql: 'TRUNCATE users CASCADE;' }, [rule])
  expect(finding.message).toBe(
    'TRUNCATE users CASCADE deletes every row of users and of the tables referencing it (orders): reverting the release cannot bring them back.',
  )
  expect(finding.severity).toBe('error')
  expect(finding.help).toContain('DELETE FROM users WHERE <key> IN (SELECT <key> FROM users WHERE … LIMIT 10000)')
})

it('names each truncated table', () => {
  const messages = lintCase({ setup, sql: 'TRUNCATE sessions, orders;' }, [rule]).map(f => f.message)
  expect(messages).toEqual([
    'TRUNCATE sessions deletes every row of sessions, which holds data from before this release: reverting the release cannot bring them back.',
    'TRUNCATE orders deletes every row of orders, which holds data from before this release: reverting the release cannot bring them back.',
  ])
})
