// The tables a query can see, by the names its column references use (aliases or table names), and
// how a reference (`p.email`, `email`) maps to tables. Shared by the Kysely and the raw-SQL walkers.
import { qualifiedName } from '../sql/ast.js'

export interface TableEntry {
  /** How references name it: the alias, else the table as written. */
  readonly name: string
  /** The table, or null for what is not a table: a CTE, a subquery, a function, a dynamic name. */
  readonly table: string | null
}

/** One query level; `parent` is the enclosing query, whose tables correlated subqueries may name. */
export interface Scope {
  readonly entries: readonly TableEntry[]
  readonly ctes: readonly string[]
  readonly parent: Scope | null
  /**
   * Set when this level holds tables that are not known: a builder handed to a helper from elsewhere
   * (`of activeOnly()'s parameter qb: …`). Says whose they are and why, for unresolved records.
   */
  readonly unknown?: string
}

export const NO_SCOPE: Scope = Object.freeze({ entries: [], ctes: [], parent: null })

export function childScope(parent: Scope | null): Scope {
  return { entries: [], ctes: [], parent }
}

export function withEntries(scope: Scope, entries: readonly TableEntry[]): Scope {
  return { ...scope, entries: [...scope.entries, ...entries] }
}

export function withCtes(scope: Scope, names: readonly string[]): Scope {
  return { ...scope, ctes: [...scope.ctes, ...names] }
}

export function isCte(scope: Scope, name: string): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.ctes.includes(name)) return true
  return false
}

/** `public.users` → `users`, `audit.events` stays: tables meet the names migrations use. */
export function normalizeTable(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? name : qualifiedName(name.slice(0, dot), name.slice(dot + 1))
}

/**
 * Tables a column reference belongs to. A qualifier names an alias or table of this level or an
 * outer one; an unknown qualifier is taken as a table name (safer to over-report a read than to miss
 * it). Without a qualifier the column belongs to every table of the innermost level that has any,
 * since the scan does not know which table holds it. Null: no level has a table at all.
 */
export function tablesOf(scope: Scope, qualifier: string | null): string[] | null {
  if (qualifier !== null) return tablesNamed(scope, qualifier)
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.entries.length === 0) continue
    return [...new Set(s.entries.flatMap(e => (e.table === null ? [] : [e.table])))]
  }
  return null
}

function tablesNamed(scope: Scope, qualifier: string): string[] {
  const table = normalizeTable(qualifier)
  for (let s: Scope | null = scope; s; s = s.parent) {
    const entry = s.entries.find(e => e.name === qualifier) ?? s.entries.find(e => e.table === table)
    if (entry) return entry.table === null ? [] : [entry.table]
    if (s.ctes.includes(qualifier)) return []
  }
  return [table]
}

/**
 * Why the tables a reference may belong to are not all known, or null: an unqualified reference at a
 * level with unknown tables, or a qualifier that no level names while one has unknown tables.
 */
export function unknownTables(scope: Scope, qualifier: string | null): string | null {
  if (qualifier === null) {
    for (let s: Scope | null = scope; s; s = s.parent) if (s.entries.length > 0 || s.unknown) return s.unknown ?? null
    return null
  }
  const table = normalizeTable(qualifier)
  let unknown: string | null = null
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.entries.some(e => e.name === qualifier || e.table === table) || s.ctes.includes(qualifier)) return null
    unknown ??= s.unknown ?? null
  }
  return unknown
}

/** The real tables of the innermost level that has any: what `selectAll()` and `*` read. */
export function innermostTables(scope: Scope): string[] {
  return tablesOf(scope, null) ?? []
}
