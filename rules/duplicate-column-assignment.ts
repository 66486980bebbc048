import type { Node } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import { nodeAs, relationName, strings } from '../src/sql/ast.js'
import { alterTableCommands } from '../src/sql/statements.js'

export default defineRule({
  id: 'duplicate-column-assignment',
  category: 'hygiene',
  severity: 'error',
  summary: 'The same column assigned, listed or added twice in one statement: Postgres refuses it.',
  docs: {
    why:
      'UPDATE … SET a = 1, a = 2, INSERT INTO t (a, a), ON CONFLICT DO UPDATE SET with a column twice, CREATE TABLE ' +
      'with two columns of one name, a view or CREATE TABLE … AS / SELECT … INTO whose query yields two columns of one ' +
      'name (SELECT 1, 2 names both "?column?"), MERGE … INSERT (a, a) / UPDATE SET a = 1, a = 2, and ALTER TABLE … ' +
      'ADD COLUMN a …, ADD COLUMN a … all fail with an error ' +
      '("multiple assignments to same column", "specified more than once", "already exists"): the migration stops ' +
      'there, in the middle of a deploy. Usually one of the two was meant to be another column.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, email_verified boolean);',
    bad: 'UPDATE users SET email = lower(email), email = true WHERE id = 1;',
    good: 'UPDATE users SET email = lower(email), email_verified = true WHERE id = 1;',
    fix: 'Assign each column once: keep the assignment that was meant, or name the column the other one was for.',
  },
  messages: {
    assigned: '{{statement}} assigns {{column}} more than once: Postgres refuses the statement ("multiple assignments to same column").',
    listed: '{{statement}} lists {{column}} more than once: Postgres refuses the statement ("specified more than once").',
    yielded: '{{statement}} makes two columns named {{column}}: Postgres refuses the statement ("column … specified more than once"). Give them distinct names (AS …) or a column list.',
    added: 'ALTER TABLE {{table}} adds the column {{column}} twice: Postgres refuses the statement (it already exists).',
  },
  statementKinds: ['UpdateStmt', 'InsertStmt', 'CreateStmt', 'CreateForeignTableStmt', 'AlterTableStmt', 'ViewStmt', 'CreateTableAsStmt', 'SelectStmt', 'MergeStmt'],
  statement(ctx) {
    const ast = ctx.statement.ast
    const update = nodeAs(ast, 'UpdateStmt')
    if (update) return twice(update.targetList).map(column => ({ messageId: 'assigned', data: { statement: `UPDATE ${relationName(update.relation)}`, column } }))
    const insert = nodeAs(ast, 'InsertStmt')
    if (insert) {
      const statement = `INSERT INTO ${relationName(insert.relation)}`
      return [
        ...twice(insert.cols).map(column => ({ messageId: 'listed', data: { statement, column } })),
        ...twice(insert.onConflictClause?.targetList).map(column => ({ messageId: 'assigned', data: { statement: `${statement} … ON CONFLICT DO UPDATE`, column } })),
      ]
    }
    const merge = nodeAs(ast, 'MergeStmt')
    if (merge) {
      const statement = `MERGE INTO ${relationName(merge.relation)}`
      return (merge.mergeWhenClauses ?? []).flatMap(item => {
        const when = nodeAs(item, 'MergeWhenClause')
        if (when?.commandType === 'CMD_UPDATE') return twice(when.targetList).map(column => ({ messageId: 'assigned', data: { statement: `${statement} … UPDATE`, column } }))
        if (when?.commandType === 'CMD_INSERT') return twice(when.targetList).map(column => ({ messageId: 'listed', data: { statement: `${statement} … INSERT`, column } }))
        return []
      })
    }
    const view = nodeAs(ast, 'ViewStmt')
    if (view) return yielded(`CREATE VIEW ${relationName(view.view)}`, strings(view.aliases), view.query)
    const createAs = nodeAs(ast, 'CreateTableAsStmt')
    if (createAs?.into) return yielded(`CREATE ${createAs.objtype === 'OBJECT_MATVIEW' ? 'MATERIALIZED VIEW' : 'TABLE'} ${relationName(createAs.into.rel)} AS`, strings(createAs.into.colNames), createAs.query)
    const selectInto = nodeAs(ast, 'SelectStmt')
    if (selectInto?.intoClause) return yielded(`SELECT … INTO ${relationName(selectInto.intoClause.rel)}`, strings(selectInto.intoClause.colNames), ast)
    const create = nodeAs(ast, 'CreateStmt') ?? nodeAs(ast, 'CreateForeignTableStmt')?.base
    if (create) {
      const names = (create.tableElts ?? []).map(e => nodeAs(e, 'ColumnDef')?.colname).filter((n): n is string => Boolean(n))
      return repeated(names).map(column => ({ messageId: 'listed', data: { statement: `CREATE TABLE ${relationName(create.relation)}`, column } }))
    }
    const added = new Set<string>()
    const reports = []
    for (const { table, cmd } of alterTableCommands(ast)) {
      const column = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef')?.colname : undefined
      if (!column) continue
      // ADD COLUMN IF NOT EXISTS skips a column the statement already added.
      if (added.has(column) && !cmd.missing_ok) reports.push({ messageId: 'added', data: { table, column } })
      added.add(column)
    }
    return reports
  },
})

/**
 * The columns a target list names more than once, in order. Assignments to parts of one column
 * (SET a[1] = …, a[2] = …) are allowed; a whole-column one next to them is not.
 */
function twice(targets: Node[] | undefined): string[] {
  const whole = new Map<string, number>()
  const all = new Map<string, number>()
  for (const item of targets ?? []) {
    const target = nodeAs(item, 'ResTarget')
    if (!target?.name) continue
    all.set(target.name, (all.get(target.name) ?? 0) + 1)
    if (!target.indirection?.length) whole.set(target.name, (whole.get(target.name) ?? 0) + 1)
  }
  return [...all].filter(([name, count]) => count > 1 && whole.has(name)).map(([name]) => name)
}

/** Reports for a relation made from a query: its columns are the column list, then the query's own names. */
function yielded(statement: string, aliases: string[], query: Node | null | undefined) {
  const select = nodeAs(query ?? null, 'SelectStmt')
  // A set operation (UNION …) takes its names from the first branch; VALUES names its columns column1, column2, ….
  let first = select
  while (first?.op && first.op !== 'SETOP_NONE') first = first.larg
  if (!first?.targetList && !aliases.length) return []
  const names: (string | null)[] = (first?.targetList ?? []).map(outputName)
  // The column list renames the first columns; the rest keep the query's names.
  aliases.forEach((alias, i) => { names[i] = alias })
  return repeated(names.filter((n): n is string => n !== null)).map(column => ({ messageId: 'yielded', data: { statement, column } }))
}

/**
 * The name Postgres gives a select-list entry without AS (FigureColname), where it can be told from the text alone;
 * null where it cannot (a `*` expands to columns only the schema knows, a cast names the type as Postgres spells it).
 */
function outputName(item: Node): string | null {
  const target = nodeAs(item, 'ResTarget')
  if (!target) return null
  if (target.name) return target.name
  const value = target.val ?? null
  const column = nodeAs(value, 'ColumnRef')
  if (column) {
    const last = column.fields?.[column.fields.length - 1]
    return last && !nodeAs(last, 'A_Star') ? strings([last])[0] ?? null : null
  }
  const call = nodeAs(value, 'FuncCall')
  if (call) return strings(call.funcname).at(-1) ?? null
  if (nodeAs(value, 'CoalesceExpr')) return 'coalesce'
  if (nodeAs(value, 'CaseExpr')) return 'case'
  // Constants and operators have no name of their own: Postgres calls each of them "?column?".
  if (nodeAs(value, 'A_Const') || nodeAs(value, 'A_Expr') || nodeAs(value, 'BoolExpr')) return '?column?'
  return null
}

function repeated(names: string[]): string[] {
  const seen = new Set<string>()
  const out = new Set<string>()
  for (const name of names) (seen.has(name) ? out : seen).add(name)
  return [...out]
}
