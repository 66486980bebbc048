import { DROP_MESSAGES, takenUse, takenUseReport } from '../src/engine/code-usage.js'
import { defineRule, type CodeUsage, type Report } from '../src/engine/rule.js'
import { absentTargets } from '../src/schema/absent-objects.js'
import { cascadeDrops, droppedColumns, type DroppedColumn } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'drop-column-still-read',
  category: 'revert-safety',
  severity: 'error',
  summary: 'DROP COLUMN of a column that the previous release may still read or write.',
  docs: {
    why:
      'The drop takes effect the moment the migration runs, while the servers of the previous release are still ' +
      'serving traffic: every query of theirs that names the column (an ORM names every column it maps) fails ' +
      'with "column does not exist". After a revert of the code the same queries fail, so the release cannot be ' +
      'rolled back.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
    bad: 'ALTER TABLE users DROP COLUMN email;',
    good:
      '-- this release: the code stops reading users.email, and inserts may leave it out\n' +
      'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n' +
      '-- the next release: ALTER TABLE users DROP COLUMN email;',
    fix:
      'Ship the code that stops reading and writing the column first; drop it in the next release ' +
      '(`migrate-lint plan drop-column <table.column>` writes the migrations of both).',
  },
  messages: {
    stillRead:
      'DROP COLUMN {{table}}.{{column}}: release {{base}} still reads it ({{where}}). Reverting the app to {{base}} ' +
      'after this migration breaks that query.',
    headStillReads:
      "DROP COLUMN {{table}}.{{column}}: this release's code still reads it ({{where}}); those queries fail as soon as the migration runs.",
    unverified:
      'DROP COLUMN {{table}}.{{column}}: no code scan proved that the previous release no longer reads or writes ' +
      '{{table}}.{{column}}.',
    // A column the release drops and adds back (or renames another column into) with another type: the
    // old queries find it, but the values are of the new type (src/engine/drop-notes.ts).
    retyped:
      'DROP COLUMN {{table}}.{{column}} is added back as {{newType}} (it was {{oldType}}) by the end of the release: ' +
      'release {{base}} still uses it ({{where}}) and meets {{newType}} values, which its reads and writes may not take.',
    retypedUnverified:
      'DROP COLUMN {{table}}.{{column}} is added back as {{newType}} (it was {{oldType}}) by the end of the release: ' +
      'no code scan proved that the previous release does not read or write it as {{oldType}}.',
  },
  statementKinds: ['AlterTableStmt', 'DropStmt'],
  statement(ctx) {
    const absent = absentTargets(ctx.statement.ast, ctx.schema).columns
    return [...droppedColumns(ctx.statement.ast), ...cascadeDrops(ctx.statement.ast, ctx.schema).columns]
      .filter(drop => ctx.columnExistedBeforeRelease(drop.table, drop.column))
      .flatMap(drop => usageReports(drop, ctx.code, absent.has(`${drop.table}.${drop.column}`), ctx.schema.column(drop.table, drop.column)?.type.text ?? null))
  },
})

/** The message for a column the release adds back with another type, by what the code said of the drop. */
const RETYPED: Record<string, string | null> = { stillRead: 'retyped', unverified: 'retypedUnverified', headStillReads: null }

/**
 * Without a code scan nothing proves the previous release stopped using the column. With one, the
 * drop is fine when neither the previous release's code nor this one's touches the column. `type`:
 * the column's before the drop (null: unknown to the model).
 */
function usageReports(drop: DroppedColumn, code: CodeUsage | null, absent: boolean, type: string | null): Report[] {
  const help =
    `Release N (this one): ship the code that stops reading and writing ${drop.table}.${drop.column}; ` +
    `release N+1: ALTER TABLE ${drop.table} DROP COLUMN ${drop.column};`
  const report = takenUseReport(takenUse(code, drop.table, drop.column, absent), DROP_MESSAGES, { table: drop.table, column: drop.column })
  if (!report) return []
  // Judged again at the release's end: a column back by then is still there for the old code.
  const dropped = { table: drop.table, column: drop.column, type, retyped: RETYPED[report.messageId] ?? null }
  return [{ ...report, help, subject: `${drop.table}.${drop.column}`, dropped }]
}
