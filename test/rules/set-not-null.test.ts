import { beforeAll, describe, expect, it } from 'vitest'
import rule from '../../rules/set-not-null.js'
import { loadParser } from '../../src/parse/sql.js'
import { lintHistory } from '../lint-history.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = "CREATE TABLE users (id bigint PRIMARY KEY, email text, status text DEFAULT 'new');"
const sql = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;'

runRule(rule, {
  valid: [
    { name: 'column added in this release, no code scan', earlierInRelease: 'ALTER TABLE users ADD COLUMN phone text;', setup, sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;' },
    {
      name: 'column added in this release with a default: old INSERTs get the default',
      earlierInRelease: "ALTER TABLE users ADD COLUMN phone text DEFAULT '';",
      setup,
      sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }],
    },
    {
      name: 'column added in this release, old code never inserts into the table',
      earlierInRelease: 'ALTER TABLE users ADD COLUMN phone text;',
      setup,
      sql: 'ALTER TABLE users ALTER COLUMN phone SET NOT NULL;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/a.ts:3' }],
    },
    { name: 'base code never writes it and its inserts set it', setup, sql, baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/a.ts:3' }], baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }] },
    { name: 'inserts omit a column that has a default', setup, sql: 'ALTER TABLE users ALTER COLUMN status SET NOT NULL;', baseInserts: [{ table: 'users', columns: ['id'], at: 'src/a.ts:9' }] },
    { name: 'already NOT NULL', setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);', sql },
    { name: 'table created in this release', sql: 'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;' },
    {
      name: 'the recipe across releases: a CHECK added NOT VALID and validated before, SET NOT NULL now',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;`,
      sql,
    },
    {
      name: 'the check validated earlier in this release, and old code updating the column ran under the check already',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;`,
      earlierInRelease: 'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;',
      sql,
      baseUsage: [{ table: 'users', column: 'email', kind: 'update', at: 'src/users.ts:12' }],
    },
    {
      name: 'the whole recipe in one file, no code scan: no requirement and no scan left to SET NOT NULL',
      setup,
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    },
    {
      name: 'the recipe in one file on a table no migration created (squawk gh-628): the migration made the check it reads',
      sql:
        'BEGIN; ALTER TABLE foo ADD COLUMN bar BIGINT;\n' +
        "ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID; COMMIT;\n" +
        'BEGIN; ALTER TABLE foo VALIDATE CONSTRAINT bar_not_null;\n' +
        'ALTER TABLE foo ALTER COLUMN bar SET NOT NULL; COMMIT;',
    },
    {
      name: 'the same, the table created by a shipped migration',
      setup: 'CREATE TABLE foo (id bigint);',
      sql:
        'BEGIN; ALTER TABLE foo ADD COLUMN bar BIGINT;\n' +
        "ALTER TABLE foo ADD CONSTRAINT bar_not_null CHECK (bar IS NOT NULL) NOT VALID; COMMIT;\n" +
        'BEGIN; ALTER TABLE foo VALIDATE CONSTRAINT bar_not_null;\n' +
        'ALTER TABLE foo ALTER COLUMN bar SET NOT NULL; COMMIT;',
    },
    {
      name: 'a table no migration created, an existing column: the recipe in one file',
      sql: 'ALTER TABLE legacy ADD CONSTRAINT legacy_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE legacy VALIDATE CONSTRAINT legacy_email_nn;\nALTER TABLE legacy ALTER COLUMN email SET NOT NULL;',
    },
    {
      name: 'a column CHECK in CREATE TABLE, NOT (c IS NULL) in an AND',
      setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text CHECK (NOT (email IS NULL) AND length(email) > 3));',
      sql,
    },
    {
      name: 'the check follows a rename of its column',
      setup: 'CREATE TABLE users (id bigint PRIMARY KEY, mail text, CONSTRAINT mail_nn CHECK (mail IS NOT NULL));\nALTER TABLE users RENAME COLUMN mail TO email;',
      sql,
    },
    {
      name: 'ADD COLUMN with a default and SET NOT NULL in one statement: old INSERTs get the default',
      setup,
      sql: "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free', ALTER COLUMN plan SET NOT NULL;",
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }],
    },
    {
      name: 'ADD COLUMN and SET NOT NULL in one statement, no code scan: no old code writes a column it never knew',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN plan text, ALTER COLUMN plan SET NOT NULL;',
    },
    // Postgres 18's table constraint NOT NULL col: replay marks the column NOT NULL, so what follows needs nothing.
    {
      name: 'Postgres 18 ADD CONSTRAINT … NOT NULL shipped before: SET NOT NULL adds no requirement',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;`,
      sql,
    },
    {
      name: 'Postgres 18 NOT NULL … NOT VALID shipped before: writes were already checked, SET NOT NULL adds nothing',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;`,
      sql: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users ADD NOT NULL email;',
    },
    {
      name: 'Postgres 18 ADD CONSTRAINT … NOT NULL, base code always inserts the column and never updates it',
      setup,
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'select', at: 'src/a.ts:3' }],
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/a.ts:9' }],
    },
    {
      name: "every old write of the column is a literal other than NULL (INSERT … VALUES ('x'), Kysely values({ email: 'x' }))",
      setup,
      sql,
      baseUsage: [
        { table: 'users', column: 'email', kind: 'insert', at: 'src/seed.ts:4', nonNullLiteral: true },
        { table: 'users', column: 'email', kind: 'update', at: 'src/users.ts:8', nonNullLiteral: true },
      ],
      baseInserts: [{ table: 'users', columns: ['email', 'id'], at: 'src/seed.ts:4' }],
    },
  ],
  invalid: [
    { name: 'no code scan', setup, sql, findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      name: 'a table no migration created, its CHECK added NOT VALID and never validated',
      sql: 'ALTER TABLE legacy ADD CONSTRAINT legacy_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE legacy ALTER COLUMN email SET NOT NULL;',
      findings: [{ messageId: 'unverified', line: 2, column: 1 }],
    },
    {
      name: 'a table no migration created, the check validated on another table of the same name in another schema',
      sql: 'ALTER TABLE other.legacy ADD CONSTRAINT legacy_email_nn CHECK (email IS NOT NULL);\nALTER TABLE legacy ALTER COLUMN email SET NOT NULL;',
      findings: [{ messageId: 'unverified', line: 2, column: 1 }],
    },
    {
      name: 'one old INSERT writes a literal, another a value the reader could not see: it may be NULL',
      setup,
      sql,
      baseUsage: [
        { table: 'users', column: 'email', kind: 'insert', at: 'src/seed.ts:4', nonNullLiteral: true },
        { table: 'users', column: 'email', kind: 'insert', at: 'src/signup.ts:12' },
      ],
      baseInserts: [{ table: 'users', columns: ['email', 'id'], at: 'src/seed.ts:4' }, { table: 'users', columns: ['email', 'id'], at: 'src/signup.ts:12' }],
      findings: [{ messageId: 'writes', line: 1, column: 1 }],
    },
    {
      name: 'Postgres 18 ADD CONSTRAINT name NOT NULL col, base code updates the column',
      setup,
      sql: 'SELECT 1;\n  ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'update', at: 'src/users.ts:12' }],
      findings: [{ messageId: 'writes', line: 2, column: 3, endLine: 2, endColumn: 65 }],
    },
    {
      name: 'Postgres 18 NOT VALID skips the scan, not the check of old INSERTs that leave the column out',
      setup,
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;',
      baseInserts: [{ table: 'users', columns: ['id'], at: 'src/users.ts:20' }],
      findings: [{ messageId: 'omits', line: 1, column: 1 }],
    },
    { name: 'Postgres 18 unnamed ADD NOT NULL col, no code scan', setup, sql: 'ALTER TABLE users ADD NOT NULL email;', findings: [{ messageId: 'unverified', line: 1, column: 1 }] },
    {
      // Issue 12 case 1: add nullable, backfill, SET NOT NULL in one release; the old INSERT cannot name the new column.
      name: 'column added earlier in this release, old code inserts into the table (even with unknown columns)',
      setup,
      earlierInRelease: 'ALTER TABLE users ADD COLUMN space_id uuid;\nUPDATE users SET space_id = gen_random_uuid();',
      sql: 'ALTER TABLE users ALTER COLUMN space_id SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: null, at: 'src/comments.ts:14' }],
      findings: [{ messageId: 'newColumn', line: 1, column: 1 }],
    },
    {
      name: 'column added in the same migration',
      setup,
      sql: 'ALTER TABLE users ADD COLUMN space_id uuid;\nALTER TABLE users ALTER COLUMN space_id SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/users.ts:20' }],
      findings: [{ messageId: 'newColumn', line: 2, column: 1 }],
    },
    {
      name: 'base code updates the column',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users\n  ALTER COLUMN email SET NOT NULL;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'update', at: 'src/users.ts:12' }],
      findings: [{ messageId: 'writes', line: 2, column: 1, endLine: 3, endColumn: 34 }],
    },
    {
      name: 'base code inserts without the column',
      setup,
      sql,
      baseInserts: [{ table: 'users', columns: ['id'], at: 'src/users.ts:20' }],
      findings: [{ messageId: 'omits', line: 1, column: 1 }],
    },
    {
      name: 'a NOT VALID check never validated: the rows are still scanned',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;`,
      sql,
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'a validated check before Postgres 12 does not spare the scan',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL);`,
      sql,
      config: { postgresVersion: 11 },
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'a check that does not prove the column not null (NULL passes email <> \'\')',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_set CHECK (email <> '' OR status IS NOT NULL);`,
      sql,
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'the proving check was dropped again',
      setup: `${setup}\nALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL);`,
      earlierInRelease: 'ALTER TABLE users DROP CONSTRAINT users_email_nn;',
      sql,
      findings: [{ messageId: 'unverified', line: 1, column: 1 }],
    },
    {
      name: 'the whole recipe in one file while release v1.4 updates the column: the new check is what breaks it',
      setup,
      sql: 'ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      baseUsage: [{ table: 'users', column: 'email', kind: 'update', at: 'src/users.ts:12' }],
      findings: [{ messageId: 'writes', line: 3, column: 1 }],
    },
    {
      name: 'ADD COLUMN without a default and SET NOT NULL in one statement, old code inserts into the table',
      setup,
      sql: 'SELECT 1;\nALTER TABLE users ADD COLUMN plan text, ALTER COLUMN plan SET NOT NULL;',
      baseInserts: [{ table: 'users', columns: ['id', 'email'], at: 'src/users.ts:20' }],
      findings: [{ messageId: 'newColumn', line: 2, column: 1 }],
    },
  ],
})

// ory/kratos splits one change into files <timestamp><part>_<name>: add a column, fill it, SET NOT NULL.
describe('set-not-null on the parts of one change, with no code scan', () => {
  beforeAll(() => loadParser())
  const lint = (files: [id: string, text: string][]) => lintHistory(rule, files)
  const base: [string, string] = ['m/20200101000000000000_flows.postgres', 'CREATE TABLE flows (id uuid PRIMARY KEY, state text);']

  it('is silent on a column another part of the same change added', () => {
    expect(
      lint([
        base,
        ['m/20210805112414000000_flow_context.postgres', 'ALTER TABLE flows ADD COLUMN internal_context jsonb;'],
        ['m/20210805112414000001_flow_context.postgres', "UPDATE flows SET internal_context = '{}';"],
        ['m/20210805112414000002_flow_context.postgres', 'ALTER TABLE flows ALTER COLUMN internal_context TYPE jsonb, ALTER COLUMN internal_context SET NOT NULL;'],
      ]),
    ).toEqual([])
  })

  it('still says nothing proved the old release safe for a column an earlier change made', () => {
    expect(lint([base, ['m/20210805112414000002_flow_context.postgres', 'SELECT 1;\nALTER TABLE flows ALTER COLUMN state SET NOT NULL;']])).toEqual([
      'set-not-null unverified m/20210805112414000002_flow_context.postgres:2',
    ])
  })
})

it('names the Postgres 18 form in its message', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;' }, [rule])
  expect(finding).toMatchObject({ ruleId: 'set-not-null', line: 1 })
  expect(finding.message).toBe(
    'ADD CONSTRAINT users_email_nn NOT NULL … NOT VALID on users.email: no code scan proved that the previous release never writes NULL into it.',
  )
})
