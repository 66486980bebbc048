import type { Node } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'
import { alterTableCommands } from '../src/sql/statements.js'

export default defineRule({
  id: 'duplicate-column-assignment',
  category: 'hygiene',
  severity: 'error',
  summary: 'The same column assigned, listed or added twice in one statement: Postgres refuses it.',
  docs: {
    why:
      'UPDATE … SET a = 1, a = 2, INSERT INTO t (a, a), ON CONFLICT DO UPDATE SET with a column twice, CREATE TABLE ' +
      'with two columns of one name, and ALTER TABLE … ADD COLUMN a …, ADD COLUMN a … all fail with an error ' +
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
    added: 'ALTER TABLE {{table}} adds the column {{column}} twice: Postgres refuses the statement (it already exists).',
  },
  statementKinds: ['UpdateStmt', 'InsertStmt', 'CreateStmt', 'AlterTableStmt'],
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
    const create = nodeAs(ast, 'CreateStmt')
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

function repeated(names: string[]): string[] {
  const seen = new Set<string>()
  const out = new Set<string>()
  for (const name of names) (seen.has(name) ? out : seen).add(name)
  return [...out]
}
