import { defineRule } from '../src/engine/rule.js'
import type { LayoutName } from '../src/model.js'
import { nodeAs } from '../src/sql/ast.js'

export default defineRule({
  id: 'transaction-control-in-migration',
  category: 'hygiene',
  severity: 'warning',
  summary: 'BEGIN, COMMIT or ROLLBACK inside a migration that the runner already runs in a transaction.',
  docs: {
    why:
      'dbmate, diesel and Kysely run each migration inside a transaction of their own. An explicit COMMIT ends ' +
      'that transaction early: the statements after it run without one, so a failure among them leaves the ' +
      'migration half-applied and unrecorded, and re-running it trips over what already ran. A ROLLBACK undoes ' +
      'what came before it while the runner goes on as if nothing happened, and a BEGIN is ignored with a warning.',
    bad:
      '-- migrate:up\nBEGIN;\nCREATE TABLE audit (id bigint PRIMARY KEY);\nCOMMIT;\n' +
      '-- migrate:down\nDROP TABLE audit;',
    good: '-- migrate:up\nCREATE TABLE audit (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE audit;',
    fix:
      'Remove the statement: the runner already wraps the migration in a transaction. To run it outside one, ' +
      'configure the runner for it (dbmate `-- migrate:up transaction:false`, diesel `run_in_transaction = false`).',
  },
  messages: {
    begin:
      '{{statement}} in a migration that {{runner}} already runs in a transaction: Postgres ignores it with a ' +
      "warning, and the COMMIT that usually goes with it ends the runner's transaction early.",
    commit:
      '{{statement}} ends the transaction {{runner}} runs this migration in: what came before is committed on its ' +
      'own, so a failure after it leaves the migration half-applied.',
    rollback:
      '{{statement}} rolls back the transaction {{runner}} runs this migration in: what came before is undone, ' +
      'what follows runs outside the transaction, and the runner may still record the migration as applied.',
  },
  statementKinds: ['TransactionStmt'],
  statement(ctx) {
    // One query's implicit transaction is not the runner's: a BEGIN … COMMIT in it is the usual way to hold it.
    if (!ctx.migration.transactional || ctx.migration.implicitTransaction) return []
    const kind = nodeAs(ctx.statement.ast, 'TransactionStmt')?.kind
    const messageId = kind ? MESSAGE_OF[kind] : undefined
    if (!messageId) return []
    const statement = keyword(ctx.statement.sql)
    return [{
      messageId,
      data: { statement, runner: RUNNER[ctx.migration.layout] },
      help: HELP[ctx.migration.layout]?.replace('{{statement}}', statement),
    }]
  },
})

/** SAVEPOINT, RELEASE and ROLLBACK TO work inside the runner's transaction: they are not listed. */
const MESSAGE_OF: Partial<Record<string, 'begin' | 'commit' | 'rollback'>> = {
  TRANS_STMT_BEGIN: 'begin',
  TRANS_STMT_START: 'begin',
  TRANS_STMT_COMMIT: 'commit',
  TRANS_STMT_PREPARE: 'commit',
  TRANS_STMT_ROLLBACK: 'rollback',
}

const RUNNER: Record<LayoutName, string> = {
  dbmate: 'dbmate',
  diesel: 'diesel',
  kysely: "Kysely's Migrator",
  sql: 'the migration runner',
  'golang-migrate': 'the migration runner',
  prisma: 'Prisma Migrate',
  drizzle: "drizzle-orm's migrator",
  flyway: 'Flyway',
  supabase: 'the Supabase CLI',
}

const HELP: Partial<Record<LayoutName, string>> = {
  dbmate:
    'Remove the {{statement}}: dbmate already runs the migration in a transaction. To run it outside one, ' +
    'write the section marker as `-- migrate:up transaction:false`.',
  diesel:
    'Remove the {{statement}}: diesel already runs the migration in a transaction. To run it outside one, ' +
    "put `run_in_transaction = false` in the migration's metadata.toml.",
  kysely:
    "Remove the {{statement}}: Kysely's Migrator already runs migrations in a transaction on Postgres, the same " +
    'one that holds its migration lock.',
}

/** The statement as written (END, ABORT, START TRANSACTION …), not as Postgres files it. */
function keyword(sql: string): string {
  const code = sql.replace(/^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)*/, '').replace(/;\s*$/, '')
  const words = code.split(/\s+/).map(w => w.toUpperCase())
  return words[0] === 'START' || words[0] === 'PREPARE' ? words.slice(0, 2).join(' ') : (words[0] ?? '')
}
