import { defineRule } from '../src/engine/rule.js'

// Raised by `migrate-lint verify` from the lock trace: what Postgres itself reported in pg_locks.
export default defineRule({
  id: 'verify-dangerous-lock',
  category: 'locking',
  severity: 'warning',
  summary: 'verify: a statement took ACCESS EXCLUSIVE on a table that existed before the release, with no lock_timeout set.',
  docs: {
    why:
      'ACCESS EXCLUSIVE blocks every query on the table, reads included. The statement first waits for every ' +
      'transaction that touched the table to finish, and every query that arrives meanwhile queues behind it: ' +
      'behind one slow report, a one-millisecond ALTER TABLE becomes an outage. verify runs each statement of the ' +
      'release in a transaction of its own and reads pg_locks before COMMIT, so this is the lock Postgres ' +
      'really took, not a guess from the SQL.',
    examples: 'file-names',
    bad: 'migrations/005_tier.sql    ALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;\n  pg_locks: users AccessExclusiveLock, lock_timeout 0',
    good: "migrations/005_tier.sql    SET lock_timeout = '5s';\n                            ALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;",
    fix: "Set lock_timeout before the statement (SET lock_timeout = '5s'; SET LOCAL inside a transaction) and retry the migration when it times out.",
    kyselyFix:
      "Start up() with await sql`SET LOCAL lock_timeout = '5s'`.execute(db) (Kysely's Migrator runs each migration in a transaction unless " +
      'disableTransactions is set; without one, SET lock_timeout) and retry the migration when it times out.',
  },
  messages: {
    lock: 'This statement took {{mode}} on {{table}}, which existed before this release, with no lock_timeout set: every query on {{table}}, reads included, queues behind it while it waits for its lock.',
  },
})
