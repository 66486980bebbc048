import { expect, it } from 'vitest'
import rule from '../../rules/add-primary-key-lock.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE events (id bigint NOT NULL, payload text, uid uuid, kind text);\n' +
  'CREATE UNIQUE INDEX events_id_key ON events (id);\n' +
  'CREATE UNIQUE INDEX events_uid_key ON events (uid);\n' +
  'CREATE UNIQUE INDEX events_id_kind_key ON events (id, kind);'

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_key;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD PRIMARY KEY (id);' },
    { name: 'a table made by SELECT … INTO in the same migration', setup, sql: 'SELECT id, payload INTO events_copy FROM events;\nALTER TABLE events_copy ADD PRIMARY KEY (id);' },
    { name: 'a unique constraint is another rule', setup, sql: 'ALTER TABLE events ADD CONSTRAINT u UNIQUE (payload);' },
    {
      name: 'USING INDEX on a column set NOT NULL earlier',
      setup,
      earlierInRelease: 'ALTER TABLE events ALTER COLUMN uid SET NOT NULL;',
      sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_uid_key;',
    },
    {
      name: 'USING INDEX on a column a validated CHECK proves not null (Postgres 12+)',
      setup: `${setup}\nALTER TABLE events ADD CONSTRAINT uid_nn CHECK (uid IS NOT NULL) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT uid_nn;`,
      sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_uid_key;',
    },
    { name: 'USING an index the migrations never made: nothing known of its columns', setup, sql: 'ALTER TABLE events ADD CONSTRAINT p PRIMARY KEY USING INDEX legacy_idx;' },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE events ADD PRIMARY KEY (id);', findings: [{ messageId: 'primaryKey', line: 1, column: 1, endLine: 1, endColumn: 40 }] },
    { setup, sql: 'SELECT 1;\nALTER TABLE public.events\n  ADD CONSTRAINT events_pkey PRIMARY KEY (id);', findings: [{ messageId: 'primaryKey', line: 2, column: 1 }] },
    { setup, sql: 'ALTER TABLE events ADD COLUMN uid2 uuid PRIMARY KEY;', findings: [{ messageId: 'primaryKey', line: 1, column: 1 }] },
    {
      name: 'USING INDEX on a nullable column scans for NULLs under the lock',
      setup,
      sql: 'SELECT 1;\nALTER TABLE events\n  ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_uid_key;',
      findings: [{ messageId: 'nullableIndexColumns', line: 2, column: 1, endLine: 3, endColumn: 68 }],
    },
    {
      name: 'a not-null CHECK counts only from Postgres 12 on',
      setup: `${setup}\nALTER TABLE events ADD CONSTRAINT uid_nn CHECK (uid IS NOT NULL);`,
      config: { postgresVersion: 11 },
      sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_uid_key;',
      findings: [{ messageId: 'nullableIndexColumns', line: 1, column: 1 }],
    },
  ],
})

it('names only the nullable columns of the index', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_kind_key;' }, [rule])
  expect(finding.message).toBe(
    'ADD PRIMARY KEY USING INDEX events_id_kind_key on events makes kind NOT NULL first, which scans every row of events under an ACCESS EXCLUSIVE lock: reads and writes on events wait.',
  )
})
