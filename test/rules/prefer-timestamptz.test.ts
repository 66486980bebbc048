import rule from '../../rules/prefer-timestamptz.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'CREATE TABLE events (created_at timestamptz, at timestamp with time zone, d date, t time);' },
    { name: 'changing to timestamptz', setup: 'CREATE TABLE events (at timestamp);', sql: 'ALTER TABLE events ALTER COLUMN at TYPE timestamptz;' },
  ],
  invalid: [
    { sql: 'CREATE TABLE events (id bigint, created_at timestamp NOT NULL);', findings: [{ messageId: 'type', line: 1, column: 1 }] },
    {
      name: 'squawk\'s alter table example: both spellings',
      setup: 'CREATE TABLE app.users (created_ts timestamptz, modified_ts timestamptz);',
      sql: 'alter table app.users\n    alter column created_ts type timestamp,\n    alter column modified_ts type timestamp without time zone;',
      findings: [{ messageId: 'type', line: 1, column: 1 }, { messageId: 'type', line: 1, column: 1 }],
    },
    { name: 'with a precision, added later', setup: 'CREATE TABLE t (a int);', sql: 'SELECT 1;\nALTER TABLE t ADD COLUMN at timestamp(3);', findings: [{ messageId: 'type', line: 2, column: 1 }] },
  ],
})
