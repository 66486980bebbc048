import rule from '../../rules/set-logged-unlogged.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);'

runRule(rule, {
  valid: [
    { setup, sql: 'CREATE UNLOGGED TABLE cache (id bigint);' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nALTER TABLE t SET UNLOGGED;\nALTER TABLE t SET LOGGED;' },
    { name: 'table created earlier in the release', earlierInRelease: 'CREATE UNLOGGED TABLE t (id int);', sql: 'ALTER TABLE t SET LOGGED;' },
    { name: 'other storage settings', setup, sql: 'ALTER TABLE events SET (fillfactor = 90);' },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE events SET UNLOGGED;', findings: [{ messageId: 'unlogged', line: 1, column: 1, endLine: 1, endColumn: 32 }] },
    { setup, sql: 'SELECT 1;\nALTER TABLE IF EXISTS public.events\n  SET LOGGED;', findings: [{ messageId: 'logged', line: 2, column: 1, endLine: 3, endColumn: 13 }] },
    { name: 'a table the migrations never made', sql: 'ALTER TABLE legacy SET UNLOGGED;', findings: [{ messageId: 'unlogged', line: 1, column: 1 }] },
  ],
})
