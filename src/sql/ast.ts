// Small typed accessors over libpg-query's JSON AST, where every node is `{ Kind: {...} }`.
import type { Node, RangeVar, TypeName } from '@pgsql/types'

type Keys<T> = T extends unknown ? keyof T : never
export type NodeKind = Keys<Node>
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>> extends infer N
  ? N extends Record<K, infer V>
    ? V
    : never
  : never

/** The node's payload when it is of kind `kind`, else undefined. */
export function nodeAs<K extends NodeKind>(node: Node | null | undefined, kind: K): NodeOf<K> | undefined {
  if (!node) return undefined
  return (node as Record<string, unknown>)[kind] as NodeOf<K> | undefined
}

export function kindOf(node: Node | null | undefined): NodeKind | undefined {
  if (!node) return undefined
  for (const key in node) return key as NodeKind
  return undefined
}

/** `[{String:{sval:'a'}}, …]` → `['a', …]` */
export function strings(list: Node[] | undefined): string[] {
  const out: string[] = []
  for (const item of list ?? []) {
    const s = nodeAs(item, 'String')
    if (s?.sval !== undefined) out.push(s.sval)
  }
  return out
}

/** Table names are kept as written, minus a redundant `public.` so `public.users` and `users` meet. */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema && schema !== 'public' ? `${schema}.${name}` : name
}

export function relationName(rel: RangeVar | undefined): string {
  return qualifiedName(rel?.schemaname, rel?.relname ?? '?')
}

/** `['public', 'users']` (a qualified name as a string list) → `users` */
export function listName(names: string[]): string {
  if (names.length >= 2) return qualifiedName(names[names.length - 2], names[names.length - 1])
  return names[0] ?? '?'
}

export interface TypeInfo {
  /** Catalogue name without `pg_catalog.`: int4, varchar, text, timestamptz, a user enum … */
  name: string
  mods: number[]
  array: boolean
  /** How to show it: varchar(20), text[], integer (not int4) */
  text: string
}

/** `public.mood` and `mood` are the same type: the name as migrations without a schema write it. */
export function typeNameOf(type: TypeInfo): string {
  return type.name.replace(/^public\./, '')
}

export function typeInfo(type: TypeName | undefined): TypeInfo {
  const names = strings(type?.names)
  const name = names.filter(n => n !== 'pg_catalog').join('.') || '?'
  const mods: number[] = []
  for (const mod of type?.typmods ?? []) {
    const value = nodeAs(mod, 'A_Const')?.ival?.ival
    mods.push(typeof value === 'number' ? value : 0)
  }
  const array = (type?.arrayBounds?.length ?? 0) > 0
  const text = `${DISPLAYED_TYPES[name] ?? name}${mods.length ? `(${mods.join(',')})` : ''}${array ? '[]' : ''}`
  return { name, mods, array, text }
}

/**
 * The parser turns `integer` into pg_catalog.int4: messages and advice name types as migrations and
 * the Postgres docs write them (`integer`, `bigint`), which is valid SQL where the advice pastes it.
 */
const DISPLAYED_TYPES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
}

/** Function names an expression calls, lower-cased and without schema (`now`, `gen_random_uuid`). */
export function calledFunctions(node: Node | undefined): string[] {
  const found: string[] = []
  visit(node, (n, kind) => {
    const call = kind === 'FuncCall' ? nodeAs(n, 'FuncCall') : undefined
    if (call) {
      const names = strings(call.funcname)
      found.push((names[names.length - 1] ?? '').toLowerCase())
    }
  })
  return found
}

/**
 * Depth-first walk over every node below `node` (objects with a single capitalised key), each given
 * with its kind, so that a callback looking for one kind compares a string instead of probing the node.
 */
export function visit(node: unknown, fn: (node: Node, kind: NodeKind) => void): void {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const item of node) visit(item, fn)
    return
  }
  const record = node as Record<string, unknown>
  // Rules walk every statement's tree: a char code compare, not a regex, no call per scalar field,
  // and for…in rather than Object.keys, which would allocate an array for each object of the tree.
  const kind = soleKey(record)
  if (kind !== undefined && isUpperAscii(kind.charCodeAt(0))) fn(record as Node, kind as NodeKind)
  for (const key in record) {
    const value = record[key]
    if (value !== null && typeof value === 'object') visit(value, fn)
  }
}

/** The object's key when it has exactly one. */
function soleKey(record: Record<string, unknown>): string | undefined {
  let only: string | undefined
  for (const key in record) {
    if (only !== undefined) return undefined
    only = key
  }
  return only
}

function isUpperAscii(code: number): boolean {
  return code >= 0x41 && code <= 0x5a
}

/** A short, readable rendering of simple default expressions, for messages. */
export function exprText(node: Node | undefined): string {
  if (!node) return '?'
  const constant = nodeAs(node, 'A_Const')
  if (constant) {
    if (constant.isnull) return 'NULL'
    if (constant.ival) return String(constant.ival.ival ?? 0)
    if (constant.fval) return String(constant.fval.fval)
    if (constant.boolval) return String(constant.boolval.boolval ?? false)
    if (constant.sval) return `'${constant.sval.sval ?? ''}'`
    return '?'
  }
  const cast = nodeAs(node, 'TypeCast')
  if (cast) return `${exprText(cast.arg)}::${typeInfo(cast.typeName).text}`
  const call = nodeAs(node, 'FuncCall')
  if (call) return `${strings(call.funcname).join('.')}(${(call.args ?? []).map(exprText).join(', ')})`
  const svf = nodeAs(node, 'SQLValueFunction')
  if (svf) return String(svf.op ?? '').replace(/^SVFOP_/, '').toLowerCase()
  const column = nodeAs(node, 'ColumnRef')
  if (column) return strings(column.fields).join('.')
  return '(expression)'
}
