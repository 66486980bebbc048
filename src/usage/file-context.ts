// What the walk of one file collects, and where it is in the file.
import { LineIndex } from '../util/line-index.js'
import type { Node } from './js-node.js'
import type { HelperIndex } from './kysely-helpers.js'
import type { QueryState } from './query-state.js'
import type { CodeLocation, InsertStatement, Unresolved, Usage, UsageKind } from './usage.js'

/** An INSERT being read: the rows it sets are known only once the chain (or the SQL) has been read. */
export interface InsertDraft {
  table: string
  offset: number
  /** Columns every row sets so far; null until the first row is seen. */
  columns: Set<string> | null
  known: boolean
}

export interface FileContext {
  readonly file: string
  readonly text: string
  readonly usages: Usage[]
  readonly unresolved: Unresolved[]
  readonly inserts: InsertDraft[]
  /** Query sites already read inside an enclosing query (with its scope): the file walk skips them. */
  readonly done: Set<Node>
  /** Variables holding a query builder (`let q = db.selectFrom('person')`), so `q.where(…)` continues it. */
  readonly builders: Map<string, QueryState>
  /** `const TABLE = 'person'`: lets `selectFrom(TABLE)` resolve. */
  readonly constants: Map<string, string>
  /** `const row = { a, b }` (or `items.map(i => ({ a, b }))`): lets `values(row)` know its keys. */
  readonly objects: Map<string, Node>
  /** `const recent = db.selectFrom(…).as('recent')`: `selectFrom(recent)` names a derived table, not a table. */
  readonly derivedTables: Map<string, string>
  /** Functions and methods of the file by name: `reportQuery(db).where(…)` continues the query they return. */
  readonly functions: Map<string, Node>
  /** What each of those returns once read: a query's state, or null when it is no query builder. */
  readonly functionQueries: Map<string, QueryState | null>
  /** The file's functions that are handed a Kysely builder (kysely-helpers.ts); null while it has none. */
  helpers: HelperIndex | null
  lines: LineIndex | null
}

export function fileContext(file: string, text: string): FileContext {
  return {
    file,
    text,
    usages: [],
    unresolved: [],
    inserts: [],
    done: new Set(),
    builders: new Map(),
    constants: new Map(),
    derivedTables: new Map(),
    objects: new Map(),
    functions: new Map(),
    functionQueries: new Map(),
    helpers: null,
    lines: null,
  }
}

export function locationAt(ctx: FileContext, offset: number): CodeLocation {
  ctx.lines ??= new LineIndex(ctx.text)
  return { file: ctx.file, ...ctx.lines.position(offset) }
}

export function addUsage(ctx: FileContext, table: string, column: string, kind: UsageKind, offset: number, nonNullLiteral = false): void {
  const usage: Usage = { table, column, kind, loc: locationAt(ctx, offset) }
  if (nonNullLiteral) usage.nonNullLiteral = true
  ctx.usages.push(usage)
}

export function addUnresolved(ctx: FileContext, offset: number, reason: string, anyTable = false): void {
  ctx.unresolved.push({ ...locationAt(ctx, offset), reason, ...(anyTable ? { anyTable } : {}) })
}

/** A query the scan could not read on a table it knows (the file may not name that table where the fallback looks). */
export function addUnresolvedOn(ctx: FileContext, offset: number, reason: string, table: string): void {
  ctx.unresolved.push({ ...locationAt(ctx, offset), reason, table })
}

export function startInsert(ctx: FileContext, table: string, offset: number): InsertDraft {
  const draft: InsertDraft = { table, offset, columns: null, known: true }
  ctx.inserts.push(draft)
  return draft
}

/** One more set of inserted rows: a column counts only when every row sets it (a missing key is DEFAULT). */
export function addRows(draft: InsertDraft, rows: readonly { columns: readonly string[]; known: boolean }[]): void {
  for (const row of rows) {
    const previous = draft.columns
    draft.columns = new Set(previous ? row.columns.filter(c => previous.has(c)) : row.columns)
    draft.known &&= row.known
  }
}

export function finishInsert(ctx: FileContext, draft: InsertDraft): InsertStatement {
  return {
    table: draft.table,
    columns: [...(draft.columns ?? [])].sort(),
    columnsKnown: draft.known && draft.columns !== null,
    loc: locationAt(ctx, draft.offset),
  }
}

/** A short quote of the code for messages. */
export function snippet(ctx: FileContext, node: Node): string {
  const text = ctx.text.slice(node.start, node.end).replace(/\s+/g, ' ')
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
