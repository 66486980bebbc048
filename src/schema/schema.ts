// The schema model that migrations are replayed into (DESIGN §2). Every object remembers where it
// came from, so a rule can ask "did this exist before this release / before this migration?".
import type { TypeInfo } from '../sql/ast.js'

export interface Origin {
  migrationId: string
  /** Migrations that ship together share a release key; objects from another key existed before. */
  releaseKey: string
}

export interface ColumnDefault {
  text: string
  volatile: boolean
}

export interface Column {
  name: string
  type: TypeInfo
  nullable: boolean
  default: ColumnDefault | null
  /** identity and generated columns fill themselves; inserts may omit them. */
  generated: boolean
  /**
   * Added by ALTER TABLE with no default to fill it: NULL in every row the table had then, until an UPDATE
   * (or a TYPE change with USING) of a later migration sets it. ALTER COLUMN SET DEFAULT fills no row.
   */
  unfilled?: true
  origin: Origin
}

export type ConstraintKind = 'primary-key' | 'foreign-key' | 'unique' | 'check' | 'exclusion'

export interface Constraint {
  name: string | null
  kind: ConstraintKind
  columns: string[]
  validated: boolean
  references: { table: string; columns: string[] } | null
  /**
   * The columns a CHECK proves non-null (`CHECK (c IS NOT NULL)`, alone or ANDed with more). Once the
   * check is validated, Postgres 12+ sets those columns NOT NULL without scanning the table.
   */
  notNullColumns?: string[]
  origin: Origin
}

export interface Index {
  name: string
  table: string
  columns: string[]
  unique: boolean
  origin: Origin
}

export interface Table {
  name: string
  columns: Map<string, Column>
  constraints: Constraint[]
  origin: Origin
}

export interface EnumType {
  name: string
  values: string[]
  origin: Origin
}

/** pg_proc.provolatile: only a volatile function in a column default makes ADD COLUMN rewrite the table. */
export type Volatility = 'immutable' | 'stable' | 'volatile'

/** A function created by the migrations (CREATE FUNCTION), by name and argument types. */
export interface DbFunction {
  /** Lower case, without its schema, as calls are matched (`calledFunctions`). */
  name: string
  /** Argument types as the call matches them: `int4,text` */
  args: string
  volatility: Volatility
  origin: Origin
}

export class Schema {
  readonly tables = new Map<string, Table>()
  readonly #indexes = new IndexMap()
  readonly indexes: Map<string, Index> = this.#indexes
  readonly enums = new Map<string, EnumType>()
  readonly views = new Map<string, Origin>()
  /** By `name(args)`: overloads are separate functions. */
  readonly functions = new Map<string, DbFunction>()
  /**
   * Namespaces (`''` the default one, `auth`) in which the migrations need a table they never made (they
   * alter it, index it, reference it, drop it without IF EXISTS): objects exist there that the model
   * does not hold, so a name it lacks may still be in use (src/schema/absent-objects.ts).
   */
  readonly outsideNamespaces = new Set<string>()

  table(name: string): Table | undefined {
    return this.tables.get(name)
  }

  column(table: string, column: string): Column | undefined {
    return this.tables.get(table)?.columns.get(column)
  }

  /**
   * How volatile a call of `name` is by the functions the migrations created: the most volatile of its
   * overloads (the call's argument types are not known here). Undefined when no migration created one.
   */
  functionVolatility(name: string): Volatility | undefined {
    let found: Volatility | undefined
    for (const fn of this.functions.values()) {
      if (fn.name !== name) continue
      if (fn.volatility === 'volatile') return 'volatile'
      if (fn.volatility === 'stable' || !found) found = fn.volatility
    }
    return found
  }

  /** The table's indexes, in the order of `indexes`. */
  indexesOf(table: string): Index[] {
    return this.#indexes.ofTable(table)
  }

  /**
   * Gives the indexes of table `from` to table `to` (a table rename). An index's table changes only
   * through here: `indexesOf` files indexes under their table when they enter `indexes`.
   */
  moveIndexes(from: string, to: string): void {
    this.#indexes.moveTable(from, to)
  }

  /** A deep copy, for callers that keep a snapshot while replay goes on. */
  clone(): Schema {
    const copy = new Schema()
    for (const [name, t] of this.tables) copy.tables.set(name, copyTable(t))
    for (const [name, i] of this.indexes) copy.indexes.set(name, { ...i })
    for (const [name, e] of this.enums) copy.enums.set(name, { ...e, values: [...e.values] })
    for (const [name, v] of this.views) copy.views.set(name, v)
    for (const [key, f] of this.functions) copy.functions.set(key, { ...f })
    for (const namespace of this.outsideNamespaces) copy.outsideNamespaces.add(namespace)
    return copy
  }

  /**
   * A deep copy of the named tables alone (names the model does not know are left out): enough to
   * replay a few statements that touch only them aside, without copying the whole schema.
   */
  copyOfTables(names: Iterable<string>): Schema {
    const copy = new Schema()
    for (const name of names) {
      const table = this.tables.get(name)
      if (table) copy.tables.set(name, copyTable(table))
    }
    return copy
  }
}

/** `auth.users` → `auth`; `users` (public or the search path) → `''`. */
export function namespaceOf(relation: string): string {
  const dot = relation.lastIndexOf('.')
  return dot < 0 ? '' : relation.slice(0, dot)
}

function copyTable(t: Table): Table {
  return {
    ...t,
    columns: new Map([...t.columns].map(([k, c]) => [k, { ...c }])),
    constraints: t.constraints.map(c => ({ ...c })),
  }
}

/**
 * The indexes by name, also grouped by table: replay and rules ask for a table's indexes per statement,
 * and filtering every index of a large schema each time was most of the cost of replay. Still a Map
 * whoever writes to it (replay, clone, the cache's snapshots), so the groups follow every set and
 * delete; private fields are no own properties, so a schema compares and serialises as before.
 */
class IndexMap extends Map<string, Index> {
  /** Map key → index, per table, each group in the order of the map. Made when first asked for. */
  #byTable: Map<string, Map<string, Index>> | null = null
  /** Each key's place in the map, while there are groups: a new key goes last, a replaced value stays. */
  readonly #place = new Map<string, number>()
  #next = 0

  override set(key: string, index: Index): this {
    const groups = this.#byTable
    if (groups) {
      const old = super.get(key)
      if (old === undefined) {
        this.#place.set(key, this.#next++)
        groupOf(groups, index.table).set(key, index)
      } else if (old.table === index.table) {
        groupOf(groups, old.table).set(key, index)
      } else {
        this.#leave(old.table, key)
        this.#join(index.table, [[key, index]])
      }
    }
    return super.set(key, index)
  }

  override delete(key: string): boolean {
    const old = super.get(key)
    if (old !== undefined && this.#byTable) {
      this.#leave(old.table, key)
      this.#place.delete(key)
    }
    return super.delete(key)
  }

  override clear(): void {
    this.#byTable = null
    this.#place.clear()
    super.clear()
  }

  ofTable(table: string): Index[] {
    const group = this.#groups().get(table)
    return group ? [...group.values()] : []
  }

  moveTable(from: string, to: string): void {
    if (from === to) return
    const groups = this.#groups()
    const group = groups.get(from)
    if (!group) return
    for (const index of group.values()) index.table = to
    groups.delete(from)
    if (groups.has(to)) this.#join(to, group)
    else groups.set(to, group)
  }

  #groups(): Map<string, Map<string, Index>> {
    if (!this.#byTable) {
      const groups = new Map<string, Map<string, Index>>()
      for (const [key, index] of super.entries()) {
        this.#place.set(key, this.#next++)
        groupOf(groups, index.table).set(key, index)
      }
      this.#byTable = groups
    }
    return this.#byTable
  }

  #leave(table: string, key: string): void {
    const group = this.#byTable!.get(table)
    group?.delete(key)
    if (group?.size === 0) this.#byTable!.delete(table)
  }

  /**
   * Adds entries to a table's group where the map has them. Rare (a name taken again by an index of
   * another table; a table renamed to one that has indexes already): sorting a group is cheap.
   */
  #join(table: string, entries: Iterable<[string, Index]>): void {
    const place = this.#place
    const joined = [...(this.#byTable!.get(table) ?? []), ...entries].sort((a, b) => place.get(a[0])! - place.get(b[0])!)
    this.#byTable!.set(table, new Map(joined))
  }
}

function groupOf(groups: Map<string, Map<string, Index>>, table: string): Map<string, Index> {
  let group = groups.get(table)
  if (!group) {
    group = new Map()
    groups.set(table, group)
  }
  return group
}
