// Questions rules ask of one statement's AST, answered in one place.
import type { AlterTableCmd, ColumnDef, Constraint, Node } from '@pgsql/types'
import { listName, nodeAs, relationName, strings } from './ast.js'

export interface AlterCommand {
  table: string
  cmd: AlterTableCmd
}

/** The commands of an `ALTER TABLE` (not ALTER INDEX / VIEW …), each with its table. */
export function alterTableCommands(ast: Node | null): AlterCommand[] {
  const alter = nodeAs(ast, 'AlterTableStmt')
  if (!alter || (alter.objtype && alter.objtype !== 'OBJECT_TABLE')) return []
  const table = relationName(alter.relation)
  const out: AlterCommand[] = []
  for (const node of alter.cmds ?? []) {
    const cmd = nodeAs(node, 'AlterTableCmd')
    if (cmd) out.push({ table, cmd })
  }
  return out
}

export interface AddedColumn {
  table: string
  def: ColumnDef
  notNull: boolean
  defaultExpr: Node | undefined
  generated: boolean
}

export function addedColumns(ast: Node | null): AddedColumn[] {
  const out: AddedColumn[] = []
  for (const { table, cmd } of alterTableCommands(ast)) {
    if (cmd.subtype !== 'AT_AddColumn') continue
    const def = nodeAs(cmd.def, 'ColumnDef')
    if (!def) continue
    const constraints = columnConstraints(def)
    const defaultConstraint = constraints.find(c => c.contype === 'CONSTR_DEFAULT')
    out.push({
      table,
      def,
      notNull: Boolean(def.is_not_null) || constraints.some(c => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY'),
      defaultExpr: def.raw_default ?? defaultConstraint?.raw_expr,
      generated: Boolean(def.identity || def.generated) || constraints.some(c => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED'),
    })
  }
  return out
}

export function columnConstraints(def: ColumnDef): Constraint[] {
  return (def.constraints ?? []).map(n => nodeAs(n, 'Constraint')).filter((c): c is Constraint => Boolean(c))
}

/** Constraints added by ALTER TABLE … ADD CONSTRAINT or inline in ADD COLUMN, with their table. */
export function addedConstraints(ast: Node | null): { table: string; constraint: Constraint; column?: string }[] {
  const out: { table: string; constraint: Constraint; column?: string }[] = []
  for (const { table, cmd } of alterTableCommands(ast)) {
    if (cmd.subtype === 'AT_AddConstraint') {
      const constraint = nodeAs(cmd.def, 'Constraint')
      if (constraint) out.push({ table, constraint })
    }
    if (cmd.subtype === 'AT_AddColumn') {
      const def = nodeAs(cmd.def, 'ColumnDef')
      if (def) for (const constraint of columnConstraints(def)) out.push({ table, constraint, column: def.colname })
    }
  }
  return out
}

/** Tables named by a DROP TABLE. */
export function droppedTables(ast: Node | null): string[] {
  const drop = nodeAs(ast, 'DropStmt')
  if (drop?.removeType !== 'OBJECT_TABLE') return []
  return (drop.objects ?? []).map(o => listName(strings(nodeAs(o, 'List')?.items)))
}

/** Statement kinds that change the schema (and take locks doing it). */
const DDL_KINDS = new Set([
  'AlterTableStmt', 'CreateStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'CreateEnumStmt', 'AlterEnumStmt',
  'ViewStmt', 'CreateTableAsStmt', 'CreateTrigStmt', 'CreateFunctionStmt', 'AlterDomainStmt', 'CreateDomainStmt',
])

export function isDdl(ast: Node | null): boolean {
  if (!ast) return false
  for (const key in ast) return DDL_KINDS.has(key)
  return false
}
