import rule from '../../rules/ban-char-field.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'CREATE TABLE app_user (name varchar(100), email text);' },
    { name: 'char in a query is no column', sql: "SELECT 'a'::char(1);" },
  ],
  invalid: [
    {
      name: 'squawk\'s example: char(n) and a bare character',
      sql: 'CREATE TABLE "app_user" (\n  "id" bigint NOT NULL PRIMARY KEY,\n  "name" char(100) NOT NULL,\n  "email" character NOT NULL\n);',
      findings: [{ messageId: 'type', line: 1, column: 1 }, { messageId: 'type', line: 1, column: 1 }],
    },
    { name: 'bpchar, ADD COLUMN', setup: 'CREATE TABLE t (a int);', sql: 'SELECT 1;\nALTER TABLE t ADD COLUMN code bpchar;', findings: [{ messageId: 'type', line: 2, column: 1 }] },
    { name: 'an array of character(n) by ALTER COLUMN TYPE', setup: 'CREATE TABLE t (a text[]);', sql: 'ALTER TABLE t ALTER COLUMN a TYPE character(3)[];', findings: [{ messageId: 'type', line: 1, column: 1 }] },
  ],
})
