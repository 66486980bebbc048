// What the mapping ORMs (TypeORM entities, Sequelize models) have in common: a class or model that maps
// a table is an implicit full-row read of it. Every query the ORM builds on the model (`repository.find`,
// `Model.findAll`, a relation loaded through it) selects every column it maps, and every INSERT names
// the columns it maps; no query names a column it does not map. So the mapping itself is the use, at
// the line that maps each column. That needs no following of repositories or model objects across
// files: what the previous release maps is what its code reads, whatever calls it makes.
//
// The mapping of a whole tree is read once per release (a parent class, an embedded class, the naming
// strategy or global options live in other files) into records per file; each file's scan emits its own.
import { addRows, addUsage, locationAt, startInsert, type FileContext } from '../file-context.js'
import { forEachChild, oxcParser, stringValue, unwrap, type Node } from '../js-node.js'
import { normalizeTable } from '../table-scope.js'
import { TABLE_ONLY, type UsageKind } from '../usage.js'
import type { DataLayerReader } from './reader.js'

export interface MappedUse {
  table: string
  column: string
  kind: UsageKind
  offset: number
}

/** One kind of row the ORM inserts: the columns it sets on every insert itself (the others may be left to DEFAULT). */
export interface MappedInsert {
  table: string
  columns: string[]
  offset: number
}

/** What could not be read: it counts against changes to `table`, or to any table. */
export interface MappedUnresolved {
  offset: number
  reason: string
  table?: string
  anyTable?: boolean
}

export interface MappingRecords {
  uses: MappedUse[]
  inserts: MappedInsert[]
  unresolved: MappedUnresolved[]
}

/** A tree's mapping, by the file each record is located in. */
export interface OrmMapping {
  files: ReadonlyMap<string, MappingRecords>
}

/** Collects the records of a tree's mapping, each once. */
export class MappingBuilder {
  private readonly files = new Map<string, MappingRecords>()
  private readonly seen = new Set<string>()

  private of(file: string): MappingRecords {
    let records = this.files.get(file)
    if (!records) this.files.set(file, (records = { uses: [], inserts: [], unresolved: [] }))
    return records
  }

  use(file: string, table: string, column: string, kind: UsageKind, offset: number): void {
    const key = JSON.stringify([file, table, column, kind, offset])
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.of(file).uses.push({ table: normalizeTable(table), column, kind, offset })
  }

  /** The table itself, read (a DROP TABLE breaks it) and inserted into with `filled` set by the ORM. */
  table(file: string, table: string, offset: number, filled: readonly string[] | null): void {
    this.use(file, table, TABLE_ONLY, 'select', offset)
    if (filled) this.of(file).inserts.push({ table: normalizeTable(table), columns: [...new Set(filled)].sort(), offset })
  }

  /** A mapped column: read by every default select unless `read` is false, named by every INSERT unless `inserted` is. */
  column(file: string, table: string, column: string, offset: number, how: { read: boolean; inserted: boolean }): void {
    if (how.read) this.use(file, table, column, 'select', offset)
    if (how.inserted) this.use(file, table, column, 'insert', offset)
  }

  unresolved(file: string, offset: number, reason: string, on: { table: string } | 'any table'): void {
    const where = on === 'any table' ? { anyTable: true } : { table: normalizeTable(on.table) }
    const key = JSON.stringify([file, offset, reason, where])
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.of(file).unresolved.push({ offset, reason, ...where })
  }

  build(): OrmMapping {
    return { files: this.files }
  }
}

/**
 * The reader of a mapping ORM: a module that `mentions` it gets the records located in it, once (at the
 * root of its tree); no node is a query of its own (the queries add nothing the mapping does not say).
 */
export function mappingReader(name: 'typeorm' | 'sequelize', mentions: (text: string) => boolean): DataLayerReader {
  return {
    name,
    key: env => env[name]?.key ?? null,
    mentions: (text, env) => env[name] !== null && mentions(text),
    read(node, ctx, env) {
      const mapping = env[name]
      if (node.type === 'Program' && mapping) emitMapping(mapping.schema, ctx)
      return false
    },
  }
}

/** Emits the records a mapping holds for the file being scanned. */
function emitMapping(mapping: OrmMapping, ctx: FileContext): void {
  const records = mapping.files.get(ctx.file)
  if (!records) return
  for (const use of records.uses) addUsage(ctx, use.table, use.column, use.kind, use.offset)
  for (const insert of records.inserts) addRows(startInsert(ctx, insert.table, insert.offset), [{ columns: insert.columns, known: true }])
  for (const x of records.unresolved) {
    ctx.unresolved.push({ ...locationAt(ctx, x.offset), reason: x.reason, ...(x.anyTable ? { anyTable: true } : {}), ...(x.table ? { table: x.table } : {}) })
  }
}

/** A module of the tree, parsed; null when it does not parse at all (its own scan says so). */
export function parseModule(path: string, text: string): Node | null {
  try {
    const lang = /\.[cm]?ts$/.test(path) ? 'ts' : path.endsWith('.tsx') ? 'tsx' : 'jsx'
    return oxcParser().parseSync(path, text, { lang, astType: 'js', preserveParens: false }).program as Node
  } catch {
    return null
  }
}

/** Every node under `root`, depth first (an explicit stack: generated code nests deep). */
export function eachNode(root: Node, fn: (node: Node) => void): void {
  const stack: Node[] = [root]
  const children: Node[] = []
  for (let node = stack.pop(); node; node = stack.pop()) {
    fn(node)
    forEachChild(node, child => children.push(child))
    while (children.length) stack.push(children.pop() as Node)
  }
}

/** The options of an object literal: its plain properties by key, and whether that is all of it (no spread, no computed key). */
export interface ObjectOptions {
  props: Map<string, { key: Node; value: Node }>
  complete: boolean
}

export function objectOptions(node: Node | undefined | null): ObjectOptions | null {
  const n = node ? unwrap(node) : null
  if (n?.type !== 'ObjectExpression') return null
  const props = new Map<string, { key: Node; value: Node }>()
  let complete = true
  for (const p of n.properties) {
    const key = p.type === 'Property' && !p.computed ? (p.key.type === 'Identifier' ? p.key.name : stringValue(p.key)) : null
    if (p.type !== 'Property' || key === null) complete = false
    else props.set(key, { key: p.key, value: p.value })
  }
  return { props, complete }
}

/**
 * A string option: `absent` when the object surely does not give it, the text when a literal gives it,
 * `unknown` when it is computed (or may come from a spread).
 */
export function stringOption(options: ObjectOptions, key: string): string | 'absent' | 'unknown' {
  const prop = options.props.get(key)
  if (!prop) return options.complete ? 'absent' : 'unknown'
  return stringValue(prop.value) ?? 'unknown'
}

/** A boolean option: true/false when a literal gives it, null when absent, `unknown` when computed. */
export function booleanOption(options: ObjectOptions | null, key: string): boolean | null | 'unknown' {
  if (!options) return null
  const prop = options.props.get(key)
  if (!prop) return options.complete ? null : 'unknown'
  const value = unwrap(prop.value)
  return value.type === 'Literal' && typeof value.value === 'boolean' ? value.value : 'unknown'
}
