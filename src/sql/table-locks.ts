// Which tables a statement locks, and whether the lock holds up other queries. The lock-queue rules
// (missing-lock-timeout, backfill-with-ddl) ask this of statements other than the one being linted,
// whose schema they cannot see, so this module also follows table names through a migration.
import type { AlterTableCmd, Constraint, Node, RangeVar } from '@pgsql/types'
import type { Statement } from '../model.js'
import { kindOf, listName, nodeAs, qualifiedName, relationName, strings, type NodeKind } from './ast.js'
import { optionEnabled } from './lock-safe-ddl.js'
import { addedConstraints, alterTableCommands, columnConstraints, droppedTables } from './statements.js'
import { renamedTable } from './breaking-ddl.js'

/** What a lock holds up while it is held, and while it waits in the lock queue. */
export type Blocks = 'reads and writes' | 'writes'

export interface TableLock {
  /** The locked table; null when it cannot be named (an index unknown to the model, a whole schema). */
  table: string | null
  /** How messages name what is locked: the table, else the index or schema. */
  target: string
  /** The statement taking the lock, as messages show it: `ALTER TABLE`, `CREATE INDEX` … */
  operation: string
  /** null for SHARE UPDATE EXCLUSIVE and weaker: they block neither reads nor writes. */
  blocks: Blocks | null
}

/** The table an index belongs to, when it can be known. */
export type IndexTable = (index: string) => string | undefined

/** Postgres lock modes as LockStmt numbers them (lockdefs.h). */
const SHARE_LOCK = 5
const ACCESS_EXCLUSIVE_LOCK = 8

/** ALTER TABLE commands that take SHARE UPDATE EXCLUSIVE: the table stays readable and writable. */
const WEAK_ALTERS = new Set<string>([
  'AT_ValidateConstraint', 'AT_SetStatistics', 'AT_SetOptions', 'AT_ResetOptions', 'AT_ClusterOn', 'AT_DropCluster',
  'AT_DetachPartitionFinalize',
])

/** ALTER TABLE commands that take SHARE ROW EXCLUSIVE: reads go on, writes wait. */
const WRITE_BLOCKING_ALTERS = new Set<string>([
  'AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig', 'AT_EnableTrigAll',
  'AT_DisableTrigAll', 'AT_EnableTrigUser', 'AT_DisableTrigUser',
])

/** The table locks a schema or maintenance statement takes; DML (row locks, ROW EXCLUSIVE) is not listed. */
export function tableLocks(ast: Node | null, indexTable: IndexTable): TableLock[] {
  const kind = kindOf(ast)
  const handler = kind && HANDLERS[kind]
  return handler ? handler(ast!, indexTable) : []
}

const HANDLERS: Partial<Record<NodeKind, (ast: Node, indexTable: IndexTable) => TableLock[]>> = {
  AlterTableStmt: ast => alterTableLocks(ast),
  AlterObjectSchemaStmt: ast => {
    const stmt = nodeAs(ast, 'AlterObjectSchemaStmt')
    if (stmt?.objectType !== 'OBJECT_TABLE') return []
    return [lock(relationName(stmt.relation), 'ALTER TABLE … SET SCHEMA', 'reads and writes')]
  },
  RenameStmt: (ast, indexTable) => renameLocks(ast, indexTable),
  IndexStmt: ast => {
    const index = nodeAs(ast, 'IndexStmt')
    const operation = `CREATE ${index?.unique ? 'UNIQUE ' : ''}INDEX${index?.concurrent ? ' CONCURRENTLY' : ''}`
    return [lock(relationName(index?.relation), operation, index?.concurrent ? null : 'writes')]
  },
  DropStmt: (ast, indexTable) => dropLocks(ast, indexTable),
  CreateTrigStmt: ast => [lock(relationName(nodeAs(ast, 'CreateTrigStmt')?.relation), 'CREATE TRIGGER', 'writes')],
  CreateStmt: ast => createTableLocks(ast),
  TruncateStmt: ast => rangeVars(nodeAs(ast, 'TruncateStmt')?.relations).map(t => lock(t, 'TRUNCATE', 'reads and writes')),
  VacuumStmt: ast => {
    const vacuum = nodeAs(ast, 'VacuumStmt')
    if (!vacuum?.is_vacuumcmd || !optionEnabled(vacuum.options, 'full')) return []
    const tables = (vacuum.rels ?? []).map(r => relationName(nodeAs(r, 'VacuumRelation')?.relation))
    if (!tables.length) return [{ table: null, target: 'every table', operation: 'VACUUM FULL', blocks: 'reads and writes' }]
    return tables.map(t => lock(t, 'VACUUM FULL', 'reads and writes'))
  },
  ClusterStmt: ast => {
    const cluster = nodeAs(ast, 'ClusterStmt')
    if (!cluster?.relation) return [{ table: null, target: 'every clustered table', operation: 'CLUSTER', blocks: 'reads and writes' }]
    return [lock(relationName(cluster.relation), 'CLUSTER', 'reads and writes')]
  },
  ReindexStmt: (ast, indexTable) => reindexLocks(ast, indexTable),
  LockStmt: ast => {
    const stmt = nodeAs(ast, 'LockStmt')
    // NOWAIT fails at once instead of queueing, so it never holds other queries up.
    if (!stmt || stmt.nowait) return []
    const mode = stmt.mode ?? ACCESS_EXCLUSIVE_LOCK
    const blocks: Blocks | null = mode >= ACCESS_EXCLUSIVE_LOCK ? 'reads and writes' : mode >= SHARE_LOCK ? 'writes' : null
    return rangeVars(stmt.relations).map(t => lock(t, 'LOCK TABLE', blocks))
  },
}

/** The statement kinds that can take a table lock (the rest take none that tableLocks knows of). */
export const LOCKING_KINDS = Object.keys(HANDLERS) as NodeKind[]

function lock(table: string, operation: string, blocks: Blocks | null): TableLock {
  return { table, target: table, operation, blocks }
}

function alterTableLocks(ast: Node): TableLock[] {
  const commands = alterTableCommands(ast)
  if (!commands.length) return []
  const table = commands[0].table
  const out: TableLock[] = []
  let blocks: Blocks | null = null
  for (const { cmd } of commands) {
    blocks = stronger(blocks, alterCommandBlocks(cmd))
    const partition = attachedPartition(cmd)
    if (partition) out.push(lock(partition, 'ALTER TABLE … ATTACH PARTITION', 'reads and writes'))
  }
  out.unshift(lock(table, 'ALTER TABLE', blocks))
  // A foreign key also puts SHARE ROW EXCLUSIVE on the table it references, to add the check triggers.
  for (const { constraint } of addedConstraints(ast)) {
    if (constraint.contype === 'CONSTR_FOREIGN' && constraint.pktable) {
      out.push(lock(relationName(constraint.pktable), `ALTER TABLE ${table} … REFERENCES`, 'writes'))
    }
  }
  return out
}

function alterCommandBlocks(cmd: AlterTableCmd): Blocks | null {
  const subtype = cmd.subtype ?? ''
  if (WEAK_ALTERS.has(subtype)) return null
  if (WRITE_BLOCKING_ALTERS.has(subtype)) return 'writes'
  // ATTACH PARTITION and DETACH … CONCURRENTLY leave the parent readable and writable.
  if (subtype === 'AT_AttachPartition') return null
  if (subtype === 'AT_DetachPartition' && nodeAs(cmd.def, 'PartitionCmd')?.concurrent) return null
  if (subtype === 'AT_AddConstraint' && nodeAs(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN') return 'writes'
  if (subtype === 'AT_SetRelOptions' || subtype === 'AT_ResetRelOptions') return relOptionsBlock(cmd.def) ? 'reads and writes' : null
  return 'reads and writes'
}

/** Storage parameters whose change takes ACCESS EXCLUSIVE (reloptions.c); the others (fillfactor, autovacuum_* …) SHARE UPDATE EXCLUSIVE. */
const EXCLUSIVE_RELOPTIONS = new Set(['user_catalog_table', 'check_option', 'security_barrier', 'security_invoker'])

function relOptionsBlock(def: Node | undefined): boolean {
  return (nodeAs(def, 'List')?.items ?? []).some(item => EXCLUSIVE_RELOPTIONS.has(nodeAs(item, 'DefElem')?.defname ?? ''))
}

function attachedPartition(cmd: AlterTableCmd): string | null {
  if (cmd.subtype !== 'AT_AttachPartition') return null
  const name = nodeAs(cmd.def, 'PartitionCmd')?.name
  return name ? relationName(name) : null
}

function stronger(a: Blocks | null, b: Blocks | null): Blocks | null {
  if (a === 'reads and writes' || b === 'reads and writes') return 'reads and writes'
  return a ?? b
}

function renameLocks(ast: Node, indexTable: IndexTable): TableLock[] {
  const rename = nodeAs(ast, 'RenameStmt')
  if (!rename?.relation) return []
  const table = relationName(rename.relation)
  switch (rename.renameType) {
    case 'OBJECT_TABLE':
      return [lock(table, 'ALTER TABLE … RENAME TO', 'reads and writes')]
    case 'OBJECT_COLUMN':
      return rename.relationType === 'OBJECT_TABLE' ? [lock(table, 'ALTER TABLE … RENAME COLUMN', 'reads and writes')] : []
    case 'OBJECT_TABCONSTRAINT':
      return [lock(table, 'ALTER TABLE … RENAME CONSTRAINT', 'reads and writes')]
    case 'OBJECT_TRIGGER':
      return [lock(table, 'ALTER TRIGGER … RENAME', 'reads and writes')]
    case 'OBJECT_INDEX':
      // Since Postgres 12 renaming an index takes SHARE UPDATE EXCLUSIVE only.
      return [indexLock(rename.relation.relname ?? '?', indexTable, 'ALTER INDEX … RENAME', null)]
    default:
      return []
  }
}

function dropLocks(ast: Node, indexTable: IndexTable): TableLock[] {
  const drop = nodeAs(ast, 'DropStmt')
  if (!drop) return []
  switch (drop.removeType) {
    case 'OBJECT_TABLE':
      return droppedTables(ast).map(t => lock(t, 'DROP TABLE', 'reads and writes'))
    case 'OBJECT_INDEX':
      return (drop.objects ?? []).map(o => {
        const index = strings(nodeAs(o, 'List')?.items).pop() ?? '?'
        const operation = drop.concurrent ? 'DROP INDEX CONCURRENTLY' : 'DROP INDEX'
        return indexLock(index, indexTable, operation, drop.concurrent ? null : 'reads and writes')
      })
    case 'OBJECT_TRIGGER':
      return (drop.objects ?? []).map(o => {
        const names = strings(nodeAs(o, 'List')?.items)
        return lock(listName(names.slice(0, -1)), 'DROP TRIGGER', 'reads and writes')
      })
    default:
      return []
  }
}

function createTableLocks(ast: Node): TableLock[] {
  const create = nodeAs(ast, 'CreateStmt')
  if (!create) return []
  const name = relationName(create.relation)
  const out: TableLock[] = []
  if (create.partbound) {
    for (const parent of rangeVars(create.inhRelations)) out.push(lock(parent, 'CREATE TABLE … PARTITION OF', 'reads and writes'))
  }
  for (const fk of createdForeignKeys(create.tableElts)) {
    if (fk.pktable) out.push(lock(relationName(fk.pktable), `CREATE TABLE ${name} … REFERENCES`, 'writes'))
  }
  return out
}

function createdForeignKeys(elements: Node[] | undefined): Constraint[] {
  const out: Constraint[] = []
  for (const element of elements ?? []) {
    const def = nodeAs(element, 'ColumnDef')
    const constraints = def ? columnConstraints(def) : [nodeAs(element, 'Constraint')]
    for (const c of constraints) if (c?.contype === 'CONSTR_FOREIGN') out.push(c)
  }
  return out
}

function reindexLocks(ast: Node, indexTable: IndexTable): TableLock[] {
  const reindex = nodeAs(ast, 'ReindexStmt')
  if (!reindex) return []
  const concurrent = optionEnabled(reindex.params, 'concurrently')
  const operation = concurrent ? 'REINDEX CONCURRENTLY' : 'REINDEX'
  // REINDEX locks writes out of the table and reads out of the index being rebuilt, which any
  // query planned on the table waits for.
  const blocks: Blocks | null = concurrent ? null : 'reads and writes'
  switch (reindex.kind) {
    case 'REINDEX_OBJECT_TABLE':
      return [lock(relationName(reindex.relation), operation, blocks)]
    case 'REINDEX_OBJECT_INDEX':
      return [indexLock(reindex.relation?.relname ?? '?', indexTable, operation, blocks)]
    case 'REINDEX_OBJECT_SCHEMA':
      return [{ table: null, target: `every table in schema ${reindex.name ?? '?'}`, operation, blocks }]
    default:
      return [{ table: null, target: 'every table', operation, blocks }]
  }
}

function indexLock(index: string, indexTable: IndexTable, operation: string, blocks: Blocks | null): TableLock {
  const table = indexTable(index)
  return table ? { table, target: table, operation, blocks } : { table: null, target: `the table of index ${index}`, operation, blocks }
}

function rangeVars(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map(n => nodeAs(n, 'RangeVar')).filter((r): r is RangeVar => Boolean(r)).map(r => relationName(r))
}

/**
 * What the migration made, asked as of one of its statements. Rules that look at another statement
 * than their own need it: the schema they are given stands at their own statement only.
 */
export interface MadeNames {
  /** Whether `table`, as named just before statement `j`, is one an earlier statement made. */
  hasTable(j: number, table: string): boolean
  /** The table of index `index` an earlier statement than `j` made, as named just before `j`. */
  indexTable(j: number, index: string): string | undefined
}

/** A name that stands for something the migration made: from after statement `from` up to statement `to`. */
interface Span<T> {
  from: number
  to: number
  value: T
}

type Spans<T> = Map<string, Span<T>[]>

/** Statement kinds that can make, rename or drop a table or an index. */
const NAMING_KINDS = new Set(['CreateStmt', 'CreateTableAsStmt', 'SelectStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'AlterObjectSchemaStmt'])

/**
 * namesMade of a migration's statements, made once for the migration whichever rule asks first: a
 * backfill rule asks it for every UPDATE of a long data migration, the lock-timeout rules once each.
 */
const madeByMigration = new WeakMap<readonly Statement[], MadeNames>()

export function namesMadeIn(statements: readonly Statement[]): MadeNames {
  let made = madeByMigration.get(statements)
  if (!made) madeByMigration.set(statements, (made = namesMade(statements.map(s => s.ast))))
  return made
}

/** One pass over the migration: long data migrations must not cost a pass per question. */
export function namesMade(asts: readonly (Node | null)[]): MadeNames {
  const tables: Spans<true> = new Map()
  const indexes: Spans<string> = new Map()
  asts.forEach((ast, k) => {
    if (ast && NAMING_KINDS.has(kindOf(ast) ?? '')) applyNames(ast, k, tables, indexes)
  })
  return {
    hasTable: (j, table) => Boolean(spanAt(tables, table, j)),
    indexTable: (j, index) => spanAt(indexes, index, j)?.value,
  }
}

function applyNames(ast: Node, k: number, tables: Spans<true>, indexes: Spans<string>): void {
  const made = madeTable(ast)
  if (made && !openSpan(tables, made)) open(tables, made, k, true)
  const index = nodeAs(ast, 'IndexStmt')
  if (index?.idxname) {
    close(indexes, index.idxname, k)
    open(indexes, index.idxname, k, relationName(index.relation))
  }
  for (const dropped of droppedTables(ast)) {
    close(tables, dropped, k)
    for (const [name, span] of openSpans(indexes)) if (span.value === dropped) close(indexes, name, k)
  }
  for (const dropped of droppedIndexes(ast)) close(indexes, dropped, k)
  const renamed = renamedTable(ast)
  if (renamed) {
    if (close(tables, renamed.from, k)) open(tables, renamed.to, k, true)
    for (const [name, span] of openSpans(indexes)) {
      if (span.value !== renamed.from) continue
      close(indexes, name, k)
      open(indexes, name, k, renamed.to)
    }
  }
  const rename = nodeAs(ast, 'RenameStmt')
  if (rename?.renameType === 'OBJECT_INDEX' && rename.newname) {
    const span = close(indexes, rename.relation?.relname ?? '', k)
    if (span) open(indexes, rename.newname, k, span.value)
  }
}

function spanAt<T>(spans: Spans<T>, name: string, j: number): Span<T> | undefined {
  return spans.get(name)?.find(s => s.from < j && j <= s.to)
}

function openSpan<T>(spans: Spans<T>, name: string): Span<T> | undefined {
  const last = spans.get(name)?.at(-1)
  return last && last.to === Infinity ? last : undefined
}

function openSpans<T>(spans: Spans<T>): [string, Span<T>][] {
  const out: [string, Span<T>][] = []
  for (const name of spans.keys()) {
    const span = openSpan(spans, name)
    if (span) out.push([name, span])
  }
  return out
}

function open<T>(spans: Spans<T>, name: string, from: number, value: T): void {
  const list = spans.get(name) ?? []
  list.push({ from, to: Infinity, value })
  spans.set(name, list)
}

/** Ends the name's open span at statement `at` (the name still means it there); returns the span. */
function close<T>(spans: Spans<T>, name: string, at: number): Span<T> | undefined {
  const span = openSpan(spans, name)
  if (span) span.to = at
  return span
}

function droppedIndexes(ast: Node): string[] {
  const drop = nodeAs(ast, 'DropStmt')
  if (drop?.removeType !== 'OBJECT_INDEX') return []
  return (drop.objects ?? []).map(o => strings(nodeAs(o, 'List')?.items).pop() ?? '?')
}

function madeTable(ast: Node | null): string | null {
  const create = nodeAs(ast, 'CreateStmt')
  if (create) return relationName(create.relation)
  const createAs = nodeAs(ast, 'CreateTableAsStmt')
  if (createAs?.into?.rel && createAs.objtype !== 'OBJECT_MATVIEW') return relationName(createAs.into.rel)
  const selectInto = nodeAs(ast, 'SelectStmt')?.intoClause?.rel
  return selectInto ? relationName(selectInto) : null
}

export interface BackwardStep {
  index: number
  /** The name the table called `name` just before this statement goes by when statement `end` runs; null once dropped. */
  laterName(name: string): string | null
}

/**
 * The statements before `end` from the last to the first, each with where its table names lead
 * (renames, SET SCHEMA, DROP) by the time statement `end` runs. One pass, so a rule can ask it of
 * every earlier statement without quadratic cost.
 */
export function* backwards(asts: readonly (Node | null)[], end = asts.length): Generator<BackwardStep> {
  const later = new Map<string, string | null>()
  const resolve = (name: string) => (later.has(name) ? (later.get(name) ?? null) : name)
  for (let index = end - 1; index >= 0; index--) {
    const renamed = renamedTable(asts[index])
    if (renamed) later.set(renamed.from, resolve(renamed.to))
    for (const dropped of droppedTables(asts[index])) later.set(dropped, null)
    yield { index, laterName: resolve }
  }
}

/** COMMIT, ROLLBACK, END, ABORT, PREPARE TRANSACTION: the open transaction is over after it. */
export function endsTransaction(ast: Node | null): boolean {
  const kind = nodeAs(ast, 'TransactionStmt')?.kind
  return kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE'
}
