import { defineRule, type Report } from '../src/engine/rule.js'
import { nodeAs } from '../src/sql/ast.js'
import { alterTableCommands, columnConstraints } from '../src/sql/statements.js'
import { quoteIdent, quoteQualified } from '../src/sql/lock-safe-ddl.js'

/** From this major version on, a generated column can be VIRTUAL: computed when read, nothing written. */
const VIRTUAL_VERSION = 18

// Not volatile-default's: a generated column has no default to move out of the ADD COLUMN, and no
// plain column can be turned into a stored generated one later without the same rewrite; the ways out
// are a VIRTUAL column (Postgres 18+) or a plain column kept by a trigger.
export default defineRule({
  id: 'add-stored-generated-column',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD COLUMN … GENERATED ALWAYS AS (…) STORED (or SET EXPRESSION) on an existing table rewrites every row.',
  docs: {
    why:
      'A stored generated column holds a value computed from each row, so adding one to a table with rows makes ' +
      'Postgres compute and write it for every existing row: a full rewrite of the table under an ACCESS ' +
      'EXCLUSIVE lock, during which nothing can read or write it. Changing the expression later (ALTER COLUMN … ' +
      'SET EXPRESSION) rewrites it again. A VIRTUAL generated column (Postgres 18+) is computed when read and ' +
      'adds no rewrite.',
    setup: 'CREATE TABLE orders (id bigint PRIMARY KEY, net numeric, tax numeric);',
    bad: 'ALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) STORED;',
    good:
      '-- Postgres 18+: computed when read\n' +
      'ALTER TABLE orders ADD COLUMN gross numeric GENERATED ALWAYS AS (net + tax) VIRTUAL;',
    fix:
      'On Postgres 18+, make it VIRTUAL. Before 18, add a plain column, keep it filled for new rows with a ' +
      'BEFORE INSERT OR UPDATE trigger, and backfill the existing rows in batches.',
  },
  messages: {
    added:
      'ADD COLUMN {{table}}.{{column}} GENERATED ALWAYS AS (…) STORED computes and writes the value of every existing ' +
      'row: Postgres rewrites all of {{table}} under an ACCESS EXCLUSIVE lock, and reads and writes wait for it.',
    expression:
      'ALTER COLUMN {{table}}.{{column}} SET EXPRESSION recomputes the stored value of every row: Postgres rewrites ' +
      'all of {{table}} under an ACCESS EXCLUSIVE lock, and reads and writes wait for it.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    const virtual = ctx.config.postgresVersion >= VIRTUAL_VERSION
    for (const { table, cmd } of alterTableCommands(ctx.statement.ast)) {
      if (cmd.subtype === 'AT_SetExpression' && cmd.name) {
        reports.push({ messageId: 'expression', data: { table, column: cmd.name }, table })
        continue
      }
      const def = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined
      const stored = def && columnConstraints(def).some(c => c.contype === 'CONSTR_GENERATED' && c.generated_kind === 's')
      if (!def || !stored) continue
      const column = def.colname ?? '?'
      const help = virtual
        ? `Declare it VIRTUAL instead of STORED: ALTER TABLE ${quoteQualified(table)} ADD COLUMN ${quoteIdent(column)} … GENERATED ALWAYS AS (…) VIRTUAL;`
        : `Add ${quoteIdent(column)} as a plain column, fill it for new rows with a BEFORE INSERT OR UPDATE trigger, and backfill ` +
          'the existing rows in batches (Postgres 18+ can make it VIRTUAL instead).'
      reports.push({ messageId: 'added', data: { table, column }, table, help })
    }
    return reports
  },
})
