import rule from '../../rules/add-exclusion-constraint.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE bookings (id bigint PRIMARY KEY, room int, during tstzrange);'

runRule(rule, {
  valid: [
    { name: 'in CREATE TABLE there are no rows', sql: 'CREATE TABLE b (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE b (r tstzrange);\nALTER TABLE b ADD EXCLUDE USING gist (r WITH &&);' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE TABLE b (r tstzrange);', sql: 'ALTER TABLE b ADD EXCLUDE USING gist (r WITH &&);' },
    { name: 'a unique constraint is another rule', setup, sql: 'ALTER TABLE bookings ADD CONSTRAINT u UNIQUE (room);' },
  ],
  invalid: [
    {
      setup,
      sql: 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);',
      findings: [{ messageId: 'exclusion', line: 1, column: 1, endLine: 1, endColumn: 96 }],
    },
    {
      name: 'unnamed, with a WHERE, on a later line',
      setup,
      sql: "SELECT 1;\nALTER TABLE bookings\n  ADD EXCLUDE USING gist (during WITH &&) WHERE (room > 0);",
      findings: [{ messageId: 'exclusion', line: 2, column: 1 }],
    },
    { name: 'a table the migrations never made', sql: 'ALTER TABLE legacy ADD EXCLUDE (a WITH =);', findings: [{ messageId: 'exclusion', line: 1, column: 1 }] },
  ],
})
