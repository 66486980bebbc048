import { defineRule } from '../src/engine/rule.js'

// Raised by `migrate-lint verify`: the base code's queries are PREPAREd on the schema the release leaves.
export default defineRule({
  id: 'verify-old-query-fails',
  category: 'revert-safety',
  severity: 'error',
  summary: 'verify: a query of the previous release\'s code no longer runs on the schema after this release\'s migrations.',
  docs: {
    why:
      'During the deploy, and after a revert of the app, the previous release\'s code runs against the new schema. ' +
      'verify PREPAREs every query of that code on a real Postgres after each migration of the release: raw SQL as ' +
      'written, and for Kysely builder chains the columns each table is read, filtered, inserted and updated by. ' +
      'It also checks that every INSERT of that code sets each NOT NULL column without a default. A query that ' +
      'worked before the release and fails after it breaks the old code the moment the migration runs.',
    examples: 'file-names',
    bad:
      "code at v1.4:  src/users.ts:12   db.selectFrom('users').select(['id', 'email'])\n" +
      'this release:  migrations/007_drop_email.sql   ALTER TABLE users DROP COLUMN email;   <- column "email" does not exist',
    good:
      "this release:  src/users.ts:12   db.selectFrom('users').select(['id'])   (stops reading email)\n" +
      'next release:  migrations/008_drop_email.sql   ALTER TABLE users DROP COLUMN email;',
    fix: 'Ship the code that stops using the column (or sets the new NOT NULL column) first; make the breaking change in the next release.',
  },
  messages: {
    query: 'This query of {{base}} fails once {{migration}} has run: {{error}}. The old code breaks during the deploy and after a revert.',
    column: '{{usage}} in {{base}}; once {{migration}} has run, Postgres refuses it: {{error}}.',
    insertMissing:
      'This INSERT of {{base}} sets {{columns}}; once {{migration}} has run, {{missing}} NOT NULL without a default, so it fails.',
  },
})
