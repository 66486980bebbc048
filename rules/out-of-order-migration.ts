import { defineRule } from '../src/engine/rule.js'

// Raised by the release window (src/release/window.ts): it compares the release's migrations with the shipped ones.
export default defineRule({
  id: 'out-of-order-migration',
  category: 'hygiene',
  severity: 'error',
  summary: 'A migration of this release sorts before one that already shipped.',
  docs: {
    why:
      'Production has applied migrations up to the newest shipped one. A new migration that sorts before it is ' +
      'refused by Kysely\'s Migrator (allowUnorderedMigrations is off by default) and silently skipped by tools ' +
      'that only run versions above the current one: the change never reaches production.',
    examples: 'file-names',
    bad: 'shipped in v1.4: migrations/20261101_orders.sql\nthis release:    migrations/20261020_users_email.sql  (a branch created before v1.4)',
    good: 'shipped in v1.4: migrations/20261101_orders.sql\nthis release:    migrations/20261124_users_email.sql',
    fix: 'Rename the migration so that it sorts after every shipped one (e.g. a new timestamp).',
  },
  messages: {
    outOfOrder: '{{file}} sorts before {{shipped}}, which already shipped in {{base}}: the runner will refuse or skip it.',
  },
})
