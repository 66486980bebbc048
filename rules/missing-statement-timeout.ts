import { defineRule } from '../src/engine/rule.js'
import { timeoutReports } from '../src/sql/session-timeouts.js'
import { LOCKING_KINDS } from '../src/sql/table-locks.js'

// The companion of missing-lock-timeout: lock_timeout bounds the wait for the lock, statement_timeout
// bounds how long the lock is then held (a rewrite, a scan, an index build). Statements that block
// neither reads nor writes of an existing table need neither.
export default defineRule({
  id: 'missing-statement-timeout',
  category: 'locking',
  severity: 'warning',
  summary: 'A migration locks an existing table against reads or writes without setting statement_timeout first.',
  docs: {
    why:
      'Once a statement holds a lock that blocks reads or writes (ALTER TABLE, CREATE INDEX, DROP TABLE …), ' +
      'every query on the table waits until it finishes. lock_timeout only bounds the wait for the lock; a ' +
      'statement that then rewrites or scans a table larger than expected (or waits on something else, such as ' +
      'a row lock of a long transaction) holds it for as long as it runs. With statement_timeout set, the ' +
      'statement fails after a bound you chose, the lock is released, and the migration can be rethought.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: "SET lock_timeout = '5s';\nCREATE INDEX users_email_idx ON users (email);",
    good: "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\nCREATE INDEX users_email_idx ON users (email);",
    fix:
      "Start the migration with SET statement_timeout = '60s'; (SET LOCAL inside a transaction), longer only " +
      'where a statement needs it; when it times out, make the change in smaller or non-blocking steps.',
  },
  messages: {
    missing:
      '{{operation}} takes a lock that blocks {{blocks}} on {{target}}, and no statement_timeout is set before it: ' +
      'however long it runs, every other query on {{target}} waits for it.',
    ineffective:
      '{{operation}} takes a lock that blocks {{blocks}} on {{target}}, and no statement_timeout is in effect ({{reason}}): ' +
      'however long it runs, every other query on {{target}} waits for it.',
  },
  statementKinds: LOCKING_KINDS,
  statement: ctx => timeoutReports(ctx, 'statement_timeout', '60s', 'and make the change in smaller steps when it times out.'),
})
