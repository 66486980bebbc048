// What a helper's parameter type says about the Kysely builder it is handed (issue 13):
// `SelectQueryBuilder<DB, 'users' | 'orders', O>`, `UpdateQueryBuilder<DB, 'users', 'users', O>`,
// `ExpressionBuilder<DB, 'users'>`: the tables in scope, and those an UPDATE / DELETE / INSERT writes.
// A type is all a file that only declares a helper knows of the tables its callers elsewhere use.
import type { Node } from './js-node.js'
import type { QueryRoot } from './query-state.js'

export interface BuilderType {
  /** `builder`: links continue a query (`qb.where(…)`); `expression`: an `eb` of a callback (`eb('a', '=', 1)`). */
  readonly role: 'builder' | 'expression'
  readonly root: QueryRoot
  /** The tables the builder can see; null when the type does not name them (`keyof DB`, an open type parameter). */
  readonly tables: readonly string[] | null
  /** The tables an UPDATE / DELETE / INSERT writes; null when not named. */
  readonly targets: readonly string[] | null
}

interface Shape {
  role: BuilderType['role']
  root: QueryRoot
  /** Index of the type argument that lists the tables in scope, and of the one that lists the written tables. */
  tables: number
  targets: number | null
}

// Kysely's own names (src/query-builder/*.ts, src/expression/expression-builder.ts).
const SHAPES = new Map<string, Shape>([
  ['SelectQueryBuilder', { role: 'builder', root: 'select', tables: 1, targets: null }],
  ['UpdateQueryBuilder', { role: 'builder', root: 'update', tables: 2, targets: 1 }],
  ['DeleteQueryBuilder', { role: 'builder', root: 'delete', tables: 1, targets: 1 }],
  ['InsertQueryBuilder', { role: 'builder', root: 'insert', tables: 1, targets: 1 }],
  ['WhereInterface', { role: 'builder', root: 'select', tables: 1, targets: null }],
  ['HavingInterface', { role: 'builder', root: 'select', tables: 1, targets: null }],
  ['ExpressionBuilder', { role: 'expression', root: 'select', tables: 1, targets: null }],
])

/** How many names (aliases, type parameters) are followed to the types they stand for. */
const MAX_DEPTH = 8

/** What the names of a function's type parameters and the file's type aliases stand for. */
export interface TypeNames {
  /** `<TB extends 'users' | 'orgs'>`: TB → its constraint. */
  readonly parameters: ReadonlyMap<string, Node | null>
  /** `type PetQuery = SelectQueryBuilder<DB, 'pets', {}>` at the top of the file. */
  readonly aliases: ReadonlyMap<string, Node>
}

/** The Kysely builder a type annotation names, or null (no annotation, `any`, another type). */
export function builderType(annotation: Node | null | undefined, names: TypeNames, depth = 0): BuilderType | null {
  const type = annotationType(annotation)
  if (!type || type.type !== 'TSTypeReference' || depth > MAX_DEPTH) return null
  const name = typeName(type.typeName as Node)
  const shape = name === null ? undefined : SHAPES.get(name)
  if (!shape) {
    // `type UserQuery = SelectQueryBuilder<…>`; an alias of an alias too (a loop of them ends at MAX_DEPTH).
    const alias = name === null ? undefined : names.aliases.get(name)
    return alias ? builderType(alias, names, depth + 1) : null
  }
  const args = (type.typeArguments?.params ?? []) as Node[]
  const tables = literalNames(args[shape.tables], names, 0)
  const targets = shape.targets === null ? null : literalNames(args[shape.targets], names, 0)
  return { role: shape.role, root: shape.root, tables, targets: shape.root === 'select' ? [] : targets }
}

/** True when the annotation is a type that cannot be a builder: `string`, `number`, `boolean`, … */
export function isPlainValueType(annotation: Node | null | undefined): boolean {
  const type = annotationType(annotation)
  return type !== null && /^TS(String|Number|Boolean|BigInt|Symbol|Undefined|Null|Void|Never)Keyword$|^TSLiteralType$/.test(type.type)
}

function annotationType(annotation: Node | null | undefined): Node | null {
  if (!annotation) return null
  return annotation.type === 'TSTypeAnnotation' ? (annotation.typeAnnotation as Node) : annotation
}

function typeName(node: Node): string | null {
  if (node.type === 'Identifier') return node.name
  // `kysely.SelectQueryBuilder`
  if (node.type === 'TSQualifiedName') return typeName(node.right as Node)
  return null
}

/** `'users'`, `'users' | 'orders'`, a type parameter or alias standing for them; null for anything else. */
function literalNames(type: Node | undefined, names: TypeNames, depth: number): string[] | null {
  if (!type || depth > MAX_DEPTH) return null
  switch (type.type) {
    case 'TSLiteralType': {
      const literal = type.literal as Node
      return literal.type === 'Literal' && typeof literal.value === 'string' ? [literal.value] : null
    }
    case 'TSUnionType': {
      const parts = (type.types as Node[]).map(t => literalNames(t, names, depth + 1))
      return parts.every(p => p !== null) ? [...new Set(parts.flat() as string[])] : null
    }
    case 'TSParenthesizedType':
      return literalNames(type.typeAnnotation as Node, names, depth + 1)
    case 'TSTypeReference': {
      const name = type.typeArguments ? null : typeName(type.typeName as Node)
      if (name === null) return null
      const bound = names.parameters.has(name) ? names.parameters.get(name) : names.aliases.get(name)
      return bound ? literalNames(bound, names, depth + 1) : null
    }
    default:
      return null
  }
}
