import rule from '../../rules/reindex-non-concurrently.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);'

runRule(rule, {
  valid: [
    { setup, sql: 'REINDEX INDEX CONCURRENTLY users_email_idx;' },
    { setup, sql: 'REINDEX (CONCURRENTLY) TABLE users;' },
    { name: 'table created in the same release', earlierInRelease: 'CREATE TABLE t (a int);', sql: 'REINDEX TABLE t;' },
    { name: 'a materialized view made in the same migration', setup, sql: 'CREATE MATERIALIZED VIEW emails AS SELECT email FROM users;\nCREATE INDEX emails_email ON emails (email);\nREINDEX TABLE emails;' },
  ],
  invalid: [
    { setup, sql: 'REINDEX INDEX users_email_idx;', findings: [{ messageId: 'plain', line: 1, column: 1, endLine: 1, endColumn: 30 }] },
    { setup, sql: 'SELECT 1;\n  REINDEX TABLE public.users;', findings: [{ messageId: 'plain', line: 2, column: 3 }] },
    { name: 'a whole schema', sql: 'REINDEX SCHEMA app;', findings: [{ messageId: 'plain', line: 1, column: 1 }] },
    { name: 'the system catalogs: no CONCURRENTLY to recommend', sql: 'SELECT 1;\nREINDEX SYSTEM;', findings: [{ messageId: 'system', line: 2, column: 1 }] },
    { name: 'the system catalogs, named', sql: 'REINDEX SYSTEM app;', findings: [{ messageId: 'system', line: 1, column: 1 }] },
    { name: 'the system catalogs with CONCURRENTLY, which Postgres refuses', sql: 'REINDEX (CONCURRENTLY) SYSTEM;', findings: [{ messageId: 'system', line: 1, column: 1 }] },
    { name: 'an index unknown to the migrations', sql: 'REINDEX INDEX legacy_idx;', findings: [{ messageId: 'plain', line: 1, column: 1 }] },
  ],
})
