import type { AlterTableCmd } from '@pgsql/types'
import { describeInserts } from '../src/engine/code-usage.js'
import { defineRule, type CodeUsage, type Report, type StatementContext } from '../src/engine/rule.js'
import { renamedColumn, renamedTable } from '../src/sql/breaking-ddl.js'
import { alterTableCommands } from '../src/sql/statements.js'
import { insertsInto, omits } from '../src/usage/usage-query.js'

export default defineRule({
  id: 'drop-default-still-used',
  category: 'revert-safety',
  severity: 'error',
  summary: 'DROP DEFAULT on a NOT NULL column that INSERTs of the previous release leave out.',
  docs: {
    why:
      'An INSERT that leaves a NOT NULL column out relies on its default. Once the default is gone, every such ' +
      'INSERT of the previous release fails with a not-null violation: during the deploy, and after a revert.',
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'active');",
    bad: 'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;',
    good:
      '-- release N: ship code whose INSERTs always set status (no migration)\n' +
      '-- release N+1, once no running release relies on the default:\n' +
      '--   ALTER TABLE users ALTER COLUMN status DROP DEFAULT;',
    fix:
      'Release N: make every INSERT set the column; release N+1: DROP DEFAULT. Replacing the default (DROP DEFAULT, ' +
      'then SET DEFAULT later in the same migration, as around a type change) keeps old INSERTs working.',
  },
  messages: {
    omitted: 'DROP DEFAULT on {{table}}.{{column}} (NOT NULL): INSERTs of release {{base}} leave it out ({{where}}) and will fail.',
    unverified: 'DROP DEFAULT on {{table}}.{{column}} (NOT NULL): no code scan proved that every INSERT of the previous release sets it.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const commands = alterTableCommands(ctx.statement.ast)
    return commands
      .filter(({ cmd }) => cmd.subtype === 'AT_ColumnDefault' && !cmd.def && cmd.name)
      .filter(({ table }) => ctx.existedBeforeRelease(table))
      .filter(({ table, cmd }) => !defaultSetAgain(ctx, commands.slice(commands.findIndex(c => c.cmd === cmd) + 1).map(c => c.cmd), table, cmd.name!))
      .filter(({ table, cmd }) => {
        const column = ctx.schema.column(table, cmd.name!)
        // Unknown to the model: it may well be NOT NULL. Known nullable: old INSERTs get NULL, not an error.
        return !column || (!column.nullable && !column.generated)
      })
      .flatMap(({ table, cmd }) => omittingInserts(table, cmd.name!, ctx.code, !ctx.columnExistedBeforeRelease(table, cmd.name!)))
  },
})

/**
 * Whether the rest of the migration gives the column a default again (DROP DEFAULT, retype, SET DEFAULT):
 * once it has run, an INSERT that leaves the column out gets the new default. `rest` are the commands that
 * follow the drop in its own statement; then the migration's later statements, through renames.
 */
function defaultSetAgain(ctx: StatementContext, rest: AlterTableCmd[], table: string, column: string): boolean {
  let name = { table, column }
  const verdict = (cmds: AlterTableCmd[]): boolean | undefined => {
    for (const cmd of cmds) {
      if (cmd.name !== name.column) continue
      if (cmd.subtype === 'AT_ColumnDefault') return Boolean(cmd.def)
      if (cmd.subtype === 'AT_DropColumn') return false
    }
    return undefined
  }
  const inStatement = verdict(rest)
  if (inStatement !== undefined) return inStatement
  for (const statement of ctx.migration.up.slice(ctx.index + 1)) {
    const column = renamedColumn(statement.ast)
    if (column?.table === name.table && column.from === name.column) name = { ...name, column: column.to }
    const moved = renamedTable(statement.ast)
    if (moved?.from === name.table) name = { ...name, table: moved.to }
    const later = verdict(alterTableCommands(statement.ast).filter(c => c.table === name.table).map(c => c.cmd))
    if (later !== undefined) return later
  }
  return false
}

/** A column this release adds (with the default now dropped) is left out by every INSERT of the previous release. */
function omittingInserts(table: string, column: string, code: CodeUsage | null, addedInRelease: boolean): Report[] {
  const data = { table, column }
  const help = `Release N (this one): make every INSERT into ${table} set ${column}; release N+1: ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT;`
  if (!code) return addedInRelease ? [] : [{ messageId: 'unverified', data, help }]
  const omitting = insertsInto(code.base, table).filter(i => addedInRelease || omits(i, column))
  if (!omitting.length) return []
  return [{ messageId: 'omitted', data: { ...data, base: code.baseLabel, where: describeInserts(omitting) }, help }]
}
