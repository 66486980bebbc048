import { defineRule, type Report } from '../src/engine/rule.js'
import { hasSyntaxError } from '../src/parse/kysely/uncaptured.js'

const SYNTAX_HELP =
  'Fix the syntax error at this line (your editor or `npx tsc --noEmit` shows it); the migration cannot run anywhere until it parses.'

// Raised from what loading a Kysely migration found (Migration.loadProblems), not from its SQL.
export default defineRule({
  id: 'migration-load-failed',
  category: 'revert-safety',
  severity: 'error',
  summary: 'A Kysely migration threw, imported something missing, or did not finish: what it does was not (all) checked.',
  docs: {
    why:
      'migrate-lint sees what a Kysely migration does by running its up() and down() against a recording database ' +
      'that answers every query with no rows and never connects anywhere. When the migration throws, imports a ' +
      'module that is not there, or does not finish in time, every statement it would have run after that point ' +
      'goes unchecked, so nothing can be said about whether the release is safe to revert.',
    bad:
      "migrations/2024_05_01_add_tenant.ts\n" +
      "  export async function up(db: Kysely<any>) {\n" +
      "    const tenant = process.env.DEFAULT_TENANT\n" +
      "    if (!tenant) throw new Error('DEFAULT_TENANT is not set')   <- throws when linted\n" +
      "    await db.schema.alterTable('users').addColumn('tenant', 'text', c => c.notNull().defaultTo(tenant)).execute()\n" +
      '  }',
    good:
      "migrations/2024_05_01_add_tenant.ts\n" +
      "  export async function up(db: Kysely<any>) {\n" +
      "    await db.schema.alterTable('users').addColumn('tenant', 'text').execute()\n" +
      '  }\n' +
      '  (the per-environment value is written by a backfill job, not read by the migration)',
    examples: 'file-names',
    fix:
      'Make the migration runnable without a database and without outside input (environment, network, files that ' +
      'are not in the repository); raise "kysely": { "timeoutMs" } if it is only slow. When it cannot be, suppress ' +
      'the finding with the reason above the line it names.',
  },
  messages: {
    importFailed: 'Importing {{file}} failed: {{reason}}. None of its statements were checked.',
    syntaxError: '{{file}} does not parse: {{reason}}. The migration runner cannot load it either; none of its statements were checked.',
    runFailed: '{{part}}() of {{file}} could not be run to the end: {{reason}}. The statements it runs after this point were not checked.',
  },
  migration(ctx) {
    const file = ctx.migration.path
    return (ctx.migration.loadProblems ?? [])
      .filter(p => p.kind === 'failed')
      .map((p): Report => {
        if (p.part !== 'module') return { messageId: 'runFailed', data: { file, part: p.part, reason: p.reason }, loc: p.loc }
        // A syntax error is the author's to fix, whatever the linter's environment: not the advice about it.
        const text = ctx.migration.sources.find(s => s.path === file)?.text
        if (text === undefined || !hasSyntaxError(file, text)) return { messageId: 'importFailed', data: { file, reason: p.reason }, loc: p.loc }
        return { messageId: 'syntaxError', data: { file, reason: p.reason }, loc: p.loc, help: SYNTAX_HELP }
      })
  },
})
