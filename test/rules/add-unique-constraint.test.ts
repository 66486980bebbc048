import { expect, it } from 'vitest'
import rule from '../../rules/add-unique-constraint.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text, org int);\nCREATE UNIQUE INDEX users_email_idx ON users (email);'

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;' },
    { name: 'other constraint kinds', setup, sql: 'ALTER TABLE users ADD CONSTRAINT users_org_positive CHECK (org > 0) NOT VALID;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int, code text);\nALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE (code);' },
    {
      name: 'table created earlier in the release',
      earlierInRelease: 'CREATE TABLE t (id int, code text);',
      sql: 'ALTER TABLE t ADD COLUMN slug text UNIQUE;',
    },
  ],
  invalid: [
    {
      setup,
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
      findings: [{ messageId: 'constraint', line: 1, column: 1, endLine: 1, endColumn: 64 }],
    },
    {
      name: 'unnamed, multi-line at a later line',
      setup,
      sql: 'SELECT 1;\n\n  ALTER TABLE users\n    ADD UNIQUE (org, email);',
      findings: [{ messageId: 'constraint', line: 3, column: 3, endLine: 4, endColumn: 28 }],
    },
    {
      name: 'schema-qualified, IF EXISTS',
      setup,
      sql: 'ALTER TABLE IF EXISTS public.users ADD CONSTRAINT users_org_key UNIQUE (org);',
      findings: [{ messageId: 'constraint', line: 1, column: 1 }],
    },
    { name: 'ADD COLUMN … UNIQUE', setup, sql: 'ALTER TABLE users ADD COLUMN handle text UNIQUE;', findings: [{ messageId: 'column', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'ALTER TABLE legacy ADD UNIQUE (code);', findings: [{ messageId: 'constraint', line: 1, column: 1 }] },
  ],
})

const help = (sql: string) => lintCase({ setup, sql }, [rule])[0]?.help

it('renders the concurrent index and the USING INDEX step', () => {
  expect(help('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);')).toBe(
    'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);  -- outside a transaction\n' +
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
  )
})

it('keeps the options of the constraint and the name Postgres would give it', () => {
  expect(help('ALTER TABLE users ADD UNIQUE NULLS NOT DISTINCT (org, email) INCLUDE (id) DEFERRABLE;')).toBe(
    'CREATE UNIQUE INDEX CONCURRENTLY users_org_email_key ON users (org, email) INCLUDE (id) NULLS NOT DISTINCT;  -- outside a transaction\n' +
      'ALTER TABLE users ADD CONSTRAINT users_org_email_key UNIQUE USING INDEX users_org_email_key DEFERRABLE;',
  )
})

it('names the column added with UNIQUE', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE users ADD COLUMN handle text UNIQUE;' }, [rule])
  expect(finding.message).toBe(
    'ADD COLUMN users.handle UNIQUE builds a unique index under an ACCESS EXCLUSIVE lock: reads and writes of users wait for the whole build.',
  )
  expect(finding.help).toContain('CREATE UNIQUE INDEX CONCURRENTLY users_handle_key ON users (handle);')
})
