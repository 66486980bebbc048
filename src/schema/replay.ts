// Applies one parsed statement to the schema model. Statements that do not change the shape of the
// schema (DML, grants, comments, functions …) leave it as it is — but for an UPDATE of a column added
// unfilled (Column.unfilled); so do references to objects the model does not know (e.g. created outside
// the migrations), which must never crash the replay.
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint as PgConstraint,
  CreateStmt,
  DropStmt,
  IndexStmt,
  Node,
  RenameStmt,
} from '@pgsql/types'
import { exprText, kindOf, listName, nodeAs, qualifiedName, relationName, strings, typeInfo } from '../sql/ast.js'
import { namespaceOf, type Column, type Constraint, type ConstraintKind, type Origin, type Schema, type Table } from './schema.js'
import { isSerialType, isVolatileExpr } from './volatility.js'
import { cascadeDrops, renamedTables } from '../sql/breaking-ddl.js'
import { notNullColumnsOf } from '../sql/not-null-check.js'
import { referencedColumns } from '../sql/expression-columns.js'
import { alterFunction, createFunction, dropFunction } from './functions.js'

export function applyStatement(schema: Schema, ast: Node | null, origin: Origin): void {
  // One look at the statement's kind, then straight to its case: replay meets every statement of
  // every migration, most of which (DML, SET …) change nothing here (issue 16).
  switch (kindOf(ast)) {
    case 'CreateStmt':
      return createTable(schema, nodeAs(ast, 'CreateStmt')!, origin)
    case 'AlterTableStmt':
      return alterTable(schema, nodeAs(ast, 'AlterTableStmt')!, origin)
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt': {
      // RENAME TO, SET SCHEMA and a schema's rename move tables to new names.
      const moved = renamedTables(ast, schema.tables.keys())
      if (moved.length) {
        for (const { from, to } of moved) moveTable(schema, from, to)
        return
      }
      const rename = nodeAs(ast, 'RenameStmt')
      if (rename) renameObject(schema, rename)
      return
    }
    case 'DropStmt': {
      // What a CASCADE takes with it: the tables of a schema, the columns of a type.
      const cascade = cascadeDrops(ast, schema)
      for (const table of cascade.tables) dropTable(schema, table)
      for (const { table, column } of cascade.columns) schema.tables.get(table)?.columns.delete(column)
      return dropObjects(schema, nodeAs(ast, 'DropStmt')!)
    }
    case 'IndexStmt':
      return createIndex(schema, nodeAs(ast, 'IndexStmt')!, origin)
    case 'UpdateStmt': {
      const update = nodeAs(ast, 'UpdateStmt')!
      return fillColumns(schema.table(relationName(update.relation)), (update.targetList ?? []).map(t => nodeAs(t, 'ResTarget')?.name))
    }
    case 'CreateEnumStmt': {
      const createEnum = nodeAs(ast, 'CreateEnumStmt')!
      const name = listName(strings(createEnum.typeName))
      schema.enums.set(name, { name, values: strings(createEnum.vals), origin })
      return
    }
    case 'AlterEnumStmt': {
      const alterEnum = nodeAs(ast, 'AlterEnumStmt')!
      if (!alterEnum.newVal) return
      const type = schema.enums.get(listName(strings(alterEnum.typeName)))
      if (!type) return
      if (alterEnum.oldVal) type.values = type.values.map(v => (v === alterEnum.oldVal ? alterEnum.newVal! : v))
      else if (!type.values.includes(alterEnum.newVal)) type.values = [...type.values, alterEnum.newVal]
      return
    }
    case 'CreateFunctionStmt':
      return createFunction(schema, nodeAs(ast, 'CreateFunctionStmt')!, origin)
    case 'AlterFunctionStmt':
      return alterFunction(schema, nodeAs(ast, 'AlterFunctionStmt')!)
    case 'ViewStmt':
      schema.views.set(relationName(nodeAs(ast, 'ViewStmt')!.view), origin)
      return
    case 'CreateTableAsStmt':
    case 'SelectStmt': {
      const createAs = nodeAs(ast, 'CreateTableAsStmt')
      // SELECT … INTO makes a table as CREATE TABLE … AS does.
      const into = createAs?.into?.rel ?? nodeAs(ast, 'SelectStmt')?.intoClause?.rel
      if (!into) return
      const name = relationName(into)
      if (createAs?.objtype === 'OBJECT_MATVIEW') schema.views.set(name, origin)
      else if (!schema.tables.has(name)) schema.tables.set(name, { name, columns: new Map(), constraints: [], origin })
    }
  }
}

function createTable(schema: Schema, stmt: CreateStmt, origin: Origin): void {
  const name = relationName(stmt.relation)
  if (schema.tables.has(name) && stmt.if_not_exists) return
  const table: Table = { name, columns: new Map(), constraints: [], origin }
  schema.tables.set(name, table)
  for (const element of stmt.tableElts ?? []) {
    const def = nodeAs(element, 'ColumnDef')
    if (def) addColumn(schema, table, def, origin)
    const constraint = nodeAs(element, 'Constraint')
    if (constraint) addConstraint(schema, table, constraint, [], origin)
  }
}

function addColumn(schema: Schema, table: Table, def: ColumnDef, origin: Origin): void {
  const name = def.colname ?? '?'
  const type = typeInfo(def.typeName)
  const serial = isSerialType(type.name)
  const column: Column = {
    name,
    type,
    nullable: !def.is_not_null,
    default: serial ? { text: `nextval(${table.name}_${name}_seq)`, volatile: true } : null,
    generated: Boolean(def.identity || def.generated) || serial,
    origin,
  }
  if (def.raw_default) column.default = { text: exprText(def.raw_default), volatile: isVolatileExpr(def.raw_default) }
  table.columns.set(name, column)
  for (const node of def.constraints ?? []) {
    const c = nodeAs(node, 'Constraint')
    if (!c) continue
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
        column.nullable = false
        break
      case 'CONSTR_NULL':
        column.nullable = true
        break
      case 'CONSTR_DEFAULT':
        column.default = { text: exprText(c.raw_expr), volatile: isVolatileExpr(c.raw_expr) }
        break
      case 'CONSTR_IDENTITY':
      case 'CONSTR_GENERATED':
        column.generated = true
        column.nullable = c.contype === 'CONSTR_IDENTITY' ? false : column.nullable
        break
      default:
        addConstraint(schema, table, c, [name], origin)
    }
  }
}

const CONSTRAINT_KINDS: Partial<Record<string, ConstraintKind>> = {
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_EXCLUSION: 'exclusion',
}

function addConstraint(schema: Schema, table: Table, c: PgConstraint, columnOf: string[], origin: Origin): void {
  // Postgres 18's table constraint NOT NULL col (ADD [CONSTRAINT n] NOT NULL col [NOT VALID]): the column
  // is NOT NULL for every write from then on, NOT VALID or not (attnotnull is set either way).
  if (c.contype === 'CONSTR_NOTNULL') {
    for (const col of strings(c.keys)) {
      const column = table.columns.get(col)
      if (column) column.nullable = false
    }
    return
  }
  const kind = CONSTRAINT_KINDS[c.contype ?? '']
  if (!kind) return
  const usingIndex = c.indexname ? schema.indexes.get(c.indexname) : undefined
  const columns =
    kind === 'foreign-key'
      ? strings(c.fk_attrs).length
        ? strings(c.fk_attrs)
        : columnOf
      : strings(c.keys).length
        ? strings(c.keys)
        : kind === 'check'
          ? [...new Set([...columnOf, ...referencedColumns(c.raw_expr)])]
          : (usingIndex?.columns ?? columnOf)
  const constraint: Constraint = {
    name: c.conname ?? null,
    kind,
    columns,
    validated: !c.skip_validation,
    references: c.pktable ? { table: relationName(c.pktable), columns: strings(c.pk_attrs) } : null,
    origin,
  }
  if (c.pktable) noteOutside(schema, relationName(c.pktable))
  const notNull = kind === 'check' ? notNullColumnsOf(c.raw_expr) : []
  if (notNull.length) constraint.notNullColumns = notNull
  table.constraints.push(constraint)
  if (kind === 'primary-key') {
    for (const col of columns) {
      const column = table.columns.get(col)
      if (column) column.nullable = false
    }
  }
  // USING INDEX: the index becomes the constraint's, under the constraint's name.
  if (usingIndex) {
    schema.indexes.delete(usingIndex.name)
    const name = c.conname ?? usingIndex.name
    schema.indexes.set(name, { ...usingIndex, name })
  }
  if ((kind === 'unique' || kind === 'primary-key') && !usingIndex) {
    const indexName = c.conname ?? `${table.name}_${columns.join('_')}_${kind === 'unique' ? 'key' : 'pkey'}`
    schema.indexes.set(indexName, { name: indexName, table: table.name, columns, unique: true, origin })
  }
}

function alterTable(schema: Schema, stmt: AlterTableStmt, origin: Origin): void {
  if (stmt.objtype && stmt.objtype !== 'OBJECT_TABLE') return
  const table = schema.tables.get(relationName(stmt.relation))
  if (!table) {
    if (!stmt.missing_ok) noteOutside(schema, relationName(stmt.relation))
    return
  }
  for (const node of stmt.cmds ?? []) {
    const cmd = nodeAs(node, 'AlterTableCmd')
    if (cmd) alterTableCmd(schema, table, cmd, origin)
  }
}

function alterTableCmd(schema: Schema, table: Table, cmd: AlterTableCmd, origin: Origin): void {
  const column = cmd.name ? table.columns.get(cmd.name) : undefined
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = nodeAs(cmd.def, 'ColumnDef')
      if (!def || (cmd.missing_ok && table.columns.has(def.colname ?? ''))) return
      addColumn(schema, table, def, origin)
      const added = table.columns.get(def.colname ?? '?')
      if (added && !added.default && !added.generated) added.unfilled = true
      return
    }
    case 'AT_DropColumn':
      if (!cmd.name) return
      table.columns.delete(cmd.name)
      // A CHECK that reads the column goes with it (its `columns` are those it reads).
      table.constraints = table.constraints.filter(c => !c.columns.includes(cmd.name!) && !c.notNullColumns?.includes(cmd.name!))
      for (const index of schema.indexesOf(table.name)) {
        if (index.columns.includes(cmd.name)) schema.indexes.delete(index.name)
      }
      return
    case 'AT_AlterColumnType': {
      const def = nodeAs(cmd.def, 'ColumnDef')
      if (column && def) column.type = typeInfo(def.typeName)
      // USING computes every row's value anew.
      if (def?.raw_default) fillColumns(table, [cmd.name])
      return
    }
    case 'AT_SetNotNull':
      if (column) column.nullable = false
      return
    case 'AT_DropNotNull':
      if (column) column.nullable = true
      return
    case 'AT_ColumnDefault':
      if (column) column.default = cmd.def ? { text: exprText(cmd.def), volatile: isVolatileExpr(cmd.def) } : null
      return
    case 'AT_AddConstraint': {
      const c = nodeAs(cmd.def, 'Constraint')
      if (c) addConstraint(schema, table, c, [], origin)
      return
    }
    case 'AT_ValidateConstraint':
      for (const c of table.constraints) if (c.name === cmd.name) c.validated = true
      return
    case 'AT_DropConstraint':
      table.constraints = table.constraints.filter(c => c.name !== cmd.name)
      schema.indexes.delete(cmd.name ?? '')
      return
    case 'AT_AddIdentity':
      if (column) column.generated = true
      return
    case 'AT_DropIdentity':
      if (column) column.generated = false
      return
  }
}

/** An UPDATE's SET (or a USING) gives the rows values: as far as a migration shows, the column is backfilled. */
function fillColumns(table: Table | undefined, columns: (string | undefined)[]): void {
  for (const name of columns) {
    const column = name === undefined ? undefined : table?.columns.get(name)
    if (column) delete column.unfilled
  }
}

function moveTable(schema: Schema, from: string, to: string): void {
  const table = schema.tables.get(from)
  if (!table) return
  schema.tables.delete(from)
  table.name = to
  schema.tables.set(to, table)
  schema.moveIndexes(from, to)
}

function renameObject(schema: Schema, stmt: RenameStmt): void {
  const newName = stmt.newname ?? '?'
  switch (stmt.renameType) {
    case 'OBJECT_COLUMN': {
      const table = schema.tables.get(relationName(stmt.relation))
      if (!stmt.missing_ok) noteOutside(schema, relationName(stmt.relation))
      const column = table?.columns.get(stmt.subname ?? '')
      if (!table || !column) return
      table.columns.delete(column.name)
      const oldName = column.name
      column.name = newName
      table.columns.set(newName, column)
      for (const c of table.constraints) {
        c.columns = c.columns.map(n => (n === oldName ? newName : n))
        if (c.notNullColumns) c.notNullColumns = c.notNullColumns.map(n => (n === oldName ? newName : n))
      }
      for (const index of schema.indexesOf(table.name)) index.columns = index.columns.map(n => (n === oldName ? newName : n))
      return
    }
    case 'OBJECT_INDEX': {
      const index = schema.indexes.get(stmt.relation?.relname ?? '')
      if (!index) return
      schema.indexes.delete(index.name)
      index.name = newName
      schema.indexes.set(newName, index)
      return
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = schema.tables.get(relationName(stmt.relation))
      for (const c of table?.constraints ?? []) if (c.name === stmt.subname) c.name = newName
      return
    }
  }
}

function dropTable(schema: Schema, name: string): void {
  schema.tables.delete(name)
  for (const index of schema.indexesOf(name)) schema.indexes.delete(index.name)
}

function dropObjects(schema: Schema, stmt: DropStmt): void {
  for (const object of stmt.objects ?? []) {
    const name = listName(strings(nodeAs(object, 'List')?.items))
    switch (stmt.removeType) {
      case 'OBJECT_TABLE':
        if (!stmt.missing_ok) noteOutside(schema, name)
        dropTable(schema, name)
        break
      case 'OBJECT_INDEX':
        schema.indexes.delete(strings(nodeAs(object, 'List')?.items).pop() ?? '')
        break
      case 'OBJECT_TYPE':
        schema.enums.delete(typeListName(object))
        break
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
        schema.views.delete(name)
        break
      case 'OBJECT_FUNCTION':
      case 'OBJECT_ROUTINE':
        dropFunction(schema, object)
        break
    }
  }
}

/** DROP TYPE carries a TypeName, not a name list. */
function typeListName(object: Node): string {
  const type = nodeAs(object, 'TypeName')
  return type ? listName(strings(type.names)) : listName(strings(nodeAs(object, 'List')?.items))
}

function createIndex(schema: Schema, stmt: IndexStmt, origin: Origin): void {
  const table = relationName(stmt.relation)
  noteOutside(schema, table)
  const columns = (stmt.indexParams ?? []).map(p => nodeAs(p, 'IndexElem')?.name ?? '(expression)')
  const name = stmt.idxname ?? `${stmt.relation?.relname ?? 'table'}_${columns.join('_')}_idx`
  if (schema.indexes.has(name) && stmt.if_not_exists) return
  schema.indexes.set(name, { name, table, columns, unique: Boolean(stmt.unique), origin })
}

/** A statement that needs the relation to exist, which the model does not know: it was made outside the migrations. */
function noteOutside(schema: Schema, relation: string): void {
  if (!schema.tables.has(relation) && !schema.views.has(relation)) schema.outsideNamespaces.add(namespaceOf(relation))
}
