import rule from '../../rules/prefer-text-field.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'CREATE TABLE app_user (id bigint, email text, nick varchar);' },
    { name: 'a char column is ban-char-field\'s', sql: 'CREATE TABLE t (c char(2));' },
  ],
  invalid: [
    { sql: 'CREATE TABLE app_user (id bigint, email varchar(100) NOT NULL);', findings: [{ messageId: 'type', line: 1, column: 1 }] },
    { name: 'character varying(n), in an array', sql: 'CREATE TABLE t (tags character varying(20)[]);', findings: [{ messageId: 'type', line: 1, column: 1 }] },
    { name: 'narrowing to varchar(n)', setup: 'CREATE TABLE t (a text);', sql: 'SELECT 1;\nALTER TABLE t ALTER COLUMN a TYPE varchar(50);', findings: [{ messageId: 'type', line: 2, column: 1 }] },
  ],
})
