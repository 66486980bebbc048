import rule from '../../rules/system-catalog-write.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE posts (id bigint PRIMARY KEY, score int);\nCREATE INDEX posts_score ON posts (score);'

runRule(rule, {
  valid: [
    { name: 'a backfill of a user table', setup, sql: 'UPDATE posts SET score = 0;' },
    { name: 'reading the catalog', setup, sql: "SELECT indexrelid FROM pg_index WHERE indrelid = 'posts'::regclass;" },
    {
      name: 'a user table named pg_… that a migration made',
      setup: 'CREATE TABLE pg_stats_history (id bigint, n int);',
      sql: 'UPDATE pg_stats_history SET n = 0;',
    },
    { name: 'an UPDATE reading the catalog in its FROM', setup, sql: 'UPDATE posts SET score = 1 FROM pg_class c WHERE c.relname = \'posts\';' },
  ],
  invalid: [
    {
      name: "lemmy's index switch-off, multi-line",
      setup,
      sql: "UPDATE\n    pg_index\nSET\n    indisready = FALSE\nWHERE\n    indrelid = 'posts'::regclass;",
      findings: [{ messageId: 'catalogWrite', line: 1, column: 1, endLine: 6, endColumn: 33 }],
    },
    {
      name: 'schema-qualified pg_catalog, further down',
      setup,
      sql: 'UPDATE posts SET score = 0;\n  DELETE FROM pg_catalog.pg_description WHERE objoid = 0;',
      findings: [{ messageId: 'catalogWrite', line: 2, column: 3 }],
    },
    {
      name: 'INSERT into a catalog',
      setup,
      sql: "INSERT INTO pg_catalog.pg_description (objoid, classoid, objsubid, description) VALUES (1, 1, 0, 'x');",
      findings: [{ messageId: 'catalogWrite', line: 1, column: 1 }],
    },
  ],
})
