// DDL that takes away a name or a shape the previous release's code relies on: renames, drops and
// column type changes, each with the table and column it names.
import type { AlterTableCmd, Node } from '@pgsql/types'
import { listName, nodeAs, qualifiedName, relationName, strings, typeInfo, typeNameOf, visit, type TypeInfo } from './ast.js'
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

/** Views and materialized views named by a DROP VIEW / DROP MATERIALIZED VIEW: code reads them as it reads tables. */
export function droppedViews(ast: Node | null): string[] {
  const drop = nodeAs(ast, 'DropStmt')
  if (drop?.removeType !== 'OBJECT_VIEW' && drop?.removeType !== 'OBJECT_MATVIEW') return []
  return (drop.objects ?? []).map(o => listName(strings(nodeAs(o, 'List')?.items)))
}

/**
 * A view or materialized view a statement creates, with the names of its output columns; `columns`
 * is null where they cannot be told from the text (`SELECT *`, an unnamed expression).
 */
export function createdViewColumns(ast: Node | null): { name: string; columns: string[] | null } | undefined {
  const view = nodeAs(ast, 'ViewStmt')
  if (view) return { name: relationName(view.view), columns: named(strings(view.aliases)) ?? outputColumns(view.query) }
  const matview = nodeAs(ast, 'CreateTableAsStmt')
  if (matview?.objtype === 'OBJECT_MATVIEW' && matview.into?.rel) {
    return { name: relationName(matview.into.rel), columns: named(strings(matview.into.colNames)) ?? outputColumns(matview.query) }
  }
  return undefined
}

function named(list: string[]): string[] | null {
  return list.length ? list : null
}

/** Output column names of a SELECT (of a set operation: its first branch), as Postgres names them. */
function outputColumns(query: Node | undefined): string[] | null {
  let select = nodeAs(query, 'SelectStmt')
  while (select?.larg) select = select.larg
  if (!select?.targetList) return null
  const columns: string[] = []
  for (const item of select.targetList) {
    const target = nodeAs(item, 'ResTarget')
    if (target?.name) {
      columns.push(target.name)
      continue
    }
    const fields = nodeAs(target?.val, 'ColumnRef')?.fields ?? []
    const last = fields[fields.length - 1]
    const column = last && nodeAs(last, 'String')?.sval
    if (!column) return null
    columns.push(column)
  }
  return columns
}

/**
 * The view `name` made again after statement `index` of its migration (a drop-and-create, or a new
 * view renamed into its place), with its output columns; null when the migration leaves it dropped.
 */
export function viewRemade(
  ctx: { migration: { up: readonly { ast: Node | null }[] }; index: number },
  name: string,
): { columns: string[] | null } | null {
  const made = new Map<string, string[] | null>()
  for (const { ast } of ctx.migration.up) {
    const view = createdViewColumns(ast)
    if (view) made.set(view.name, view.columns)
  }
  for (const { ast } of ctx.migration.up.slice(ctx.index + 1)) {
    const view = createdViewColumns(ast)
    if (view?.name === name) return { columns: view.columns }
    const rename = nodeAs(ast, 'RenameStmt')
    if ((rename?.renameType === 'OBJECT_VIEW' || rename?.renameType === 'OBJECT_MATVIEW') && rename.newname) {
      const to = qualifiedName(rename.relation?.schemaname, rename.newname)
      if (to === name) return { columns: made.get(relationName(rename.relation)) ?? null }
    }
  }
  return null
}

/**
 * What a `DROP SCHEMA … CASCADE` or `DROP TYPE … CASCADE` takes with it, by the schema model as it
 * stands before the statement: the tables of the schema, the columns of the type.
 */
export function cascadeDrops(
  ast: Node | null,
  schema: { tables: ReadonlyMap<string, { columns: ReadonlyMap<string, { type: TypeInfo }> }> },
): { tables: string[]; columns: DroppedColumn[] } {
  const drop = nodeAs(ast, 'DropStmt')
  const out = { tables: [] as string[], columns: [] as DroppedColumn[] }
  if (drop?.behavior !== 'DROP_CASCADE') return out
  for (const object of drop.objects ?? []) {
    if (drop.removeType === 'OBJECT_SCHEMA') {
      const name = nodeAs(object, 'String')?.sval
      if (!name) continue
      for (const table of schema.tables.keys()) if (table.startsWith(`${name}.`) || (name === 'public' && !table.includes('.'))) out.tables.push(table)
    } else if (drop.removeType === 'OBJECT_TYPE' || drop.removeType === 'OBJECT_DOMAIN') {
      const type = listName(strings(nodeAs(object, 'TypeName')?.names))
      for (const [table, t] of schema.tables) {
        for (const [column, c] of t.columns) if (typeNameOf(c.type) === type) out.columns.push({ table, column })
      }
    }
  }
  return out
}

/** Functions and procedures named by a DROP FUNCTION / PROCEDURE / ROUTINE. */
export function droppedRoutines(ast: Node | null): string[] {
  const drop = nodeAs(ast, 'DropStmt')
  if (drop?.removeType !== 'OBJECT_FUNCTION' && drop?.removeType !== 'OBJECT_PROCEDURE' && drop?.removeType !== 'OBJECT_ROUTINE') return []
  return (drop.objects ?? []).map(o => listName(strings(nodeAs(o, 'ObjectWithArgs')?.objname)))
}
