// Drizzle ORM queries, read against the release's `pgTable` objects (drizzle-schema.ts): `db.select().from(users)`
// reads every column of `users` (and of each joined table), `db.select({ … })` the fields named; `insert(t)`
// names every column of `t` (Drizzle sends `default` for the ones not given) and sets the keys of `values`;
// `update(t).set({ … })` writes its keys; `returning()` returns every column; `users.email` anywhere is a read of
// that column (a `where`, `orderBy`, `groupBy`, join condition by the link it is in); `db.query.users.findMany`
// reads every column unless `columns` narrows it, and the tables its `with` names.
import path from 'node:path'
import { addRows, addUnresolved, addUsage, startInsert, type FileContext } from '../file-context.js'
import { forEachChild, identifierName, methodOf, propertyName, receiverOf, stringValue, unrollChain, unwrap, type MethodCall, type Node } from '../js-node.js'
import { TABLE_ONLY, type UsageKind } from '../usage.js'
import type { DrizzleSchema, DrizzleTable } from './drizzle-schema.js'
import type { DataLayerReader } from './reader.js'

const STARTS = new Set(['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete'])
const LINK_KINDS: Record<string, UsageKind> = {
  where: 'where',
  having: 'where',
  orderBy: 'order',
  groupBy: 'group',
  innerJoin: 'join',
  leftJoin: 'join',
  rightJoin: 'join',
  fullJoin: 'join',
  crossJoin: 'join',
  returning: 'returning',
  onConflictDoUpdate: 'update',
  onConflictDoNothing: 'insert',
}
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral'])

export const drizzleReader: DataLayerReader = {
  name: 'drizzle',
  key: env => env.drizzle?.key ?? null,
  mentions(text, env) {
    if (!env.drizzle) return false
    return text.includes('drizzle-orm') || mentionPattern(env.drizzle.schema).test(text)
  },
  read(node, ctx, env) {
    const schema = env.drizzle?.schema
    if (!schema) return false
    const file = fileState(ctx, schema)
    switch (node.type) {
      case 'ImportDeclaration':
        importTables(node, file, schema, ctx)
        return false
      case 'MemberExpression': {
        const ref = columnRef(node, file)
        if (ref) addUsage(ctx, ref.table.table, ref.column, 'select', node.start)
        return ref !== null
      }
      case 'CallExpression':
        return readCall(node, ctx, file)
      default:
        return false
    }
  },
}

const patterns = new WeakMap<DrizzleSchema, RegExp>()

/** A file that names a table's binding: `users.email`, `.from(users`, `insert(schema.users`, `query.users.`. */
function mentionPattern(schema: DrizzleSchema): RegExp {
  let pattern = patterns.get(schema)
  if (!pattern) {
    const names = [...new Set(schema.tables.map(t => t.name))].join('|') || '(?!)'
    pattern = new RegExp(`(?<![\\w$.])(?:${names})\\s*\\.\\s*[A-Za-z_$]|\\b(?:from|insert|update|delete|Join|getTableColumns)\\(\\s*(?:[\\w$]+\\.)?(?:${names})\\b|\\.query\\.(?:${names})\\b`)
    patterns.set(schema, pattern)
  }
  return pattern
}

interface FileState {
  /** Local names bound to a table: declared here or imported. */
  tables: Map<string, DrizzleTable>
  /** `import * as schema from './schema'`: the module's tables by name. */
  namespaces: Map<string, Map<string, DrizzleTable>>
  /** `db.query.<name>`: the tables by the name the schema object gives them (their export name). */
  byName: Map<string, DrizzleTable[]>
}

const states = new WeakMap<FileContext, FileState>()

function fileState(ctx: FileContext, schema: DrizzleSchema): FileState {
  let state = states.get(ctx)
  if (!state) {
    const byName = new Map<string, DrizzleTable[]>()
    for (const t of schema.tables) byName.set(t.name, [...(byName.get(t.name) ?? []), t])
    state = { tables: new Map(schema.tables.filter(t => t.file === ctx.file).map(t => [t.name, t])), namespaces: new Map(), byName }
    states.set(ctx, state)
  }
  return state
}

/**
 * `import { users } from './db/schema'`: the table the module at that path declares; through an alias
 * (`@/db/schema`) or a barrel that re-exports it, the one table of that name in the tree.
 */
function importTables(node: Extract<Node, { type: 'ImportDeclaration' }>, file: FileState, schema: DrizzleSchema, ctx: FileContext): void {
  const source = node.source.value
  const module = source.startsWith('.') ? modulePath(path.posix.join(path.posix.dirname(ctx.file), source)) : null
  const inModule = schema.tables.filter(t => module !== null && [module, `${module}/index`].includes(modulePath(t.file)))
  const named = (name: string): DrizzleTable | null => {
    const here = inModule.find(t => t.name === name)
    if (here) return here
    const anywhere = file.byName.get(name) ?? []
    if (new Set(anywhere.map(t => t.table)).size > 1) addUnresolved(ctx, node.start, `${name} names a different Drizzle table in each of ${anywhere.map(t => t.file).join(', ')}: which one is imported is not known`, true)
    return anywhere[0] ?? null
  }
  for (const specifier of node.specifiers) {
    if (specifier.type === 'ImportNamespaceSpecifier') {
      const tables = inModule.length ? inModule : schema.tables
      file.namespaces.set(specifier.local.name, new Map(tables.map(t => [t.name, t])))
    } else if (specifier.type === 'ImportSpecifier') {
      const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value)
      const table = named(imported)
      if (table) file.tables.set(specifier.local.name, table)
    }
  }
}

function modulePath(file: string): string {
  return file.replace(/\.(?:[cm]?[jt]sx?)$/, '')
}

/** `users` or `schema.users`. */
function tableOf(node: Node | undefined, file: FileState): DrizzleTable | null {
  if (!node) return null
  const n = unwrap(node)
  if (n.type === 'Identifier') return file.tables.get(n.name) ?? null
  if (n.type === 'MemberExpression' && !n.computed) return file.namespaces.get(identifierName(n.object) ?? '')?.get(propertyName(n) ?? '') ?? null
  return null
}

/** `users.email` (or `schema.users.email`, or `u.email` for a callback's table parameter): the table and column. */
function columnRef(node: Node, file: FileState, aliases?: ReadonlyMap<string, DrizzleTable>): { table: DrizzleTable; column: string } | null {
  const n = unwrap(node)
  if (n.type !== 'MemberExpression' || n.computed) return null
  const table = aliases?.get(identifierName(n.object) ?? '') ?? tableOf(n.object, file)
  const column = table?.columns.get(propertyName(n) ?? '')
  return table && column ? { table, column: column.column } : null
}

function readCall(node: Node, ctx: FileContext, file: FileState): boolean {
  if (identifierName((node as { callee?: Node }).callee) === 'getTableColumns') {
    const table = tableOf(((node as { arguments: Node[] }).arguments ?? [])[0], file)
    if (!table) return false
    for (const column of table.columns.values()) addUsage(ctx, table.table, column.column, 'select', node.start)
    markDone((node as { arguments: Node[] }).arguments[0], ctx)
    return true
  }
  const method = methodOf(node)
  if (!method) return false
  if (method.name === 'findMany' || method.name === 'findFirst') return relationalQuery(method, ctx, file)
  const { calls } = unrollChain(node)
  const start = calls.findIndex(c => STARTS.has(c.name))
  if (start < 0) return false
  const links = calls.slice(start)
  const first = links[0]
  const named = first.name.startsWith('select') ? linkArg(links.find(l => l.name === 'from')) : linkArg(first)
  const target = tableOf(named, file)
  if (!target) return named && isDrizzleShaped(links) ? tableFromElsewhere(named, node, ctx) : false
  for (const link of calls) ctx.done.add(link.call)
  readChain(links, target, ctx, file)
  return true
}

/** `select…from`, `insert…values`, `update…set`, `delete…where`: not `map.delete(key)` or `hash.update(data)`. */
function isDrizzleShaped(links: readonly MethodCall[]): boolean {
  const next = { insert: ['values'], update: ['set'], delete: ['where', 'returning'] }[links[0].name] ?? ['from']
  return links.slice(1).some(l => next.includes(l.name))
}

/**
 * A Drizzle query on a table the file does not name (`db.select().from(table)` with `table` a parameter):
 * any table. A subquery or CTE declared in the file (`const sq = db.select()….as('sq')`) is not one.
 */
function tableFromElsewhere(named: Node, query: Node, ctx: FileContext): boolean {
  const name = identifierName(named)
  if (name === null || new RegExp(`\\b(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\b`).test(ctx.text)) return false
  addUnresolved(ctx, named.start, `a Drizzle query on ${name}, a table the file does not name`, true)
  ctx.done.add(query)
  return true
}

function linkArg(link: MethodCall | undefined, i = 0): Node | undefined {
  return link ? (link.call.arguments as Node[])[i] : undefined
}

function readChain(links: MethodCall[], target: DrizzleTable, ctx: FileContext, file: FileState): void {
  const [first] = links
  const joined = links.filter(l => JOINS.has(l.name)).flatMap(l => tableOf(linkArg(l), file) ?? [])
  for (const link of links) {
    const args = link.call.arguments as Node[]
    switch (link.name) {
      case 'select':
      case 'selectDistinct':
      case 'selectDistinctOn': {
        const fields = args[link.name === 'selectDistinctOn' ? 1 : 0]
        if (link.name === 'selectDistinctOn') refs(args[0], 'select', ctx, file)
        if (fields) refs(fields, 'select', ctx, file)
        else for (const table of [target, ...joined]) everyColumn(table, 'select', linkArg(links.find(l => l.name === 'from')) ?? link.nameNode, ctx)
        break
      }
      case 'from':
        addUsage(ctx, target.table, TABLE_ONLY, 'select', args[0].start)
        markDone(args[0], ctx)
        break
      case 'insert':
        addUsage(ctx, target.table, TABLE_ONLY, 'insert', args[0].start)
        // Drizzle names every column in the INSERT, `default` for those not given.
        everyColumn(target, 'insert', args[0], ctx)
        markDone(args[0], ctx)
        break
      case 'update':
      case 'delete':
        addUsage(ctx, target.table, TABLE_ONLY, link.name, args[0].start)
        if (link.name === 'update') for (const c of target.columns.values()) if (c.onUpdate) addUsage(ctx, target.table, c.column, 'update', args[0].start)
        markDone(args[0], ctx)
        break
      case 'values':
        insertRows(target, args[0], first.call.arguments[0] as Node, ctx)
        refs(args[0], 'insert', ctx, file)
        break
      case 'set':
        setKeys(target, args[0], ctx)
        refs(args[0], 'update', ctx, file)
        break
      case 'returning':
        if (args[0]) refs(args[0], 'returning', ctx, file)
        else everyColumn(target, 'returning', link.nameNode, ctx)
        break
      case 'onConflictDoUpdate': {
        const set = args[0] ? objectProps(args[0]).get('set') : undefined
        if (set) setKeys(target, set, ctx)
        refs(args[0], 'update', ctx, file)
        break
      }
      default:
        if (JOINS.has(link.name)) {
          const table = tableOf(args[0], file)
          if (table) addUsage(ctx, table.table, TABLE_ONLY, 'join', args[0].start)
          markDone(args[0], ctx)
          for (const arg of args.slice(1)) refs(arg, 'join', ctx, file)
        } else for (const arg of args) refs(arg, LINK_KINDS[link.name] ?? 'select', ctx, file)
    }
  }
}

function everyColumn(table: DrizzleTable, kind: UsageKind, at: Node, ctx: FileContext): void {
  for (const column of table.columns.values()) addUsage(ctx, table.table, column.column, kind, at.start)
}

/** `values({ … })` / `values([{ … }, …])`: the keys every row gives, and the columns Drizzle fills in. */
function insertRows(table: DrizzleTable, node: Node | undefined, at: Node, ctx: FileContext): void {
  const draft = startInsert(ctx, table.table, at.start)
  const filled = [...table.columns.values()].filter(c => c.clientFilled).map(c => c.column)
  const n = node ? unwrap(node) : null
  const rows = n?.type === 'ObjectExpression' ? [n] : n?.type === 'ArrayExpression' ? n.elements.map(e => (e ? unwrap(e) : null)) : [null]
  addRows(
    draft,
    rows.map(row => {
      if (row?.type !== 'ObjectExpression') return { columns: filled, known: false }
      const columns = new Set(filled)
      let known = true
      for (const p of row.properties) {
        const key = p.type === 'Property' && !p.computed ? (p.key.type === 'Identifier' ? p.key.name : stringValue(p.key)) : null
        const column = key === null ? undefined : table.columns.get(key)
        if (column) columns.add(column.column)
        else if (key === null) known = false
      }
      return { columns: [...columns], known }
    }),
  )
}

/** `set({ email: … })`: the keys are the table's fields. */
function setKeys(table: DrizzleTable, node: Node | undefined, ctx: FileContext): void {
  const n = node ? unwrap(node) : null
  if (n?.type !== 'ObjectExpression') {
    if (node) addUnresolved(ctx, node.start, `Drizzle set(…) of ${table.table} built elsewhere: the columns it writes are not known`, false)
    return
  }
  for (const p of n.properties) {
    if (p.type !== 'Property' || p.computed) {
      addUnresolved(ctx, p.start, `Drizzle set(…) of ${table.table} with a spread: the columns it writes are not known`)
      continue
    }
    const key = p.key.type === 'Identifier' ? p.key.name : stringValue(p.key)
    const column = key === null ? undefined : table.columns.get(key)
    if (column) addUsage(ctx, table.table, column.column, 'update', p.key.start)
  }
}

/** The column references inside an argument, as `kind`; a nested Drizzle query is read as its own. */
function refs(node: Node | undefined, kind: UsageKind, ctx: FileContext, file: FileState, aliases?: ReadonlyMap<string, DrizzleTable>): void {
  if (!node) return
  const stack = [node]
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (ctx.done.has(n)) continue
    if (n.type === 'CallExpression' && readCall(n, ctx, file)) {
      ctx.done.add(n)
      continue
    }
    const ref = n.type === 'MemberExpression' ? columnRef(n, file, aliases) : null
    if (ref) {
      addUsage(ctx, ref.table.table, ref.column, kind, n.start)
      ctx.done.add(n)
      continue
    }
    const children: Node[] = []
    forEachChild(n, child => children.push(child))
    stack.push(...children.reverse())
  }
}

function markDone(node: Node | undefined, ctx: FileContext): void {
  if (node) ctx.done.add(node)
}

/**
 * `db.query.users.findMany({ columns, with, where, orderBy })`: every column unless `columns` narrows it
 * (`true` names the ones read, `false` the ones left out), and each relation `with` names.
 */
function relationalQuery(method: MethodCall, ctx: FileContext, file: FileState): boolean {
  const holder = unwrap(receiverOf(method.call))
  if (holder.type !== 'MemberExpression' || holder.computed || propertyName(unwrap(holder.object)) !== 'query') return false
  const name = propertyName(holder)!
  const candidates = file.byName.get(name) ?? []
  if (!candidates.length) return false
  ctx.done.add(holder)
  relationalRead(candidates[0], method.call.arguments[0] as Node | undefined, method.nameNode, ctx, file)
  return true
}

function relationalRead(table: DrizzleTable, config: Node | undefined, at: Node, ctx: FileContext, file: FileState): void {
  addUsage(ctx, table.table, TABLE_ONLY, 'select', at.start)
  const props = config ? objectProps(config) : new Map<string, Node>()
  const columns = props.get('columns') ? unwrap(props.get('columns')!) : null
  const flags = new Map<string, boolean>()
  if (columns?.type === 'ObjectExpression') {
    for (const p of columns.properties) {
      if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier') continue
      const value = unwrap(p.value)
      flags.set(p.key.name, !(value.type === 'Literal' && value.value === false))
    }
  }
  const only = [...flags.values()].some(Boolean)
  for (const column of table.columns.values()) {
    const flag = flags.get(column.key)
    if (only ? flag === true : flag !== false) addUsage(ctx, table.table, column.column, 'select', at.start)
  }
  const aliases = new Map<string, DrizzleTable>()
  for (const [key, kind] of [['where', 'where'], ['orderBy', 'order']] as const) {
    const value = props.get(key)
    if (!value) continue
    const fn = unwrap(value)
    const param = fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression' ? fn.params[0] : null
    if (param?.type === 'Identifier') aliases.set(param.name, table)
    refs(value, kind, ctx, file, aliases)
  }
  const withs = props.get('with') ? unwrap(props.get('with')!) : null
  if (withs?.type !== 'ObjectExpression') return
  for (const p of withs.properties) {
    if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier') continue
    const targetName = table.relations.get(p.key.name)
    const target = targetName ? file.byName.get(targetName)?.[0] : undefined
    if (!target) {
      addUnresolved(ctx, p.key.start, `the Drizzle relation ${p.key.name} of ${table.table} is not declared with relations(): the table it reads is not known`, true)
      continue
    }
    const value = unwrap(p.value)
    relationalRead(target, value.type === 'ObjectExpression' ? value : undefined, p.key, ctx, file)
  }
}

/** The plain `key: value` properties of an object literal, by key; empty for anything else. */
function objectProps(node: Node): Map<string, Node> {
  const n = unwrap(node)
  const props = new Map<string, Node>()
  if (n.type === 'ObjectExpression') {
    for (const p of n.properties) if (p.type === 'Property' && !p.computed && p.key.type === 'Identifier') props.set(p.key.name, p.value)
  }
  return props
}
