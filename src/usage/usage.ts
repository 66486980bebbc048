// What the app code reads and writes (DESIGN §2 "Usage"): plain data, computed for the code at the
// base of the release and at its head, so that rules can tell whether old code still uses a column.

/**
 * The clause that names the column. `select` is any read of a value (a select list, the value side of
 * `SET a = b`, a function argument); `where` covers HAVING too; `join` is an ON / USING condition or a
 * joined table; `insert` / `update` are the columns written (and an ON CONFLICT target); `delete` is
 * only ever a table-level use; `selectAll` is `selectAll()` / `SELECT *`.
 */
export type UsageKind =
  | 'select'
  | 'where'
  | 'join'
  | 'order'
  | 'group'
  | 'insert'
  | 'update'
  | 'delete'
  | 'returning'
  | 'selectAll'

/** Every column of the table: selectAll, `SELECT *`, `RETURNING *`, an INSERT or UPDATE whose keys are not known. */
export const EVERY_COLUMN = '*'
/** The table itself (FROM, JOIN, INSERT INTO, UPDATE, DELETE FROM), no column in particular. */
export const TABLE_ONLY = ''

/** Where in the app code: 1-based line and column; columns count UTF-16 code units, as editors and SARIF do. */
export interface CodeLocation {
  file: string
  line: number
  column: number
}

export interface Usage {
  /** As migrations name it: `users`, `audit.events` (a redundant `public.` is dropped). */
  table: string
  /** A column name, EVERY_COLUMN (`'*'`) or TABLE_ONLY (`''`). */
  column: string
  kind: UsageKind
  /** `loc`, not flat fields: `column` already names the table column. */
  loc: CodeLocation
  /**
   * A write whose value, in every row, is a literal that is not NULL (`VALUES ('x')`, `values({ a: 1 })`):
   * it cannot write NULL. Set only by readers that see the value (SQL text, Kysely); absent: not known.
   */
  nonNullLiteral?: true
}

/** One INSERT the code runs, with the columns it sets: a later DROP DEFAULT breaks the ones that omit a column. */
export interface InsertStatement {
  table: string
  /** Columns that every inserted row sets, sorted. */
  columns: string[]
  /** False when the code may set more than `columns` (a spread, a variable, `INSERT … VALUES` without a column list). */
  columnsKnown: boolean
  loc: CodeLocation
}

/** A query the scan saw but could not read: a dynamic table name, SQL that does not parse, a file that does not parse. */
export interface Unresolved {
  file: string
  line: number
  column: number
  reason: string
  /** The table it touches is not known (a computed name): it may use any table, named in this file or not. */
  anyTable?: boolean
  /** The one table it touches, when that is known but the file may not name it (a Prisma model's delegate passed on). */
  table?: string
}

export interface UsageScan {
  usages: Usage[]
  inserts: InsertStatement[]
  unresolved: Unresolved[]
  filesScanned: number
  /** Files that mention a query keyword and were parsed; the others cannot hold a query. */
  filesParsed: number
}
