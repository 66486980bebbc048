import rule from '../../rules/require-table-schema.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: 'create table public.posts (id bigint);\nalter table public.posts add column name text;\ndrop table public.posts;\ncreate table public.p2 as select 1;' },
    { name: 'temporary tables live in the session\'s schema', sql: 'CREATE TEMP TABLE scratch (id int);\nCREATE TEMPORARY TABLE s2 AS SELECT 1;' },
    { name: 'other objects are not tables', sql: 'CREATE INDEX i ON public.t (a);\nCREATE VIEW v AS SELECT 1;\nDROP VIEW v;' },
  ],
  invalid: [
    {
      name: "squawk's four statements",
      sql: 'create table posts(id bigint);\nalter table posts add column name text;\ndrop table posts;\ncreate table posts2 as select 1;',
      findings: [
        { messageId: 'unqualified', line: 1, column: 1 },
        { messageId: 'unqualified', line: 2, column: 1 },
        { messageId: 'unqualified', line: 3, column: 1 },
        { messageId: 'unqualified', line: 4, column: 1 },
      ],
    },
    { name: 'each unqualified table of a DROP', sql: 'DROP TABLE public.a, b, c;', findings: [{ messageId: 'unqualified', line: 1, column: 1 }, { messageId: 'unqualified', line: 1, column: 1 }] },
  ],
})
