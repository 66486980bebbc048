import { defineRule, type CodeUsage, type Report, type StatementContext, type UnestablishedUse, type UseQuery } from '../src/engine/rule.js'
import { listName, nodeAs, strings, typeNameOf } from '../src/sql/ast.js'
import { describeUses } from '../src/engine/code-usage.js'
import { cascadeDrops, droppedColumns, droppedRoutines, droppedViews, viewRemade } from '../src/sql/breaking-ddl.js'
import { notNullCommands } from '../src/sql/not-null-check.js'
import { alterTableCommands, droppedTables } from '../src/sql/statements.js'
import { absentTargets } from '../src/schema/absent-objects.js'
import { insertsInto, isWrite, namesColumn, omits, usagesOf } from '../src/usage/usage-query.js'

export default defineRule({
  id: 'unproven-change',
  category: 'revert-safety',
  severity: 'error',
  summary: 'A change that can break the previous release\'s code, whose use of the object could not be established.',
  docs: {
    why:
      '"Revert-safe" is a promise that the previous release\'s code still runs on the schema this release leaves. ' +
      'It can only be made for uses the code readers established. When a dropped table or column, or a new ' +
      'requirement on writes, meets code that no reader understands (another language, another data layer, SQL ' +
      'in a string nobody recognised, a query whose table stays dynamic, no code at all) or a migration statement ' +
      'whose effect cannot be analysed (dynamic SQL in a DO block), the release is unproven: not known to break, ' +
      'not known to be safe. It fails the run like an error unless the config lowers the rule to a warning.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: "DO $$ BEGIN EXECUTE format('ALTER TABLE %I DROP COLUMN email', 'users'); END $$;",
    good: 'ALTER TABLE users DROP COLUMN email;  -- no code of the previous release names users.email',
    fix:
      'Look at the places named: if none uses the object, suppress the finding with that reason ' +
      '(-- migrate-lint-disable-next-line unproven-change -- <reason>); if one does, ship the code change first and ' +
      'make this change in the next release. Point "code" in the config at all the application code, in any language.',
  },
  messages: {
    unanalysed: '{{reason}}: what it changes could not be analysed, so the release cannot be proven revert-safe.',
    mayUse: '{{change}}: release {{base}} may still use {{object}} ({{evidence}}); no reader established whether it does.',
    viewShapeUnknown:
      'DROP VIEW {{view}}: this migration makes it again, but its columns cannot be told from its text, and release ' +
      '{{base}} reads {{columns}} from it ({{where}}).',
  },
  statementKinds: ['AlterTableStmt', 'DropStmt', 'DoStmt', 'AlterEnumStmt'],
  statement(ctx) {
    const reports: Report[] = []
    if (ctx.statement.unanalysed) reports.push({ messageId: 'unanalysed', data: { reason: ctx.statement.unanalysed } })
    const code = ctx.code
    if (!code) return reports
    reports.push(...remadeViewsOfUnknownShape(ctx, code))
    for (const change of [...takenAway(ctx, code), ...renamedLabels(ctx)]) {
      const evidence = code.unestablished(change.query)
      if (!evidence.length) continue
      const data = { change: change.describe, base: code.baseLabel, object: change.object, evidence: describeEvidence(evidence) }
      reports.push({ messageId: 'mayUse', data, subject: change.subject })
    }
    return reports
  },
})

interface TakenAway {
  /** `DROP COLUMN users.email` */
  describe: string
  /** `users.email`, `the label 'sad'` */
  object: string
  /** A column, or the whole table when the change concerns any use of it (it is dropped, or old INSERTs into it may fail). */
  query: UseQuery
  /** A dropped column (`users.email`): Report.subject. */
  subject?: string
}

/** A view dropped and made again whose new columns the text does not tell (`SELECT *`), while old code reads columns of it. */
function remadeViewsOfUnknownShape(ctx: StatementContext, code: CodeUsage): Report[] {
  return droppedViews(ctx.statement.ast).flatMap(view => {
    if (viewRemade(ctx, view)?.columns !== null) return []
    const reads = usagesOf(code.base, view).filter(namesColumn)
    if (!reads.length) return []
    const columns = [...new Set(reads.map(u => u.column))].join(', ')
    return [{ messageId: 'viewShapeUnknown', data: { view, base: code.baseLabel, columns, where: describeUses(reads) } }]
  })
}

/**
 * `ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy'`: old code that writes or compares 'sad' fails
 * ("invalid input value for enum"). No reader follows values, so any literal of the label in code
 * naming a table of that type (or the type) may be such a use.
 */
function renamedLabels(ctx: StatementContext): TakenAway[] {
  const alter = nodeAs(ctx.statement.ast, 'AlterEnumStmt')
  if (!alter?.oldVal || !alter.newVal) return []
  const type = listName(strings(alter.typeName))
  if (!ctx.enumExistedBeforeRelease(type)) return []
  const tables = [...ctx.schema.tables.values()]
    .filter(t => [...t.columns.values()].some(c => typeNameOf(c.type) === type))
    .map(t => t.name)
  return [
    {
      describe: `ALTER TYPE ${type} RENAME VALUE '${alter.oldVal}'`,
      object: `the label '${alter.oldVal}'`,
      query: { label: alter.oldVal, names: [type, ...tables] },
    },
  ]
}

/**
 * What the statement takes away from the previous release's code and its readers did not already
 * find in use (those uses are the other revert-safety rules' findings): a dropped table or column, a
 * NOT NULL or a dropped default that INSERTs leaving the column out would hit.
 */
function takenAway(ctx: StatementContext, code: CodeUsage): TakenAway[] {
  const out: TakenAway[] = []
  const ast = ctx.statement.ast
  const cascade = cascadeDrops(ast, ctx.schema)
  // DROP … IF EXISTS of what is not there takes nothing away: a mention of its name proves no use.
  const absent = absentTargets(ast, ctx.schema)
  for (const table of [...droppedTables(ast), ...cascade.tables]) {
    if (!ctx.existedBeforeRelease(table) || absent.relations.has(table) || usagesOf(code.base, table).length) continue
    out.push({ describe: `DROP TABLE ${table}`, object: table, query: { table } })
  }
  for (const view of droppedViews(ast)) {
    if (viewRemade(ctx, view) || absent.relations.has(view) || usagesOf(code.base, view).length) continue
    out.push({ describe: `DROP VIEW ${view}`, object: view, query: { table: view } })
  }
  for (const name of droppedRoutines(ast)) {
    // No reader follows calls (`supabase.rpc('name')`, `SELECT name(…)`): any mention is the evidence.
    out.push({ describe: `DROP FUNCTION ${name}`, object: `the function ${name}`, query: { table: name } })
  }
  for (const { table, column } of [...droppedColumns(ast), ...cascade.columns]) {
    if (ctx.columnExistedBeforeRelease(table, column) && !absent.columns.has(`${table}.${column}`) && !usagesOf(code.base, table, column).length) {
      out.push({ describe: `DROP COLUMN ${table}.${column}`, object: `${table}.${column}`, query: { table, column }, subject: `${table}.${column}` })
    }
  }
  // SET NOT NULL and Postgres 18's ADD [CONSTRAINT n] NOT NULL col (NOT VALID too: it checks every write), then DROP DEFAULT.
  const requirements = [
    ...notNullCommands(ast).map(c => ({ table: c.table, name: c.column, what: c.what, notNull: true })),
    ...alterTableCommands(ast)
      .filter(({ cmd }) => cmd.subtype === 'AT_ColumnDefault' && !cmd.def && cmd.name)
      .map(({ table, cmd }) => ({ table, name: cmd.name!, what: 'DROP DEFAULT', notNull: false })),
  ]
  for (const { table, name, what, notNull } of requirements) {
    if (!ctx.existedBeforeRelease(table)) continue
    const current = ctx.schema.column(table, name)
    const requires = notNull ? current?.nullable !== false && current?.default == null : !current || (!current.nullable && !current.generated)
    if (!requires) continue
    // Old INSERTs that leave the column out now fail; those the readers found are the other rules' findings.
    const inserts = insertsInto(code.base, table)
    const established = ctx.columnExistedBeforeRelease(table, name) ? inserts.some(i => omits(i, name)) : inserts.length > 0
    if (established || usagesOf(code.base, table, name).some(isWrite)) continue
    out.push({ describe: `${what} on ${table}.${name}`, object: table, query: { table } })
  }
  return out
}

/** `src/report.go:12 names users.email in code no reader understands, and 2 more places` */
function describeEvidence(uses: readonly UnestablishedUse[]): string {
  const [first] = uses
  const where = first.file === null ? first.why : `${first.file}:${first.line} ${first.why}`
  const more = uses.length - 1
  return more ? `${where}, and ${more} more place${more === 1 ? '' : 's'}` : where
}
