// The columns a statement gives a type: the rules about column types (prefer-jsonb and the style rules
// squawk users switch on) read CREATE TABLE columns, ADD COLUMN and ALTER COLUMN … TYPE alike.
import type { Node } from '@pgsql/types'
import { nodeAs, relationName, typeInfo, type TypeInfo } from './ast.js'
import { alterTableCommands } from './statements.js'

export interface DeclaredColumn {
  table: string
  column: string
  type: TypeInfo
}

export function declaredColumns(ast: Node | null): DeclaredColumn[] {
  const out: DeclaredColumn[] = []
  const create = nodeAs(ast, 'CreateStmt')
  if (create) {
    const table = relationName(create.relation)
    for (const element of create.tableElts ?? []) {
      const def = nodeAs(element, 'ColumnDef')
      if (def) out.push({ table, column: def.colname ?? '?', type: typeInfo(def.typeName) })
    }
  }
  for (const { table, cmd } of alterTableCommands(ast)) {
    const def = nodeAs(cmd.def, 'ColumnDef')
    if (!def) continue
    if (cmd.subtype === 'AT_AddColumn') out.push({ table, column: def.colname ?? '?', type: typeInfo(def.typeName) })
    if (cmd.subtype === 'AT_AlterColumnType') out.push({ table, column: cmd.name ?? '?', type: typeInfo(def.typeName) })
  }
  return out
}

/**
 * Style rules flagging one type: each column whose type (or array element type) `matches` gets one
 * report, with `message` as its id and the replacement `instead` names in the help.
 */
export function typeReports(ast: Node | null, matches: (type: TypeInfo) => boolean, instead: (type: TypeInfo) => string) {
  return declaredColumns(ast)
    .filter(c => matches(c.type))
    .map(c => ({
      messageId: 'type',
      data: { table: c.table, column: c.column, type: c.type.text },
      help: `Declare ${c.table}.${c.column} as ${instead(c.type)}.`,
    }))
}
