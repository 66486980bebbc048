import rule from '../../rules/prefer-bigint-over-int.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'CREATE TABLE posts (id bigserial PRIMARY KEY, views bigint, n smallint, r real);' },
    { name: 'changing to bigint', setup: 'CREATE TABLE posts (views int);', sql: 'ALTER TABLE posts ALTER COLUMN views TYPE bigint;' },
    { name: 'a cast in a query is no column', sql: 'SELECT 1::int;' },
  ],
  invalid: [
    { sql: 'CREATE TABLE posts (\n  id serial PRIMARY KEY,\n  views integer\n);', findings: [{ messageId: 'type', line: 1, column: 1 }, { messageId: 'type', line: 1, column: 1 }] },
    { name: 'int4 and serial4 as written', sql: 'CREATE TABLE t (a int4, b serial4);', findings: [{ messageId: 'type', line: 1, column: 1 }, { messageId: 'type', line: 1, column: 1 }] },
    { name: 'ADD COLUMN of an int array', setup: 'CREATE TABLE t (id bigint);', sql: 'SELECT 1;\nALTER TABLE t ADD COLUMN tags int[];', findings: [{ messageId: 'type', line: 2, column: 1 }] },
    { name: 'ALTER COLUMN … TYPE int', setup: 'CREATE TABLE t (a bigint);', sql: 'ALTER TABLE t ALTER COLUMN a TYPE integer;', findings: [{ messageId: 'type', line: 1, column: 1 }] },
  ],
})
