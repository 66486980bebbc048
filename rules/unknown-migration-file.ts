import { defineRule } from '../src/engine/rule.js'

// Raised by discovery, not by a check over statements: it is about files, not SQL.
export default defineRule({
  id: 'unknown-migration-file',
  category: 'hygiene',
  severity: 'info',
  summary: 'A file in a migrations folder that fits no migration layout; it is not linted.',
  docs: {
    why:
      'A file in the migrations folder that the migration tool will not run (or runs in a way migrate-lint cannot ' +
      'tell) is either dead weight or a migration that is silently never applied. migrate-lint never guesses: ' +
      'it says once which files it skipped.',
    bad: 'migrations/0001_users.up.sql\nmigrations/0001_users.down.sql\nmigrations/0002_orders.sql   <- not .up.sql',
    good: 'migrations/0001_users.up.sql\nmigrations/0001_users.down.sql\nmigrations/0002_orders.up.sql',
    examples: 'file-names',
    fix: 'Rename the file to fit the layout, move it out of the migrations folder, or set "layout"/"exclude" in the config.',
  },
  messages: {
    unknown: '{{file}} fits no migration layout here; it was not linted.',
  },
})
