// The schema model as plain JSON, so that replaying the shipped migrations happens once per base and
// not on every pre-commit run. Maps keep their own keys (entries), whatever the objects' names say.
import { Schema, type Column, type EnumType, type Index, type Origin, type Table } from '../schema/schema.js'

interface TableRecord extends Omit<Table, 'columns'> {
  columns: [string, Column][]
}

export interface SchemaRecord {
  tables: [string, TableRecord][]
  indexes: [string, Index][]
  enums: [string, EnumType][]
  views: [string, Origin][]
}

export function schemaToRecord(schema: Schema): SchemaRecord {
  return {
    tables: [...schema.tables].map(([name, t]) => [name, { ...t, columns: [...t.columns] }]),
    indexes: [...schema.indexes],
    enums: [...schema.enums],
    views: [...schema.views],
  }
}

export function schemaFromRecord(record: SchemaRecord): Schema {
  const schema = new Schema()
  for (const [name, t] of record.tables) schema.tables.set(name, { ...t, columns: new Map(t.columns) })
  for (const [name, i] of record.indexes) schema.indexes.set(name, i)
  for (const [name, e] of record.enums) schema.enums.set(name, e)
  for (const [name, origin] of record.views) schema.views.set(name, origin)
  return schema
}
