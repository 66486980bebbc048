// What a drop with IF EXISTS does to an object that is not there: nothing. It takes no lock, loses no
// data and takes no name away from old code (checked on Postgres: DROP TABLE/INDEX IF EXISTS of a
// missing one and ALTER TABLE IF EXISTS of a missing table lock nothing; ALTER TABLE t DROP COLUMN IF
// EXISTS of a missing column still locks t). The model says an object is not there only in a namespace
// it holds whole: one the migrations made tables in, and never needed a table of that they did not
// make (Schema.outsideNamespaces) — not where they start from a baseline made elsewhere.
import type { Node } from '@pgsql/types'
import { listName, nodeAs, relationName, strings } from '../sql/ast.js'
import { namespaceOf, type Schema } from './schema.js'

/** Relation kinds a DROP … IF EXISTS names by their relation name. */
const RELATION_DROPS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'])

export interface AbsentTargets {
  /** Tables, views and indexes, as the statement names them (`users`, `app.users`). */
  relations: ReadonlySet<string>
  /** `table.column` */
  columns: ReadonlySet<string>
}

const NONE: AbsentTargets = { relations: new Set(), columns: new Set() }

/** The objects the statement drops IF EXISTS (or alters IF EXISTS) that the model knows are not there. */
export function absentTargets(ast: Node | null, schema: Schema): AbsentTargets {
  const drop = nodeAs(ast, 'DropStmt')
  if (drop?.missing_ok) {
    const relations = new Set<string>()
    for (const object of drop.objects ?? []) {
      const names = strings(nodeAs(object, 'List')?.items)
      const absent = drop.removeType === 'OBJECT_INDEX' ? indexAbsent(schema, names) : RELATION_DROPS.has(drop.removeType ?? '') && relationAbsent(schema, listName(names))
      if (absent) relations.add(listName(names))
    }
    return relations.size ? { relations, columns: NONE.columns } : NONE
  }
  const alter = nodeAs(ast, 'AlterTableStmt')
  if (!alter || (alter.objtype && alter.objtype !== 'OBJECT_TABLE')) return NONE
  const table = relationName(alter.relation)
  const tableAbsent = Boolean(alter.missing_ok) && relationAbsent(schema, table)
  const columns = new Set<string>()
  for (const node of alter.cmds ?? []) {
    const cmd = nodeAs(node, 'AlterTableCmd')
    if (cmd?.subtype !== 'AT_DropColumn' || !cmd.name) continue
    if (tableAbsent || (cmd.missing_ok && columnAbsent(schema, table, cmd.name))) columns.add(`${table}.${cmd.name}`)
  }
  return tableAbsent || columns.size ? { relations: tableAbsent ? new Set([table]) : NONE.relations, columns } : NONE
}

/** The statement does nothing at all, and takes no lock: it drops IF EXISTS only objects that are not there, or alters IF EXISTS a table that is not. */
export function doesNothing(ast: Node | null, schema: Schema): boolean {
  const drop = nodeAs(ast, 'DropStmt')
  if (drop) return Boolean(drop.missing_ok) && absentTargets(ast, schema).relations.size === (drop.objects ?? []).length
  const alter = nodeAs(ast, 'AlterTableStmt')
  return Boolean(alter?.missing_ok) && absentTargets(ast, schema).relations.has(relationName(alter!.relation))
}

/**
 * A table the statement drops IF EXISTS, unknown to the model, that a later statement of the migration
 * makes again: the idempotent re-make of a scratch table (`DROP TABLE IF EXISTS t; CREATE TABLE t AS …`).
 * Whatever was there before, the name is there when the migration ends.
 */
export function remadeAfterDrop(ctx: { statement: { ast: Node | null }; migration: { up: readonly { ast: Node | null }[] }; index: number; schema: Schema }, table: string): boolean {
  if (!nodeAs(ctx.statement.ast, 'DropStmt')?.missing_ok || ctx.schema.tables.has(table)) return false
  return ctx.migration.up.slice(ctx.index + 1).some(({ ast }) => createdTable(ast) === table)
}

function createdTable(ast: Node | null): string | undefined {
  const create = nodeAs(ast, 'CreateStmt')
  if (create) return relationName(create.relation)
  const createAs = nodeAs(ast, 'CreateTableAsStmt')
  const into = createAs?.objtype === 'OBJECT_MATVIEW' ? undefined : (createAs?.into?.rel ?? nodeAs(ast, 'SelectStmt')?.intoClause?.rel)
  return into ? relationName(into) : undefined
}

/** Unqualified, an index name is looked up on the search path: the model answers only when it holds every namespace whole. */
function indexNamespaceWhole(schema: Schema, names: string[]): boolean {
  if (names.length > 1) return namespaceWhole(schema, namespaceOf(listName(names)))
  return schema.outsideNamespaces.size === 0 && schema.tables.size > 0
}

function namespaceWhole(schema: Schema, namespace: string): boolean {
  if (schema.outsideNamespaces.has(namespace)) return false
  for (const name of schema.tables.keys()) if (namespaceOf(name) === namespace) return true
  return false
}

function relationAbsent(schema: Schema, name: string): boolean {
  return !schema.tables.has(name) && !schema.views.has(name) && namespaceWhole(schema, namespaceOf(name))
}

/** A table the model holds with its columns (one made by a query, CREATE TABLE … AS, has none in the model). */
function columnAbsent(schema: Schema, table: string, column: string): boolean {
  const known = schema.table(table)
  return known !== undefined && known.columns.size > 0 && !known.columns.has(column) && namespaceWhole(schema, namespaceOf(table))
}

/**
 * An index the model lacks, unless Postgres may know it by a name the model does not: it names an
 * index of an expression after the expression, and a second index of the same columns with a number.
 */
function indexAbsent(schema: Schema, names: string[]): boolean {
  const name = names[names.length - 1] ?? ''
  if (schema.indexes.has(name) || schema.indexes.has(name.replace(/\d+$/, ''))) return false
  for (const known of schema.indexes.keys()) if (known.includes('(expression)')) return false
  return indexNamespaceWhole(schema, names)
}
