import { defineRule } from '../src/engine/rule.js'

// Raised by `migrate-lint verify` (src/verify/), which replays the migrations on a real Postgres.
export default defineRule({
  id: 'verify-statement-failed',
  category: 'hygiene',
  severity: 'error',
  summary: 'verify: Postgres refuses a migration statement when the migrations are replayed on a fresh database.',
  docs: {
    why:
      'A statement can parse and still fail on Postgres: a column that an earlier migration never made, a type ' +
      'that does not cast, an index on a table another migration renamed, a down migration that drops what is ' +
      'not there. The deploy (or the rollback) stops at that statement, often halfway through a release. ' +
      'verify replays every shipped migration and then the release\'s, one statement at a time, on PGlite or on a ' +
      'throw-away database of --database-url, and reports the first statement of each migration that fails. ' +
      'It never runs a statement that acts beyond that database (rule cluster-wide-statement), a DO block or ' +
      'function that builds SQL at run time or is in a language it does not read, or text that does not parse: ' +
      'it reports that statement here instead, and the replay of its migration stops there.',
    examples: 'file-names',
    bad:
      'migrations/001_users.sql    CREATE TABLE users (id bigint PRIMARY KEY);\n' +
      'migrations/002_email.sql    CREATE INDEX users_email_idx ON users (email);   <- column "email" does not exist',
    good:
      'migrations/001_users.sql    CREATE TABLE users (id bigint PRIMARY KEY);\n' +
      'migrations/002_email.sql    ALTER TABLE users ADD COLUMN email text;\n' +
      '                            CREATE INDEX users_email_idx ON users (email);',
    fix: 'Fix the statement so that it runs on the schema the earlier migrations leave; run `migrate-lint verify` again.',
  },
  messages: {
    upFailed: '{{engine}} refuses this statement: {{error}}. The replay of {{file}} stopped here{{skipped}}.',
    downFailed: '{{engine}} refuses this statement of the down migration: {{error}}. The round trip stopped here{{skipped}}.',
    refused: 'verify did not run this statement on {{engine}}: {{reason}}. The replay of {{file}} stopped here{{skipped}}.',
    downRefused: 'verify did not run this statement of the down migration on {{engine}}: {{reason}}. The round trip stopped here{{skipped}}.',
    extensionMissing:
      '{{engine}} does not ship the extension {{extension}}: {{skipped}}, and the release is unproven. ' +
      'Run verify with --database-url on a Postgres that has {{extension}} to check them.',
  },
})
