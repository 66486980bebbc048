// A release's Prisma schema as the client sees it: each model's accessor (`prisma.teamUser`), the
// table it maps (`@@map`, `@@schema`), its scalar fields and their columns (`@map`), its relations and
// the foreign-key fields that carry them. Parsed with @mrleebo/prisma-ast (a syntax tree, no
// validation: a schema of any Prisma version reads), loaded on first use like oxc-parser.
import { createRequire } from 'node:module'
import type * as PrismaAst from '@mrleebo/prisma-ast'
import { normalizeTable } from '../table-scope.js'

export interface PrismaField {
  name: string
  column: string
  /** Present on a relation field: the model it points to, and the FK fields on this side (`@relation(fields: […])`). */
  relation?: { model: string; name: string | null; fields: string[] }
  /** The client fills it in on create (`@updatedAt`, `@default(uuid())` / `cuid()` / `nanoid()` / `ulid()`). */
  clientFilled: boolean
  /** `@updatedAt`: the client sets it on every update too. */
  updatedAt: boolean
}

export interface PrismaModel {
  name: string
  table: string
  /** Scalar fields by name (what a row read returns), in schema order. */
  scalars: Map<string, PrismaField>
  relations: Map<string, PrismaField>
}

export interface PrismaSchema {
  /** By client accessor: `TeamUser` → `teamUser`. */
  models: Map<string, PrismaModel>
  /** Schema files that could not be parsed, with why. */
  errors: { file: string; reason: string }[]
}

/** Prisma's schema files: `schema.prisma`, or the `.prisma` files of a multi-file schema folder. */
export function isPrismaSchemaFile(path: string): boolean {
  return path.endsWith('.prisma')
}

/**
 * The schema files the TypeScript/JavaScript client is generated from: when one of the tree's `.prisma`
 * files has a `prisma-client-js` / `prisma-client` generator, it and the files with no generator of
 * their own (the rest of a multi-file schema); otherwise none (another language's client, or no client).
 */
export function jsClientSchemas<F extends { path: string; text: string }>(files: readonly F[]): F[] {
  const schemas = files.filter(f => isPrismaSchemaFile(f.path)).map(f => ({ file: f, providers: generatorProviders(f.text) }))
  const isJs = (p: string) => p === 'prisma-client-js' || p === 'prisma-client'
  if (!schemas.some(s => s.providers.some(isJs))) return []
  return schemas.filter(s => s.providers.length === 0 || s.providers.some(isJs)).map(s => s.file)
}

function generatorProviders(text: string): string[] {
  return [...text.matchAll(/\bgenerator\s+\w+\s*\{([^}]*)\}/g)].flatMap(m => [...m[1].matchAll(/\bprovider\s*=\s*"([^"]+)"/g)].map(p => p[1]))
}

let ast: typeof PrismaAst | undefined

function prismaAst(): typeof PrismaAst {
  ast ??= createRequire(import.meta.url)('@mrleebo/prisma-ast') as typeof PrismaAst
  return ast
}

const CLIENT_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid'])

/** The models of every schema file given (a multi-file schema is one schema); a model defined twice keeps every field of both. */
export function readPrismaSchema(files: readonly { path: string; text: string }[]): PrismaSchema {
  const schema: PrismaSchema = { models: new Map(), errors: [] }
  const blocks: PrismaAst.Model[] = []
  for (const file of files) {
    try {
      blocks.push(...prismaAst().getSchema(file.text).list.filter((b): b is PrismaAst.Model => b.type === 'model'))
    } catch (error) {
      schema.errors.push({ file: file.path, reason: String((error as Error).message ?? error).split('\n')[0] })
    }
  }
  const modelNames = new Set(blocks.map(b => b.name))
  for (const block of blocks) {
    const attributes = block.properties.filter((p): p is PrismaAst.BlockAttribute => p.type === 'attribute')
    if (attributes.some(a => a.name === 'ignore' && !a.group)) continue
    const mapped = stringArg(attributes.find(a => a.name === 'map' && !a.group)?.args[0]?.value)
    const dbSchema = stringArg(attributes.find(a => a.name === 'schema' && !a.group)?.args[0]?.value)
    const table = normalizeTable(dbSchema ? `${dbSchema}.${mapped ?? block.name}` : (mapped ?? block.name))
    const accessor = block.name[0].toLowerCase() + block.name.slice(1)
    const model = schema.models.get(accessor) ?? { name: block.name, table, scalars: new Map(), relations: new Map() }
    schema.models.set(accessor, model)
    for (const field of block.properties) {
      if (field.type !== 'field') continue
      const read = readField(field, modelNames)
      if (read) (read.relation ? model.relations : model.scalars).set(read.name, read)
    }
  }
  return schema
}

function readField(field: PrismaAst.Field, modelNames: ReadonlySet<string>): PrismaField | null {
  // `Unsupported("…")` columns are not read by the client; `@ignore`d fields are not in it.
  if (typeof field.fieldType !== 'string') return null
  const attributes = field.attributes ?? []
  const own = (name: string) => attributes.find(a => a.name === name && !a.group)
  if (own('ignore')) return null
  const fallback = own('default')?.args?.[0]?.value
  const out: PrismaField = {
    name: field.name,
    column: stringArg(own('map')?.args?.[0]?.value) ?? field.name,
    clientFilled: !!own('updatedAt') || (isFunc(fallback) && CLIENT_DEFAULTS.has(fallback.name)),
    updatedAt: !!own('updatedAt'),
  }
  if (modelNames.has(field.fieldType)) {
    const args = own('relation')?.args ?? []
    const named = args.map(a => a.value).find(v => typeof v === 'string') as string | undefined
    const keyed = (key: string) => args.map(a => a.value).find((v): v is PrismaAst.KeyValue => isKeyValue(v) && v.key === key)?.value
    const fields = keyed('fields')
    out.relation = {
      model: field.fieldType,
      name: stringArg(named) ?? stringArg(keyed('name') as string | undefined),
      fields: isArray(fields) ? fields.args.filter((f): f is string => typeof f === 'string') : [],
    }
  }
  return out
}

/** `"team_user"` → `team_user`. */
function stringArg(value: unknown): string | null {
  return typeof value === 'string' && /^".*"$/s.test(value) ? value.slice(1, -1) : null
}

function isFunc(value: unknown): value is PrismaAst.Func {
  return typeof value === 'object' && value !== null && (value as { type?: string }).type === 'function'
}

function isKeyValue(value: unknown): value is PrismaAst.KeyValue {
  return typeof value === 'object' && value !== null && (value as { type?: string }).type === 'keyValue'
}

function isArray(value: unknown): value is PrismaAst.RelationArray {
  return typeof value === 'object' && value !== null && (value as { type?: string }).type === 'array'
}

/**
 * The foreign-key columns that join `model` to the other side of its relation `field`, with the table
 * that holds them: this model's (`@relation(fields: …)` here) or the related model's (the back relation).
 */
export function relationKeys(schema: PrismaSchema, model: PrismaModel, field: PrismaField): { model: PrismaModel; columns: string[] } | null {
  const target = modelByName(schema, field.relation!.model)
  if (!target) return null
  if (field.relation!.fields.length) return { model, columns: columnsOf(model, field.relation!.fields) }
  const back = [...target.relations.values()].find(
    f => f.relation!.model === model.name && f.relation!.fields.length > 0 && f.relation!.name === field.relation!.name,
  )
  return back ? { model: target, columns: columnsOf(target, back.relation!.fields) } : null
}

export function modelByName(schema: PrismaSchema, name: string): PrismaModel | undefined {
  return schema.models.get(name[0].toLowerCase() + name.slice(1))
}

function columnsOf(model: PrismaModel, fields: readonly string[]): string[] {
  return fields.map(f => model.scalars.get(f)?.column ?? f)
}
