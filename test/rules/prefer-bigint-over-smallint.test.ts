import rule from '../../rules/prefer-bigint-over-smallint.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { name: '32- and 64-bit integers are prefer-bigint-over-int\'s', sql: 'CREATE TABLE plans (id bigserial PRIMARY KEY, seats int, n bigint);' },
    { name: 'changing to bigint', setup: 'CREATE TABLE plans (seats smallint);', sql: 'ALTER TABLE plans ALTER COLUMN seats TYPE bigint;' },
    { name: 'a cast in a query is no column', sql: 'SELECT 1::smallint;' },
  ],
  invalid: [
    { sql: 'CREATE TABLE plans (\n  id smallserial PRIMARY KEY,\n  seats smallint\n);', findings: [{ messageId: 'type', line: 1, column: 1 }, { messageId: 'type', line: 1, column: 1 }] },
    { name: 'int2 and serial2 as written', sql: 'CREATE TABLE t (a int2, b serial2);', findings: [{ messageId: 'type', line: 1, column: 1 }, { messageId: 'type', line: 1, column: 1 }] },
    { name: 'ADD COLUMN of a smallint array', setup: 'CREATE TABLE t (id bigint);', sql: 'SELECT 1;\nALTER TABLE t ADD COLUMN flags smallint[];', findings: [{ messageId: 'type', line: 2, column: 1 }] },
    { name: 'ALTER COLUMN … TYPE smallint', setup: 'CREATE TABLE t (a bigint);', sql: 'ALTER TABLE t ALTER COLUMN a TYPE smallint;', findings: [{ messageId: 'type', line: 1, column: 1 }] },
  ],
})
