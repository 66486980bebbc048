// Which tables and columns one parsed SQL statement (libpg-query's JSON AST) reads and writes. Best
// effort for subqueries and CTEs: a column of a CTE or a subquery is not a table column, so it is dropped.
import type {
  ColumnRef,
  DeleteStmt,
  InsertStmt,
  Node,
  RangeVar,
  ResTarget,
  SelectStmt,
  UpdateStmt,
  WithClause,
} from '@pgsql/types'
import { nodeAs, relationName, strings } from '../sql/ast.js'
import { childScope, innermostTables, isCte, tablesOf, withCtes, type Scope, type TableEntry } from './table-scope.js'
import { EVERY_COLUMN, TABLE_ONLY, type UsageKind } from './usage.js'

/** Receives what the walk finds; offsets are libpg-query's: UTF-8 bytes into the parsed text. */
export interface SqlSink {
  /** `nonNullLiteral`: an INSERT column whose every VALUES row gives a literal other than NULL (Usage.nonNullLiteral). */
  usage(table: string, column: string, kind: UsageKind, offset: number, nonNullLiteral?: boolean): void
  insert(table: string, columns: string[], columnsKnown: boolean, offset: number): void
  /** A column with no table in scope to give it to (a fragment outside any query). */
  unattributed(column: string, offset: number): void
}

/** A mutable query level while its FROM list is read, so that a JOIN's ON sees the tables left of it. */
interface Level extends Scope {
  readonly entries: TableEntry[]
}

export function statementUsage(node: Node, scope: Scope, sink: SqlSink): void {
  const select = nodeAs(node, 'SelectStmt')
  if (select) return selectUsage(select, scope, sink)
  const insert = nodeAs(node, 'InsertStmt')
  if (insert) return insertUsage(insert, scope, sink)
  const update = nodeAs(node, 'UpdateStmt')
  if (update) return rowChangeUsage(update, 'update', update.fromClause, update.targetList, scope, sink)
  const del = nodeAs(node, 'DeleteStmt')
  if (del) return rowChangeUsage(del, 'delete', del.usingClause, undefined, scope, sink)
  const explain = nodeAs(node, 'ExplainStmt')
  if (explain?.query) return statementUsage(explain.query, scope, sink)
}

/** Column references of an expression, e.g. a Kysely `sql` fragment read as `SELECT <fragment>`. */
export function expressionUsage(node: unknown, scope: Scope, kind: UsageKind, sink: SqlSink): void {
  walkExpression(node, scope, kind, sink, null)
}

function selectUsage(select: SelectStmt, outer: Scope, sink: SqlSink): void {
  const withScope = cteScope(select.withClause, outer, sink)
  if (select.op && select.op !== 'SETOP_NONE') {
    if (select.larg) selectUsage(select.larg, withScope, sink)
    if (select.rarg) selectUsage(select.rarg, withScope, sink)
    return
  }
  const level = newLevel(withScope)
  for (const row of select.valuesLists ?? []) walkExpression(row, level, 'select', sink, null)
  for (const item of select.fromClause ?? []) fromItem(item, level, 'select', sink)
  const aliases = outputNames(select.targetList)
  walkExpression(select.targetList, level, 'select', sink, null)
  walkExpression(select.distinctClause, level, 'select', sink, null)
  walkExpression(select.whereClause, level, 'where', sink, null)
  walkExpression(select.groupClause, level, 'group', sink, aliases)
  walkExpression(select.havingClause, level, 'where', sink, null)
  walkExpression(select.windowClause, level, 'order', sink, aliases)
  walkExpression(select.sortClause, level, 'order', sink, aliases)
  walkExpression(select.limitCount, level, 'select', sink, null)
  walkExpression(select.limitOffset, level, 'select', sink, null)
}

function insertUsage(insert: InsertStmt, outer: Scope, sink: SqlSink): void {
  const withScope = cteScope(insert.withClause, outer, sink)
  if (insert.selectStmt) statementUsage(insert.selectStmt, withScope, sink)
  const target = targetTable(insert.relation, withScope, 'insert', sink)
  if (!target) return
  const cols = resTargets(insert.cols)
  const literal = nonNullLiteralColumns(insert, cols)
  for (const col of cols) if (col.name) sink.usage(target.table, col.name, 'insert', col.location ?? 0, literal.has(col.name))
  const omitted = defaultedColumns(insert, cols)
  sink.insert(
    target.table,
    cols.flatMap(col => (col.name && !omitted.has(col.name) ? [col.name] : [])),
    cols.length > 0 || isDefaultValues(insert),
    insert.relation?.location ?? 0,
  )
  const level = newLevel(withScope)
  level.entries.push(target.entry)
  const conflict = insert.onConflictClause
  if (conflict) {
    for (const elem of conflict.infer?.indexElems ?? []) {
      const name = nodeAs(elem, 'IndexElem')?.name
      if (name) sink.usage(target.table, name, 'insert', conflict.infer?.location ?? 0)
    }
    const excluded = newLevel(level)
    excluded.entries.push(target.entry, { name: 'excluded', table: target.table })
    assignments(conflict.targetList, target.table, excluded, sink)
    walkExpression(conflict.whereClause, excluded, 'where', sink, null)
  }
  walkExpression(insert.returningClause?.exprs, level, 'returning', sink, null)
}

/** UPDATE and DELETE alike: the target, the tables joined to it (FROM / USING), SET, WHERE, RETURNING. */
function rowChangeUsage(
  stmt: UpdateStmt | DeleteStmt,
  kind: 'update' | 'delete',
  joined: Node[] | undefined,
  assigned: Node[] | undefined,
  outer: Scope,
  sink: SqlSink,
): void {
  const withScope = cteScope(stmt.withClause, outer, sink)
  const target = targetTable(stmt.relation, withScope, kind, sink)
  const level = newLevel(withScope)
  if (target) level.entries.push(target.entry)
  for (const item of joined ?? []) fromItem(item, level, 'join', sink)
  if (target) assignments(assigned, target.table, level, sink)
  walkExpression(stmt.whereClause, level, 'where', sink, null)
  walkExpression(stmt.returningClause?.exprs, level, 'returning', sink, null)
}

function assignments(targets: Node[] | undefined, table: string, level: Scope, sink: SqlSink): void {
  for (const target of resTargets(targets)) {
    if (target.name) sink.usage(table, target.name, 'update', target.location ?? 0)
    const multi = nodeAs(target.val, 'MultiAssignRef')
    // `SET (a, b) = (SELECT …)` repeats the same source in every target: read it once.
    if (multi && (multi.colno ?? 1) > 1) continue
    walkExpression(multi ? multi.source : target.val, level, 'select', sink, null)
  }
}

function targetTable(
  relation: RangeVar | undefined,
  scope: Scope,
  kind: UsageKind,
  sink: SqlSink,
): { table: string; entry: TableEntry } | null {
  if (!relation) return null
  const entry = rangeEntry(relation, scope, kind, sink)
  return entry.table === null ? null : { table: entry.table, entry }
}

function rangeEntry(relation: RangeVar, scope: Scope, kind: UsageKind, sink: SqlSink): TableEntry {
  const written = relation.relname ?? '?'
  const name = relation.alias?.aliasname ?? written
  if (!relation.schemaname && isCte(scope, written)) return { name, table: null }
  const table = relationName(relation)
  sink.usage(table, TABLE_ONLY, kind, relation.location ?? 0)
  return { name, table }
}

/** Adds a FROM item's tables to the level and reads what it holds (joins, subqueries, functions). */
function fromItem(node: Node, level: Level, kind: UsageKind, sink: SqlSink): void {
  const range = nodeAs(node, 'RangeVar')
  if (range) {
    level.entries.push(rangeEntry(range, level, kind, sink))
    return
  }
  const join = nodeAs(node, 'JoinExpr')
  if (join) {
    const before = level.entries.length
    if (join.larg) fromItem(join.larg, level, kind, sink)
    const leftTables = level.entries.slice(before)
    const middle = level.entries.length
    if (join.rarg) fromItem(join.rarg, level, 'join', sink)
    const rightTables = level.entries.slice(middle)
    walkExpression(join.quals, level, 'join', sink, null)
    for (const column of strings(join.usingClause)) {
      for (const entry of [...leftTables, ...rightTables]) {
        if (entry.table !== null) sink.usage(entry.table, column, 'join', 0)
      }
    }
    if (join.alias?.aliasname) level.entries.push({ name: join.alias.aliasname, table: null })
    return
  }
  const sub = nodeAs(node, 'RangeSubselect')
  if (sub) {
    // Only a LATERAL subquery sees the tables to its left.
    if (sub.subquery) statementUsage(sub.subquery, sub.lateral ? level : (level.parent ?? level), sink)
    level.entries.push({ name: sub.alias?.aliasname ?? '?', table: null })
    return
  }
  const fn = nodeAs(node, 'RangeFunction')
  if (fn) {
    walkExpression(fn.functions, level, 'select', sink, null)
    level.entries.push({ name: fn.alias?.aliasname ?? '?', table: null })
    return
  }
  const sample = nodeAs(node, 'RangeTableSample')
  if (sample?.relation) fromItem(sample.relation, level, kind, sink)
}

/** Reads each CTE (a recursive one sees itself) and returns the scope in which their names are not tables. */
function cteScope(clause: WithClause | undefined, outer: Scope, sink: SqlSink): Scope {
  if (!clause?.ctes?.length) return outer
  let scope = outer
  for (const node of clause.ctes) {
    const cte = nodeAs(node, 'CommonTableExpr')
    if (!cte?.ctename) continue
    const own = withCtes(scope, [cte.ctename])
    if (cte.ctequery) statementUsage(cte.ctequery, clause.recursive ? own : scope, sink)
    scope = own
  }
  return scope
}

/**
 * Every column reference below `node`, with the clause's kind; subqueries get their own level.
 * `aliases`: output names that ORDER BY / GROUP BY may use instead of a column.
 */
function walkExpression(node: unknown, scope: Scope, kind: UsageKind, sink: SqlSink, aliases: Set<string> | null): void {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const item of node) walkExpression(item, scope, kind, sink, aliases)
    return
  }
  const record = node as Record<string, unknown>
  if (record.ColumnRef) return columnRef(record.ColumnRef as ColumnRef, scope, kind, sink, aliases)
  if (record.SubLink) {
    const link = record.SubLink as { testexpr?: Node; subselect?: Node }
    walkExpression(link.testexpr, scope, kind, sink, aliases)
    if (link.subselect) statementUsage(link.subselect, scope, sink)
    return
  }
  if (record.SelectStmt) return selectUsage(record.SelectStmt as SelectStmt, scope, sink)
  for (const key in record) walkExpression(record[key], scope, kind, sink, aliases)
}

function columnRef(ref: ColumnRef, scope: Scope, kind: UsageKind, sink: SqlSink, aliases: Set<string> | null): void {
  const fields = ref.fields ?? []
  const names = strings(fields)
  const offset = ref.location ?? 0
  if (nodeAs(fields[fields.length - 1], 'A_Star')) {
    const tables = names.length ? (tablesOf(scope, names.join('.')) ?? []) : innermostTables(scope)
    const starKind = kind === 'select' ? 'selectAll' : kind
    for (const table of tables) sink.usage(table, EVERY_COLUMN, starKind, offset)
    return
  }
  const column = names[names.length - 1]
  if (column === undefined) return
  const qualifier = names.length > 1 ? names.slice(0, -1).join('.') : null
  if (qualifier === null && aliases?.has(column)) return
  const tables = tablesOf(scope, qualifier)
  if (tables === null) sink.unattributed(column, offset)
  else for (const table of tables) sink.usage(table, column, kind, offset)
}

function newLevel(parent: Scope): Level {
  return childScope(parent) as Level
}

function outputNames(targets: Node[] | undefined): Set<string> {
  return new Set(resTargets(targets).flatMap(t => (t.name ? [t.name] : [])))
}

function resTargets(nodes: Node[] | undefined): ResTarget[] {
  return (nodes ?? []).flatMap(node => {
    const target = nodeAs(node, 'ResTarget')
    return target ? [target] : []
  })
}

/** Columns that some VALUES row fills with DEFAULT: that row omits them. */
function defaultedColumns(insert: InsertStmt, cols: ResTarget[]): Set<string> {
  const omitted = new Set<string>()
  const rows = nodeAs(insert.selectStmt, 'SelectStmt')?.valuesLists ?? []
  for (const row of rows) {
    nodeAs(row, 'List')?.items?.forEach((item, i) => {
      const name = cols[i]?.name
      if (name && nodeAs(item, 'SetToDefault')) omitted.add(name)
    })
  }
  return omitted
}

/**
 * Columns that every VALUES row fills with a literal other than NULL ('x', 1, true, '…'::uuid): those
 * rows cannot write NULL there. INSERT … SELECT, a parameter ($1) or any expression: not known, left out.
 */
function nonNullLiteralColumns(insert: InsertStmt, cols: ResTarget[]): Set<string> {
  const rows = nodeAs(insert.selectStmt, 'SelectStmt')?.valuesLists ?? []
  const found = new Set<string>()
  cols.forEach((col, i) => {
    if (col.name && rows.length && rows.every(row => isNonNullLiteral(nodeAs(row, 'List')?.items?.[i]))) found.add(col.name)
  })
  return found
}

function isNonNullLiteral(node: Node | undefined): boolean {
  const cast = nodeAs(node, 'TypeCast')
  if (cast) return isNonNullLiteral(cast.arg)
  const constant = nodeAs(node, 'A_Const')
  return Boolean(constant && !constant.isnull)
}

function isDefaultValues(insert: InsertStmt): boolean {
  return insert.selectStmt === undefined
}
