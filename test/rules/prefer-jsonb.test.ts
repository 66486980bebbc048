import rule from '../../rules/prefer-jsonb.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'CREATE TABLE events (id bigint, payload jsonb);' },
    { setup: 'CREATE TABLE events (id bigint);', sql: 'ALTER TABLE events ADD COLUMN payload jsonb;' },
    { name: 'a json value is not a json column', sql: "SELECT '{}'::json;" },
  ],
  invalid: [
    { sql: 'CREATE TABLE events (\n  id bigint,\n  payload json\n);', findings: [{ messageId: 'json', line: 1, column: 1, endLine: 4, endColumn: 2 }] },
    { setup: 'CREATE TABLE events (id bigint);', sql: 'SELECT 1;\nALTER TABLE events ADD COLUMN payload json, ADD COLUMN meta json[];', findings: [{ messageId: 'json', line: 2, column: 1 }, { messageId: 'json', line: 2, column: 1 }] },
    { setup: 'CREATE TABLE events (id bigint, payload jsonb);', sql: 'ALTER TABLE events ALTER COLUMN payload TYPE json;', findings: [{ messageId: 'json', line: 1, column: 1 }] },
  ],
})
