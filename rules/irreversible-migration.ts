import { LAYOUTS_WITHOUT_DOWN } from '../src/discover/layouts.js'
import { defineRule } from '../src/engine/rule.js'

export default defineRule({
  id: 'irreversible-migration',
  category: 'hygiene',
  severity: 'info',
  summary: 'The migration has no down (or an empty one) in a layout that supports downs.',
  docs: {
    why:
      'Without a down migration the schema cannot be rolled back by the migration tool. Revert-safety keeps the ' +
      'previous code running on the new schema, so a down is rarely needed, but when it is, it is needed fast.',
    bad: '-- migrate:up\nCREATE TABLE audit (id bigint PRIMARY KEY);',
    good: '-- migrate:up\nCREATE TABLE audit (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE audit;',
    fix: 'Write the down migration (a .down.sql file, a -- migrate:down section, down.sql, a Flyway U<version>__ script, or down()).',
  },
  messages: {
    noDown: 'Migration {{id}} has no down migration.',
    emptyDown: 'The down migration of {{id}} is empty.',
  },
  migration(ctx) {
    const { migration } = ctx
    // Layouts with no place for a down (plain SQL files, Prisma, Drizzle, Supabase): saying so on every file would be noise.
    if (LAYOUTS_WITHOUT_DOWN.has(migration.layout) || migration.up.length === 0) return []
    // Flyway's undo scripts are a paid edition feature: a V script without its U is the norm, not a gap.
    if (migration.layout === 'flyway' && migration.down === null) return []
    if (migration.down === null) return [{ messageId: 'noDown', data: { id: migration.id } }]
    if (migration.down.length === 0) return [{ messageId: 'emptyDown', data: { id: migration.id } }]
    return []
  },
})
