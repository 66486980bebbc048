import { defineRule } from '../src/engine/rule.js'
import { timeoutReports } from '../src/sql/session-timeouts.js'
import { LOCKING_KINDS } from '../src/sql/table-locks.js'

export default defineRule({
  id: 'missing-lock-timeout',
  category: 'locking',
  severity: 'warning',
  summary: 'A migration locks an existing table against reads or writes without setting lock_timeout first.',
  docs: {
    why:
      'A statement that needs a strong lock (ALTER TABLE, CREATE INDEX, DROP TABLE …) waits behind any ' +
      'long-running query on the table, and while it waits, every other query on the table queues behind ' +
      'it: a one-millisecond ALTER turns into an outage as long as the slowest open transaction. With ' +
      'lock_timeout set, the statement gives up after a few seconds instead, and the migration can be retried.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: 'ALTER TABLE users ADD COLUMN nickname text;',
    good: "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN nickname text;",
    fix: "Start the migration with SET lock_timeout = '5s'; (SET LOCAL inside a transaction), and retry it when it times out.",
  },
  messages: {
    missing:
      '{{operation}} takes a lock that blocks {{blocks}} on {{target}}, and no lock_timeout is set before it: ' +
      'while it waits behind a long-running query, every other query on {{target}} queues behind it.',
    ineffective:
      '{{operation}} takes a lock that blocks {{blocks}} on {{target}}, and no lock_timeout is in effect ({{reason}}): ' +
      'while it waits behind a long-running query, every other query on {{target}} queues behind it.',
  },
  statementKinds: LOCKING_KINDS,
  statement: ctx => timeoutReports(ctx, 'lock_timeout', '5s', 'and retry it when it times out.'),
})
