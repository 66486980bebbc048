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
    fix: 'Write the down migration (a .down.sql file, a -- migrate:down section, down.sql, or down()).',
  },
  messages: {
    noDown: 'Migration {{id}} has no down migration.',
    emptyDown: 'The down migration of {{id}} is empty.',
  },
  migration(ctx) {
    const { migration } = ctx
    // Single-file SQL layouts have no place for a down: saying so on every file would be noise.
    if (migration.layout === 'sql' || migration.up.length === 0) return []
    if (migration.down === null) return [{ messageId: 'noDown', data: { id: migration.id } }]
    if (migration.down.length === 0) return [{ messageId: 'emptyDown', data: { id: migration.id } }]
    return []
  },
})
