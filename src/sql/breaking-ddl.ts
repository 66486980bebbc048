// DDL that takes away a name or a shape the previous release's code relies on: renames, drops and
// column type changes, each with the table and column it names.
import type { AlterTableCmd, Node } from '@pgsql/types'
import { nodeAs, qualifiedName, relationName, strings, typeInfo, visit, type TypeInfo } from './ast.js'
import { alterTableCommands } from './statements.js'

export interface RenamedColumn {
  table: string
  from: string
  to: string
}

/** `ALTER TABLE t RENAME COLUMN a TO b` (not a view's or a materialized view's column). */
export function renamedColumn(ast: Node | null): RenamedColumn | undefined {
  const rename = nodeAs(ast, 'RenameStmt')
  if (rename?.renameType !== 'OBJECT_COLUMN' || rename.relationType !== 'OBJECT_TABLE') return undefined
  return { table: relationName(rename.relation), from: rename.subname ?? '?', to: rename.newname ?? '?' }
}

export interface RenamedTable {
  from: string
  /** RENAME TO keeps the schema, so the new name is qualified like the old one. */
  to: string
}

/** `ALTER TABLE t RENAME TO u`, and `ALTER TABLE t SET SCHEMA s` (old code names it `t`, it is `s.t` now). */
export function renamedTable(ast: Node | null): RenamedTable | undefined {
  const rename = nodeAs(ast, 'RenameStmt')
  if (rename?.renameType === 'OBJECT_TABLE') {
    return { from: relationName(rename.relation), to: qualifiedName(rename.relation?.schemaname, rename.newname ?? '?') }
  }
  const setSchema = nodeAs(ast, 'AlterObjectSchemaStmt')
  if (setSchema?.objectType === 'OBJECT_TABLE' && setSchema.relation) {
    return { from: relationName(setSchema.relation), to: qualifiedName(setSchema.newschema, setSchema.relation.relname ?? '?') }
  }
  return undefined
}

/** `ALTER SCHEMA a RENAME TO b`: every table `a.t` is `b.t` now. */
export function renamedSchema(ast: Node | null): { from: string; to: string } | undefined {
  const rename = nodeAs(ast, 'RenameStmt')
  if (rename?.renameType !== 'OBJECT_SCHEMA' || !rename.subname || !rename.newname) return undefined
  return { from: rename.subname, to: rename.newname }
}

/** The tables a statement gives a new name, by RENAME TO, SET SCHEMA or a schema's rename; `tables` are the names known before it. */
export function renamedTables(ast: Node | null, tables: Iterable<string>): RenamedTable[] {
  const one = renamedTable(ast)
  if (one) return [one]
  const schema = renamedSchema(ast)
  if (!schema) return []
  const prefix = `${schema.from}.`
  return [...tables].filter(t => t.startsWith(prefix)).map(t => ({ from: t, to: qualifiedName(schema.to, t.slice(prefix.length)) }))
}

export interface DroppedColumn {
  table: string
  column: string
}

/**
 * `ALTER TABLE t DROP COLUMN c`. A column added by an earlier command of the same statement is left
 * out: it is new, but the schema model (as it stood before the statement) cannot know that.
 */
export function droppedColumns(ast: Node | null): DroppedColumn[] {
  const out: DroppedColumn[] = []
  forEachCommandOnOlderColumn(ast, (table, column, cmd) => {
    if (cmd.subtype === 'AT_DropColumn') out.push({ table, column })
  })
  return out
}

export interface ColumnTypeChange {
  table: string
  column: string
  type: TypeInfo
  /** The COLLATE clause, as written (`"C"`). */
  collation: string | undefined
  /** The USING expression: set, Postgres converts every row with it. */
  using: Node | undefined
}

/** `ALTER TABLE t ALTER COLUMN c TYPE …`, leaving out columns added earlier in the same statement. */
export function columnTypeChanges(ast: Node | null): ColumnTypeChange[] {
  const out: ColumnTypeChange[] = []
  forEachCommandOnOlderColumn(ast, (table, column, cmd) => {
    if (cmd.subtype !== 'AT_AlterColumnType') return
    const def = nodeAs(cmd.def, 'ColumnDef')
    const collation = def?.collClause ? strings(def.collClause.collname).map(n => `"${n}"`).join('.') : undefined
    out.push({ table, column, type: typeInfo(def?.typeName), collation, using: def?.raw_default })
  })
  return out
}

/** Column commands of an ALTER TABLE, skipping columns an earlier command of the same statement added. */
function forEachCommandOnOlderColumn(ast: Node | null, fn: (table: string, column: string, cmd: AlterTableCmd) => void): void {
  const addedHere = new Set<string>()
  for (const { table, cmd } of alterTableCommands(ast)) {
    const added = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef')?.colname : undefined
    if (added) addedHere.add(added)
    else if (cmd.name && !addedHere.has(cmd.name)) fn(table, cmd.name, cmd)
  }
}

/** A view and the relations its query reads (`CREATE VIEW users AS SELECT * FROM accounts` → accounts). */
export function createdView(ast: Node | null): { name: string; reads: string[] } | undefined {
  const view = nodeAs(ast, 'ViewStmt')
  if (!view) return undefined
  const reads: string[] = []
  visit(view.query, node => {
    const range = nodeAs(node, 'RangeVar')
    if (range) reads.push(relationName(range))
  })
  return { name: relationName(view.view), reads }
}
