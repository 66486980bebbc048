import { defineRule } from '../src/engine/rule.js'

// Raised by the release window (src/release/window.ts): it compares a migration at the base with now,
// where it is now (a migration moved unchanged to another folder is the same migration). An edit of
// formatting only (the statements parse to the same trees) is reported as `reformatted`, an info note
// of category hygiene that does not block the release: production and fresh databases get the same schema.
export default defineRule({
  id: 'edited-released-migration',
  category: 'revert-safety',
  severity: 'error',
  summary: 'A migration that shipped at the base ref was changed (or deleted) since.',
  docs: {
    why:
      'Production already ran the shipped version of the migration and will never run it again: the edit changes ' +
      'nothing there, but fresh databases (CI, new environments, a restore) get a different schema than production. ' +
      'Some runners also refuse to start when a checksum of an applied migration changed.',
    examples: 'file-names',
    bad: 'v1.4: migrations/003_users.sql  CREATE TABLE users (id bigint);\nnow:  migrations/003_users.sql  CREATE TABLE users (id bigint, email text);',
    good: 'v1.4: migrations/003_users.sql  CREATE TABLE users (id bigint);\nnow:  migrations/007_users_email.sql  ALTER TABLE users ADD COLUMN email text;',
    fix: 'Restore the shipped migration as it was at the base and put the change in a new migration.',
  },
  messages: {
    edited: '{{file}} shipped in {{base}} and was changed since (line {{line}}): production will not run it again.',
    deleted: '{{file}} shipped in {{base}} and was deleted since: production ran it, fresh databases will not.',
    reformatted:
      '{{file}} shipped in {{base}} and was reformatted since (line {{line}}): its statements are unchanged, but a runner that checksums applied migrations may refuse it.',
  },
})
