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
  origin: Origin
}

export type ConstraintKind = 'primary-key' | 'foreign-key' | 'unique' | 'check' | 'exclusion'

export interface Constraint {
  name: string | null
  kind: ConstraintKind
  columns: string[]
  validated: boolean
  references: { table: string; columns: string[] } | null
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

export class Schema {
  readonly tables = new Map<string, Table>()
  readonly indexes = new Map<string, Index>()
  readonly enums = new Map<string, EnumType>()
  readonly views = new Map<string, Origin>()

  table(name: string): Table | undefined {
    return this.tables.get(name)
  }

  column(table: string, column: string): Column | undefined {
    return this.tables.get(table)?.columns.get(column)
  }

  indexesOf(table: string): Index[] {
    return [...this.indexes.values()].filter(i => i.table === table)
  }

  /** A deep copy, for callers that keep a snapshot while replay goes on. */
  clone(): Schema {
    const copy = new Schema()
    for (const [name, t] of this.tables) {
      copy.tables.set(name, {
        ...t,
        columns: new Map([...t.columns].map(([k, c]) => [k, { ...c }])),
        constraints: t.constraints.map(c => ({ ...c })),
      })
    }
    for (const [name, i] of this.indexes) copy.indexes.set(name, { ...i })
    for (const [name, e] of this.enums) copy.enums.set(name, { ...e, values: [...e.values] })
    for (const [name, v] of this.views) copy.views.set(name, v)
    return copy
  }
}
