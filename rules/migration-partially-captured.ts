import { defineRule, type Report } from '../src/engine/rule.js'

// Raised from what loading a Kysely migration found (Migration.loadProblems), not from its SQL.
export default defineRule({
  id: 'migration-partially-captured',
  category: 'hygiene',
  // What up() would do after the read, or in a query that never ran, was never seen: the release is
  // unproven (src/release/verdict.ts).
  severity: 'error',
  summary:
    'A Kysely migration stopped on a read of the empty recording database, or holds queries that never ran under the linter: what they do was not checked.',
  docs: {
    why:
      'migrate-lint runs a Kysely migration against a recording database that has no rows. A migration that reads ' +
      'a row and insists on getting one (executeTakeFirstOrThrow) stops right there, so the statements it would run ' +
      'after the read are never seen and no rule checks them. Migrations that depend on the data also behave ' +
      'differently in every environment, which is a risk of its own. Likewise a query the migration holds that never ' +
      'ran under the linter: the branch that runs it depends on the environment or on the data (the recording database ' +
      'has none), or the builder was changed so that it records nothing. migrate-lint compares the queries up() and ' +
      'down() hold (and the functions of the same file they call) with the ones it saw run, and reports each one it ' +
      'did not see: what it does was not checked, so the release is unproven.',
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
    uncaptured:
      '`{{query}}` in up() of {{file}} never ran under the linter: the branch that runs it was not taken (it depends on the ' +
      'environment or on data, and the recording database has none), or the builder was changed; what it does was not checked.',
    uncapturedDown:
      '`{{query}}` in down() of {{file}} never ran under the linter: the branch that runs it was not taken (it depends on the ' +
      'environment or on data, and the recording database has none), or the builder was changed; what it does was not checked.',
    notCrossChecked: 'Whether every query {{part}}() of {{file}} holds ran under the linter could not be checked: {{reason}}.',
    notCrossCheckedDown: 'Whether every query down() of {{file}} holds ran under the linter could not be checked: {{reason}}.',
  },
  migration(ctx) {
    const file = ctx.migration.path
    return (ctx.migration.loadProblems ?? []).flatMap((p): Report[] => {
      const down = p.part === 'down'
      const data = { file, part: p.part, reason: p.reason, query: p.query ?? '' }
      if (p.kind === 'partial') return [{ messageId: down ? 'partialDown' : 'partial', data, loc: p.loc }]
      if (p.kind !== 'uncaptured') return []
      if (p.query === undefined) return [{ messageId: down ? 'notCrossCheckedDown' : 'notCrossChecked', data, loc: p.loc }]
      return [{ messageId: down ? 'uncapturedDown' : 'uncaptured', data, loc: p.loc }]
    })
  },
})
