import { describeUses, DROP_MESSAGES, takenUse, takenUseReport } from '../src/engine/code-usage.js'
import { namesColumn, usagesOf } from '../src/usage/usage-query.js'
import { defineRule, type CodeUsage, type Report } from '../src/engine/rule.js'
import { absentTargets, remadeAfterDrop } from '../src/schema/absent-objects.js'
import { droppedTables } from '../src/sql/statements.js'
import { cascadeDrops, droppedViews, viewRemade } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'drop-table-still-read',
  category: 'revert-safety',
  severity: 'error',
  summary: 'DROP TABLE (or DROP VIEW) of a relation that the previous release may still read or write.',
  docs: {
    why:
      'The drop takes effect the moment the migration runs, while the servers of the previous release are still ' +
      'serving traffic: every query of theirs on the table fails with "relation does not exist". After a revert ' +
      'of the code the same queries fail, and the table\'s data is gone, so the release cannot be rolled back.',
    setup: 'CREATE TABLE sessions_old (id bigint PRIMARY KEY, token text);',
    bad: 'DROP TABLE sessions_old;',
    good:
      '-- this release: the code stops using sessions_old; the table stays\n' +
      "COMMENT ON TABLE sessions_old IS 'unused since this release; dropped in the next one';",
    fix: 'Ship the code that stops reading and writing the table first; drop it in the next release.',
  },
  messages: {
    stillRead:
      'DROP {{kind}} {{table}}: release {{base}} still uses it ({{where}}). Reverting the app to {{base}} after this ' +
      'migration breaks those queries.',
    headStillReads: "DROP {{kind}} {{table}}: this release's code still uses it ({{where}}); those queries fail as soon as the migration runs.",
    unverified: 'DROP {{kind}} {{table}}: no code scan proved that the previous release no longer reads or writes {{table}}.',
    viewColumnsGone:
      'DROP VIEW {{table}}: the view this migration makes again has no {{columns}}, which release {{base}} reads ({{where}}).',
  },
  statementKinds: ['DropStmt'],
  statement(ctx) {
    // DROP … IF EXISTS of a relation that is not there, or of a scratch table the migration makes again,
    // takes nothing away, unless code uses it.
    const absent = absentTargets(ctx.statement.ast, ctx.schema).relations
    const tables = [...droppedTables(ctx.statement.ast), ...cascadeDrops(ctx.statement.ast, ctx.schema).tables]
      .filter(table => ctx.existedBeforeRelease(table))
      .flatMap(table => usageReports(table, 'TABLE', ctx.code, absent.has(table) || remadeAfterDrop(ctx, table)))
    const views = droppedViews(ctx.statement.ast).flatMap(view => {
      const remade = viewRemade(ctx, view)
      if (!remade) return usageReports(view, 'VIEW', ctx.code, absent.has(view))
      // Made again in the same migration: the old code breaks only on the columns it no longer has.
      if (!ctx.code || remade.columns === null) return []
      const gone = usagesOf(ctx.code.base, view).filter(u => namesColumn(u) && !remade.columns!.includes(u.column))
      if (!gone.length) return []
      const columns = [...new Set(gone.map(u => u.column))].join(', ')
      return [{ messageId: 'viewColumnsGone', data: { table: view, columns, base: ctx.code.baseLabel, where: describeUses(gone) } }]
    })
    return [...tables, ...views]
  },
})

/** Without a code scan nothing proves the previous release stopped using the relation; with one, the places say it. */
function usageReports(table: string, kind: 'TABLE' | 'VIEW', code: CodeUsage | null, absent: boolean): Report[] {
  const help = `Release N (this one): ship the code that stops reading and writing ${table}; release N+1: DROP ${kind} ${table};`
  const report = takenUseReport(takenUse(code, table, undefined, absent), DROP_MESSAGES, { table, kind })
  return report ? [{ ...report, help }] : []
}
