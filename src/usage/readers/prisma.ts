// Prisma Client calls, read against the schema.prisma of the same release: `prisma.user.findMany(…)`,
// `tx.teamUser.create(…)`, `prisma.client.website.update(…)` (a model accessor after any receiver chain).
// A call that returns rows reads every scalar column the model maps unless `select` (or `omit`)
// narrows it; `where` / `orderBy` keys are reads, `data` keys writes; `create` is an INSERT of the
// fields it is given plus those the client fills in. `$queryRaw\`…\`` and `$queryRawUnsafe('…')` are SQL.
import { addRows, addUnresolved, addUsage, locationAt, snippet, startInsert, type FileContext } from '../file-context.js'
import { identifierName, methodOf, propertyName, receiverOf, returnedExpressions, stringValue, unwrap, type Node } from '../js-node.js'
import { readSqlArgument, readSqlTemplate } from '../raw-sql.js'
import { TABLE_ONLY, type UsageKind } from '../usage.js'
import { modelByName, relationKeys, type PrismaField, type PrismaModel, type PrismaSchema } from './prisma-schema.js'
import type { DataLayerReader } from './reader.js'

const FIND = ['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany']
const CREATE = ['create', 'createMany', 'createManyAndReturn']
const UPDATE = ['update', 'updateMany', 'updateManyAndReturn']
const OTHER = ['upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy']
const OPERATIONS = new Set([...FIND, ...CREATE, ...UPDATE, ...OTHER])
/** Operations that return the rows they touch (all scalar columns unless `select` / `omit` narrow them). */
const RETURNS_ROWS = new Set([...FIND, 'create', 'createManyAndReturn', 'update', 'updateManyAndReturn', 'upsert', 'delete'])
/** Names too common elsewhere to take `x[name].op(…)` for a Prisma delegate chosen at run time. */
const DISTINCT_OPERATIONS = [...FIND, 'createMany', 'createManyAndReturn', 'updateMany', 'updateManyAndReturn', 'upsert', 'deleteMany', 'aggregate', 'groupBy']
const RAW_TAGS = new Set(['$queryRaw', '$executeRaw'])
const RAW_CALLS = new Set(['$queryRawUnsafe', '$executeRawUnsafe'])
/** Receivers that hold the client: a delegate taken from one and passed on is a query this reader cannot follow. */
const CLIENT_NAME = /prisma|^(?:tx|trx|client|db)$/i

export const prismaReader: DataLayerReader = {
  name: 'prisma',
  key: env => env.prisma?.key ?? null,
  mentions(text, env) {
    if (text.includes('$queryRaw') || text.includes('$executeRaw')) return true
    return env.prisma ? mentionPattern(env.prisma.schema).test(text) : false
  },
  read(node, ctx, env) {
    const schema = env.prisma?.schema
    if (node.type === 'TaggedTemplateExpression') {
      const tag = propertyName(node.tag) ?? identifierName(node.tag)
      if (!tag || !RAW_TAGS.has(tag)) return false
      readSqlTemplate(node, { ctx, scope: null, kind: 'select' })
      return true
    }
    if (node.type === 'MemberExpression') {
      if (schema) delegatePassedOn(node, ctx, schema)
      return false
    }
    if (node.type === 'VariableDeclarator') {
      if (schema) delegatesDestructured(node, ctx, schema)
      return false
    }
    const method = methodOf(node)
    if (!method) return false
    if (RAW_CALLS.has(method.name)) {
      const [sql] = method.call.arguments as Node[]
      return sql ? readSqlArgument(sql, { ctx, scope: null, kind: 'select' }, 'statement') : false
    }
    if (!schema || !OPERATIONS.has(method.name)) return false
    const delegate = unwrap(receiverOf(method.call))
    if (delegate.type !== 'MemberExpression') return false
    const accessor = delegate.computed ? stringValue(delegate.property as Node) : propertyName(delegate)
    const model = accessor === null ? undefined : schema.models.get(accessor)
    if (!model) {
      if (delegate.computed && accessor === null && DISTINCT_OPERATIONS.includes(method.name)) {
        addUnresolved(ctx, method.nameNode.start, `a Prisma model chosen at run time (…[${ctx.text.slice(delegate.property.start, delegate.property.end)}].${method.name})`, true)
        return true
      }
      return false
    }
    ctx.done.add(delegate)
    readOperation(new Call(ctx, schema, model, method.name, method.nameNode.start), method.call.arguments[0] as Node | undefined)
    return true
  },
}

const patterns = new WeakMap<PrismaSchema, RegExp>()

/** `.teamUser.findMany(`, `x[model].findMany(`, or a client's delegate taken on its own (`prisma.user`, `const { user } = prisma`). */
function mentionPattern(schema: PrismaSchema): RegExp {
  let pattern = patterns.get(schema)
  if (!pattern) {
    const accessors = [...schema.models.keys()].join('|') || '(?!)'
    const ops = [...OPERATIONS].join('|')
    pattern = new RegExp(
      `(?<![\\w$])(?:${accessors})\\s*\\??\\.\\s*(?:${ops})\\s*\\(|\\]\\s*\\??\\.\\s*(?:${DISTINCT_OPERATIONS.join('|')})\\s*\\(|(?:prisma|tx|trx|client|db)\\s*\\??\\.\\s*(?:${accessors})(?![\\w$])|\\}\\s*=\\s*[\\w$.]*(?:prisma|tx|trx|client|db)(?![\\w$])`,
      'i',
    )
    patterns.set(schema, pattern)
  }
  return pattern
}

/** One client call: where its records go. */
class Call {
  constructor(
    readonly ctx: FileContext,
    readonly schema: PrismaSchema,
    readonly model: PrismaModel,
    readonly op: string,
    readonly at: number,
  ) {}

  use(model: PrismaModel, column: string, kind: UsageKind, offset: number): void {
    addUsage(this.ctx, model.table, column, kind, offset)
  }

  /** A part of the call that is not an object literal: what it names is not known. */
  unknown(model: PrismaModel, node: Node, what: string): void {
    unresolvedOn(this.ctx, model, node.start, `Prisma ${what} of ${model.name} built elsewhere (${snippet(this.ctx, node)}): its fields are not known`)
  }
}

function readOperation(call: Call, args: Node | undefined): void {
  const { model, op, at } = call
  const kind: UsageKind = CREATE.includes(op) ? 'insert' : UPDATE.includes(op) ? 'update' : op.startsWith('delete') ? 'delete' : 'select'
  call.use(model, TABLE_ONLY, op === 'upsert' ? 'insert' : kind, at)
  const object = args ? unwrap(args) : null
  const known = object?.type === 'ObjectExpression' && !object.properties.some(p => p.type === 'SpreadElement')
  const props = object?.type === 'ObjectExpression' ? properties(object) : new Map<string, Property>()
  if (RETURNS_ROWS.has(op)) readRow(call, model, props, at, FIND.includes(op) ? 'select' : 'returning')
  else if (!known && args && op !== 'count') call.unknown(model, args, 'arguments')
  const where = props.get('where')
  if (where) readWhere(call, model, where.value)
  for (const name of ['orderBy', 'cursor', 'distinct', 'by', 'having', '_sum', '_avg', '_min', '_max', '_count']) {
    const prop = props.get(name)
    if (!prop) continue
    if (name === 'orderBy') readOrder(call, model, prop.value)
    else if (name === 'cursor' || name === 'having') readWhere(call, model, prop.value)
    else if (name === 'distinct' || name === 'by') fieldList(call, model, prop.value, name === 'by' ? 'group' : 'select')
    else if (op !== 'count') fieldFlags(call, model, prop.value, 'select')
  }
  const data = props.get('data')
  if (CREATE.includes(op)) readInsert(call, model, data?.value ?? null, at, [])
  else if (UPDATE.includes(op) && data) readUpdate(call, model, data.value)
  if (op === 'upsert') {
    readInsert(call, model, props.get('create')?.value ?? null, at, [])
    const update = props.get('update')
    if (update) readUpdate(call, model, update.value)
  }
}

/** The row a call returns: `select` names fields (and relations), `include` adds relations, `omit` removes fields. */
function readRow(call: Call, model: PrismaModel, props: Map<string, Property>, at: number, kind: UsageKind): void {
  const select = props.get('select')
  const selected = select ? unwrap(select.value) : null
  if (selected?.type === 'ObjectExpression') {
    for (const [name, prop] of properties(selected)) {
      const scalar = model.scalars.get(name)
      if (scalar) {
        if (!isFalse(prop.value)) call.use(model, scalar.column, kind, prop.key.start)
      } else {
        const relation = model.relations.get(name)
        if (relation && !isFalse(prop.value)) readRelation(call, model, relation, prop)
      }
    }
    if (selected.properties.some(p => p.type === 'SpreadElement')) call.unknown(model, selected, 'select')
    return
  }
  if (select) return call.unknown(model, select.value, 'select')
  const omit = props.get('omit')
  const omitted = omit ? unwrap(omit.value) : null
  const left = new Set(omitted?.type === 'ObjectExpression' ? [...properties(omitted)].filter(([, p]) => !isFalse(p.value)).map(([n]) => n) : [])
  // A call whose arguments are not all known is read as one without `select`: the default a caller rarely changes.
  for (const field of model.scalars.values()) if (!left.has(field.name)) call.use(model, field.column, kind, at)
  if (omit && omitted?.type !== 'ObjectExpression') call.unknown(model, omit.value, 'omit')
  const include = props.get('include')
  const included = include ? unwrap(include.value) : null
  if (included?.type === 'ObjectExpression') {
    for (const [name, prop] of properties(included)) {
      const relation = model.relations.get(name)
      if (relation && !isFalse(prop.value)) readRelation(call, model, relation, prop)
    }
  } else if (include) call.unknown(model, include.value, 'include')
}

/** `team: true` or `team: { select / include / where / orderBy }`: the related rows, joined by the relation's keys. */
function readRelation(call: Call, model: PrismaModel, field: PrismaField, prop: Property): void {
  const related = joinRelation(call, model, field, prop)
  if (!related) return
  const value = unwrap(prop.value)
  const props = value.type === 'ObjectExpression' ? properties(value) : new Map<string, Property>()
  readRow(call, related, props, prop.key.start, 'select')
  const where = props.get('where')
  if (where) readWhere(call, related, where.value)
  const orderBy = props.get('orderBy')
  if (orderBy) readOrder(call, related, orderBy.value)
}

const LOGICAL = new Set(['AND', 'OR', 'NOT'])
const RELATION_FILTERS = new Set(['some', 'every', 'none', 'is', 'isNot'])

function readWhere(call: Call, model: PrismaModel, node: Node): void {
  eachField(call, model, node, 'where', (name, p, scalar, relation) => {
    if (LOGICAL.has(name)) readWhere(call, model, p.value)
    else if (scalar) call.use(model, scalar.column, 'where', p.key.start)
    else if (relation) {
      const related = joinRelation(call, model, relation, p)
      const value = unwrap(p.value)
      if (!related || value.type !== 'ObjectExpression') return
      const filters = [...properties(value)]
      if (filters.length && filters.every(([key]) => RELATION_FILTERS.has(key))) for (const [, f] of filters) readWhere(call, related, f.value)
      else readWhere(call, related, value)
    } else if (unwrap(p.value).type === 'ObjectExpression') readWhere(call, model, p.value) // a compound unique: `websiteId_userId: { … }`
  })
}

function readOrder(call: Call, model: PrismaModel, node: Node): void {
  eachField(call, model, node, 'orderBy', (_, p, scalar, relation) => {
    if (scalar) call.use(model, scalar.column, 'order', p.key.start)
    else if (relation) {
      const related = joinRelation(call, model, relation, p)
      if (related && unwrap(p.value).type === 'ObjectExpression') readOrder(call, related, p.value)
    }
  })
}

/**
 * Each `key: value` of a `where` / `orderBy` object (or of each object of an array of them), with the
 * field it names; a spread, a computed key or a value that is no object literal is unresolved.
 */
function eachField(
  call: Call,
  model: PrismaModel,
  node: Node,
  what: string,
  fn: (name: string, prop: Property, scalar: PrismaField | undefined, relation: PrismaField | undefined) => void,
): void {
  const n = unwrap(node)
  if (n.type === 'ArrayExpression') {
    for (const element of n.elements) if (element && element.type !== 'SpreadElement') eachField(call, model, element, what, fn)
    return
  }
  if (n.type !== 'ObjectExpression') return call.unknown(model, n, what)
  for (const p of n.properties) {
    if (p.type === 'SpreadElement' || p.computed) {
      call.unknown(model, p, what)
      continue
    }
    const name = keyName(p.key)
    if (name !== null) fn(name, p, model.scalars.get(name), model.relations.get(name))
  }
}

/** A relation named in a filter, an order or a read: the rows are joined on its keys. The related model. */
function joinRelation(call: Call, model: PrismaModel, relation: PrismaField, prop: Property): PrismaModel | undefined {
  const keys = relationKeys(call.schema, model, relation)
  for (const column of keys?.columns ?? []) call.use(keys!.model, column, 'join', prop.key.start)
  return modelByName(call.schema, relation.relation!.model)
}

/** `distinct: ['a', 'b']`, `by: ['a']`. */
function fieldList(call: Call, model: PrismaModel, node: Node, kind: UsageKind): void {
  const n = unwrap(node)
  const elements = n.type === 'ArrayExpression' ? n.elements : [n]
  for (const element of elements) {
    const name = element && element.type !== 'SpreadElement' ? stringValue(element) : null
    const scalar = name === null ? undefined : model.scalars.get(name)
    if (scalar) call.use(model, scalar.column, kind, element!.start)
    else if (name === null) call.unknown(model, element ?? n, kind === 'group' ? 'by' : 'distinct')
  }
}

/** `_sum: { a: true }`. */
function fieldFlags(call: Call, model: PrismaModel, node: Node, kind: UsageKind): void {
  const n = unwrap(node)
  if (n.type !== 'ObjectExpression') return
  for (const [name, prop] of properties(n)) {
    const scalar = model.scalars.get(name)
    if (scalar && !isFalse(prop.value)) call.use(model, scalar.column, kind, prop.key.start)
    else if (name === '_all') call.use(model, TABLE_ONLY, kind, prop.key.start)
  }
}

/**
 * `create({ data: { … } })`, `createMany({ data: [ … ] })`: one INSERT of the fields given, the foreign
 * keys a `connect` sets and the fields the client fills in; a nested `create` inserts into the related model.
 */
function readInsert(call: Call, model: PrismaModel, node: Node | null, at: number, implied: readonly string[]): void {
  const draft = startInsert(call.ctx, model.table, at)
  const filled = [...model.scalars.values()].filter(f => f.clientFilled).map(f => f.column)
  const rows = node ? rowObjects(call.ctx, node) : null
  if (!rows) {
    if (node) call.unknown(model, node, 'data')
    addRows(draft, [{ columns: [...filled, ...implied], known: false }])
    return
  }
  addRows(
    draft,
    rows.map(row => {
      if (!row) return { columns: [...filled, ...implied], known: false }
      const columns = new Set([...filled, ...implied])
      let known = true
      for (const p of row.properties) {
        if (p.type === 'SpreadElement' || p.computed) {
          known = false
          continue
        }
        const name = keyName(p.key)
        const scalar = name === null ? undefined : model.scalars.get(name)
        const relation = name === null ? undefined : model.relations.get(name)
        if (scalar) {
          call.use(model, scalar.column, 'insert', p.key.start)
          columns.add(scalar.column)
        } else if (relation) for (const column of nestedWrite(call, model, relation, p, 'insert')) columns.add(column)
      }
      return { columns: [...columns], known }
    }),
  )
}

function readUpdate(call: Call, model: PrismaModel, node: Node): void {
  for (const field of model.scalars.values()) if (field.updatedAt) call.use(model, field.column, 'update', node.start)
  if (unwrap(node).type === 'ArrayExpression') return call.unknown(model, node, 'data')
  eachField(call, model, node, 'data', (_, p, scalar, relation) => {
    if (scalar) call.use(model, scalar.column, 'update', p.key.start)
    else if (relation) nestedWrite(call, model, relation, p, 'update')
  })
}

/**
 * A relation field in `data`: `connect` / `connectOrCreate` / `create` through a relation whose foreign
 * key is on this side set that key (returned); a nested `create` of the related rows is an INSERT of its own.
 */
function nestedWrite(call: Call, model: PrismaModel, relation: PrismaField, prop: Property, kind: 'insert' | 'update'): string[] {
  const related = modelByName(call.schema, relation.relation!.model)
  const keys = relationKeys(call.schema, model, relation)
  const value = unwrap(prop.value)
  if (!related || value.type !== 'ObjectExpression') return []
  const ops = properties(value)
  const setsKey = keys?.model === model && ['connect', 'connectOrCreate', 'create', 'disconnect'].some(op => ops.has(op))
  const set = setsKey ? keys!.columns : []
  for (const column of set) call.use(model, column, kind, prop.key.start)
  // The related rows' key to this one is filled in by the client.
  const implied = keys && keys.model === related ? keys.columns : []
  for (const op of ['create', 'createMany']) {
    const nested = ops.get(op)
    if (!nested) continue
    const inner = unwrap(nested.value)
    const data = op === 'createMany' && inner.type === 'ObjectExpression' ? properties(inner).get('data')?.value ?? null : nested.value
    readInsert(call, related, data, nested.key.start, implied)
  }
  return set
}

/** The rows an INSERT's `data` spells: an object, an array of objects, `items.map(i => ({ … }))`, a `const` holding one; null when unknown. */
function rowObjects(ctx: FileContext, node: Node): (ObjectNode | null)[] | null {
  const n = unwrap(node)
  if (n.type === 'ObjectExpression') return [n]
  if (n.type === 'ArrayExpression') return n.elements.map(e => (e && unwrap(e).type === 'ObjectExpression' ? (unwrap(e) as ObjectNode) : null))
  const name = identifierName(n)
  const remembered = name === null ? undefined : ctx.objects.get(name)
  if (remembered?.type === 'ObjectExpression') return [remembered]
  const method = methodOf(n)
  const [fn] = (method?.name === 'map' ? method.call.arguments : []) as Node[]
  const returned = fn ? returnedExpressions(fn).map(unwrap) : []
  if (returned.length && returned.every(r => r.type === 'ObjectExpression')) return returned as ObjectNode[]
  return null
}

/** `prisma.user` handed on (`const users = prisma.user`, `repo(prisma.user)`): its calls are not followed. */
function delegatePassedOn(node: Extract<Node, { type: 'MemberExpression' }>, ctx: FileContext, schema: PrismaSchema): void {
  if (ctx.done.has(node) || node.computed) return
  const model = schema.models.get(propertyName(node) ?? '')
  if (!model) return
  const base = unwrap(node.object)
  const holder = base.type === 'MemberExpression' ? propertyName(base) : identifierName(base)
  if (!holder || !CLIENT_NAME.test(holder)) return
  unresolvedOn(ctx, model, node.start, `the Prisma delegate ${snippet(ctx, node)} is passed on: the calls made on it are not followed`)
}

/** `const { user } = prisma`: the delegate is taken out of the client, its calls are not followed. */
function delegatesDestructured(node: Extract<Node, { type: 'VariableDeclarator' }>, ctx: FileContext, schema: PrismaSchema): void {
  if (node.id.type !== 'ObjectPattern' || !node.init) return
  const init = unwrap(node.init)
  const holder = init.type === 'MemberExpression' ? propertyName(init) : identifierName(init)
  if (!holder || !CLIENT_NAME.test(holder)) return
  for (const p of node.id.properties) {
    const model = p.type === 'Property' && !p.computed ? schema.models.get(keyName(p.key) ?? '') : undefined
    if (model) unresolvedOn(ctx, model, p.start, `the Prisma delegate ${model.name} is taken out of ${holder}: the calls made on it are not followed`)
  }
}

/** What could not be read about one model's table: it counts against changes to that table only. */
function unresolvedOn(ctx: FileContext, model: PrismaModel, offset: number, reason: string): void {
  ctx.unresolved.push({ ...locationAt(ctx, offset), reason, table: model.table })
}

type ObjectNode = Extract<Node, { type: 'ObjectExpression' }>
type Property = Extract<ObjectNode['properties'][number], { type: 'Property' }>

/** The plain `key: value` properties of an object literal, by key. */
function properties(node: ObjectNode): Map<string, Property> {
  const out = new Map<string, Property>()
  for (const p of node.properties) {
    if (p.type !== 'Property' || p.computed) continue
    const name = keyName(p.key)
    if (name !== null) out.set(name, p)
  }
  return out
}

function keyName(key: Node): string | null {
  return key.type === 'Identifier' ? key.name : stringValue(key)
}

function isFalse(node: Node): boolean {
  const n = unwrap(node)
  return n.type === 'Literal' && n.value === false
}
