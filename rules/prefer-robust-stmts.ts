import type { Node } from '@pgsql/types'
import { defineRule, type Report } from '../src/engine/rule.js'
import type { Statement } from '../src/model.js'
import { nodeAs } from '../src/sql/ast.js'
import { alterTableCommands } from '../src/sql/statements.js'

// squawk's prefer-robust-stmts, rule for rule: outside a transaction, a statement that fails the second
// time it runs (it already did its work) needs IF [NOT] EXISTS; a constraint added or validated
// outside one must have been dropped first in the migration.
export default defineRule({
  id: 'prefer-robust-stmts',
  category: 'style',
  severity: 'warning',
  summary: 'Outside a transaction, a statement that cannot run twice: no IF [NOT] EXISTS (squawk\'s rule, off by default).',
  docs: {
    why:
      'A migration that runs outside a transaction and fails half-way has done part of its work. Run again, its ' +
      'first statements fail on what they already made (the column exists, the table is gone), so it can never ' +
      'finish without hand edits. IF NOT EXISTS / IF EXISTS, or dropping a constraint before adding it again, make ' +
      'each statement safe to repeat; a transaction makes the whole migration all or nothing instead.',
    bad: 'ALTER TABLE app_user ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY app_user_email_idx ON app_user (email);',
    good:
      'ALTER TABLE app_user ADD COLUMN IF NOT EXISTS email text;\n' +
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS app_user_email_idx ON app_user (email);',
    fix: 'Add IF NOT EXISTS / IF EXISTS (name the index, so that it can be guarded), drop a constraint (IF EXISTS) before adding it, or run the migration in a transaction.',
  },
  messages: {
    ifExists: '{{statement}} without IF EXISTS: if the migration fails after it and runs again, it fails here.',
    ifNotExists: '{{statement}} without IF NOT EXISTS: if the migration fails after it and runs again, it fails here.',
    noTransaction: '{{statement}} outside a transaction: if the migration fails after it and runs again, it fails here or is repeated.',
    unnamed: '{{statement}} without a name: if the migration fails after it (or the build fails, leaving an INVALID index) and runs again, it builds a second index beside the first, which every write then keeps up to date.',
  },
  statementKinds: ['AlterTableStmt', 'IndexStmt', 'CreateStmt', 'DropStmt'],
  statement: ctx => robustnessReports(ctx.migration.up)[ctx.index] ?? [],
})

/** One pass per migration (the constraints dropped so far decide later ADDs), kept for the last one asked. */
let last: { up: readonly Statement[]; reports: Report[][] } | null = null

function robustnessReports(up: readonly Statement[]): Report[][] {
  if (last?.up === up && last.reports.length === up.length) return last.reports
  const constraints = new Map<string, 'dropped' | 'added'>()
  const reports = up.map(statement => statementReports(statement, constraints))
  last = { up, reports }
  return reports
}

function statementReports(statement: Statement, constraints: Map<string, 'dropped' | 'added'>): Report[] {
  const ast = statement.ast
  const out: Report[] = []
  const report = (messageId: string, what: string) => out.push({ messageId, data: { statement: what } })
  const outside = !statement.inTransaction
  for (const { table, cmd } of alterTableCommands(ast)) {
    const name = cmd.name ?? nodeAs(cmd.def, 'Constraint')?.conname
    switch (cmd.subtype) {
      case 'AT_DropConstraint':
        if (name) constraints.set(name, 'dropped')
        if (!cmd.missing_ok && outside) report('ifExists', `ALTER TABLE ${table} DROP CONSTRAINT ${name ?? ''}`.trim())
        break
      case 'AT_AddColumn':
        if (!cmd.missing_ok && outside) report('ifNotExists', `ALTER TABLE ${table} ADD COLUMN ${nodeAs(cmd.def, 'ColumnDef')?.colname ?? ''}`.trim())
        break
      case 'AT_DropColumn':
        if (!cmd.missing_ok && outside) report('ifExists', `ALTER TABLE ${table} DROP COLUMN ${name ?? ''}`.trim())
        break
      case 'AT_ValidateConstraint':
        if (!(name && constraints.has(name)) && outside) report('noTransaction', `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name ?? ''}`.trim())
        break
      case 'AT_AddConstraint':
        if (name && constraints.get(name) === 'dropped') constraints.set(name, 'added')
        else if (outside) report('noTransaction', `ALTER TABLE ${table} ADD CONSTRAINT${name ? ` ${name}` : ''}`)
        break
      default:
        if (outside) report('noTransaction', `ALTER TABLE ${table}`)
    }
  }
  const index = nodeAs(ast, 'IndexStmt')
  // CONCURRENTLY is outside any transaction by nature. An index without a name cannot be guarded: run again,
  // Postgres picks the next free name (t_a_idx1) and builds a duplicate, as squawk's docs page says.
  if (index && !index.if_not_exists && (index.concurrent || outside)) {
    const what = `CREATE INDEX${index.concurrent ? ' CONCURRENTLY' : ''}`
    if (index.idxname) report('ifNotExists', `${what} ${index.idxname}`)
    else report('unnamed', `${what} ON ${index.relation?.relname ?? ''}`.trim())
  }
  const create = nodeAs(ast, 'CreateStmt')
  if (create && !create.if_not_exists && outside && !temporaryDroppedAtCommit(ast)) report('ifNotExists', `CREATE TABLE ${create.relation?.relname ?? ''}`)
  const drop = nodeAs(ast, 'DropStmt')
  const what = DROPPED[drop?.removeType ?? '']
  if (drop && what && !drop.missing_ok && outside) report('ifExists', what)
  return out
}

const DROPPED: Record<string, string> = { OBJECT_INDEX: 'DROP INDEX', OBJECT_TABLE: 'DROP TABLE', OBJECT_TYPE: 'DROP TYPE' }

function temporaryDroppedAtCommit(ast: Node | null): boolean {
  const create = nodeAs(ast, 'CreateStmt')
  return create?.relation?.relpersistence === 't' && create.oncommit === 'ONCOMMIT_DROP'
}
