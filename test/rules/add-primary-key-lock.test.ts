import rule from '../../rules/add-primary-key-lock.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE events (id bigint NOT NULL, payload text);\nCREATE UNIQUE INDEX events_id_key ON events (id);'

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_key;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nALTER TABLE t ADD PRIMARY KEY (id);' },
    { name: 'a table made by SELECT … INTO in the same migration', setup, sql: 'SELECT id, payload INTO events_copy FROM events;\nALTER TABLE events_copy ADD PRIMARY KEY (id);' },
    { name: 'a unique constraint is another rule', setup, sql: 'ALTER TABLE events ADD CONSTRAINT u UNIQUE (payload);' },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE events ADD PRIMARY KEY (id);', findings: [{ messageId: 'primaryKey', line: 1, column: 1, endLine: 1, endColumn: 40 }] },
    { setup, sql: 'SELECT 1;\nALTER TABLE public.events\n  ADD CONSTRAINT events_pkey PRIMARY KEY (id);', findings: [{ messageId: 'primaryKey', line: 2, column: 1 }] },
    { setup, sql: 'ALTER TABLE events ADD COLUMN uid uuid PRIMARY KEY;', findings: [{ messageId: 'primaryKey', line: 1, column: 1 }] },
  ],
})
