import { expect, it } from 'vitest'
import rule from '../../rules/expand-contract-same-release.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);'

runRule(rule, {
  valid: [
    { name: 'expand only', setup, sql: 'ALTER TABLE users ADD COLUMN email_address text;' },
    { name: 'contract only', setup, sql: 'ALTER TABLE users DROP COLUMN email;' },
    { name: 'added column dropped again in the release', setup, sql: 'ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;' },
    { name: 'an unrelated column added to the same table', setup, sql: 'ALTER TABLE users ADD COLUMN instance_id int;\nALTER TABLE users DROP COLUMN email;' },
    { name: 'add to another table', setup: `${setup}\nCREATE TABLE orders (id int);`, sql: 'ALTER TABLE orders ADD COLUMN x int;\nALTER TABLE users DROP COLUMN email;' },
  ],
  invalid: [
    {
      name: 'a differently named column filled from the old one',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN contact text;\nUPDATE users SET contact = lower(email);\nALTER TABLE users DROP COLUMN email;',
      findings: [{ messageId: 'sameRelease', line: 3, column: 1 }],
    },
    {
      name: 'add, backfill, drop in one migration',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN email_address text;\nUPDATE users SET email_address = email;\nALTER TABLE users DROP COLUMN email;',
      findings: [{ messageId: 'sameRelease', line: 3, column: 1, endLine: 3, endColumn: 36 }],
    },
    {
      name: 'add in an earlier migration of the release, rename the old one later',
      setup,
      earlierInRelease: 'ALTER TABLE users ADD COLUMN full_name text;',
      sql: '\n\nALTER TABLE users RENAME COLUMN name TO legacy_name;',
      findings: [{ messageId: 'sameRelease', line: 3, column: 1 }],
    },
  ],
})

it('names the added column and the dropped one', () => {
  const [finding] = lintCase(
    { setup, sql: 'ALTER TABLE users ADD COLUMN email_address text;\nALTER TABLE users DROP COLUMN email;' },
    [rule],
  )
  expect(finding.message).toBe('This release adds users.email_address to users and drops users.email: expand and contract in one release.')
})
