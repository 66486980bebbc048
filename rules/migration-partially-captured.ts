import { defineRule, type Report } from '../src/engine/rule.js'

// Raised from what loading a Kysely migration found (Migration.loadProblems), not from its SQL.
export default defineRule({
  id: 'migration-partially-captured',
  category: 'hygiene',
  // What up() would do after the read was never seen: the release is unproven (src/release/verdict.ts).
  severity: 'error',
  summary: 'A Kysely migration reads data back and stopped on the empty result: the statements after the read were not checked.',
  docs: {
    why:
      'migrate-lint runs a Kysely migration against a recording database that has no rows. A migration that reads ' +
      'a row and insists on getting one (executeTakeFirstOrThrow) stops right there, so the statements it would run ' +
      'after the read are never seen and no rule checks them. Migrations that depend on the data also behave ' +
      'differently in every environment, which is a risk of its own.',
    bad:
      "migrations/2024_05_02_settings.ts\n" +
      "  const admin = await db.selectFrom('users').select('id').where('role', '=', 'admin').executeTakeFirstOrThrow()\n" +
      "  await db.schema.alterTable('settings').addColumn('owner_id', 'bigint', c => c.notNull().defaultTo(admin.id)).execute()",
    good:
      "migrations/2024_05_02_settings.ts\n" +
      "  await db.schema.alterTable('settings').addColumn('owner_id', 'bigint').execute()\n" +
      '  (the owner is filled in by a backfill that runs after the deploy)',
    examples: 'file-names',
    fix:
      'Keep schema changes free of reads: do the data-dependent part in a backfill (a separate script or a later ' +
      'migration that only writes data), or use executeTakeFirst() and handle the missing row.',
  },
  messages: {
    partial: '{{part}}() of {{file}} stopped here: {{reason}}; what it does after this line was not checked.',
    partialDown: 'down() of {{file}} stopped here: {{reason}}; what it does after this line was not checked.',
  },
  migration(ctx) {
    const file = ctx.migration.path
    return (ctx.migration.loadProblems ?? [])
      .filter(p => p.kind === 'partial')
      .map((p): Report => ({ messageId: p.part === 'down' ? 'partialDown' : 'partial', data: { file, part: p.part, reason: p.reason }, loc: p.loc }))
  },
})
