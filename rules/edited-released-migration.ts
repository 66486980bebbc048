import { defineRule } from '../src/engine/rule.js'

// Raised by the release window (src/release/window.ts): it compares a migration at the base with now,
// where it is now (a migration moved unchanged to another folder is the same migration). How much an
// edit weighs depends on what the layout's runner does with it (src/discover/runner-history.ts): the
// message says which case it is, and each message has its level.
export default defineRule({
  id: 'edited-released-migration',
  category: 'revert-safety',
  severity: 'error',
  summary: 'A migration that shipped at the base ref was changed (or deleted) since.',
  docs: {
    why:
      'Production already ran the shipped version of the migration and will never run it again: the edit changes ' +
      'nothing there, but fresh databases (CI, new environments, a restore) get a different schema than production. ' +
      'What the next deploy does depends on the runner, which the layout names (config "layout"): Flyway keeps a ' +
      'checksum of every applied script and refuses to migrate until it matches again, so any edit is an error, ' +
      'formatting included (line breaks aside); Prisma Migrate keeps one and only warns, and golang-migrate, dbmate, ' +
      "diesel, drizzle, the Supabase CLI and Kysely's Migrator never look at an applied migration again: there the " +
      'edit is a warning (hygiene), since the deploy goes on and only the environments drift apart. With a plain ' +
      'folder of SQL files the runner is unknown, and may checksum (sqlx does): an error. An edit of formatting only ' +
      '(the statements parse to the same trees: layout, keyword case, comments) is a note, except under Flyway. A ' +
      'deleted shipped migration is an error under every runner.',
    examples: 'file-names',
    bad: 'v1.4: migrations/003_users.sql  CREATE TABLE users (id bigint);\nnow:  migrations/003_users.sql  CREATE TABLE users (id bigint, email text);',
    good: 'v1.4: migrations/003_users.sql  CREATE TABLE users (id bigint);\nnow:  migrations/007_users_email.sql  ALTER TABLE users ADD COLUMN email text;',
    fix: 'Restore the shipped migration as it was at the base and put the change in a new migration.',
  },
  messages: {
    edited: '{{file}} shipped in {{base}} and was changed since (line {{line}}): {{consequence}}.',
    editedIgnored:
      '{{file}} shipped in {{base}} and was changed since (line {{line}}): {{runner}} {{does}}, so databases that ran ' +
      'the shipped version keep it while new ones get the edit.',
    deleted: '{{file}} shipped in {{base}} and was deleted since: production ran it, fresh databases will not.',
    reformatted: '{{file}} shipped in {{base}} and was reformatted since (line {{line}}): its statements are unchanged{{note}}.',
  },
  levels: {
    editedIgnored: { severity: 'warning', category: 'hygiene' },
    reformatted: { severity: 'info', category: 'hygiene' },
  },
})
