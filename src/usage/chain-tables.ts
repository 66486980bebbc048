// Links that name tables: the root's argument, joins, `using` / `from`. Each table is reported as used
// and enters the scope under its alias; a subquery enters as a derived table (its columns are not a table's).
import { addUnresolved, addUsage, snippet, type FileContext } from './file-context.js'
import { linkArgs, refEnv, selection, type LinkHandler } from './chain-link.js'
import { parseTableRef } from './column-ref.js'
import { dynamicCall, type DynamicCall } from './dynamic-names.js'
import { collectRefs } from './expression-refs.js'
import { constantText } from './file-constants.js'
import { identifierName, isFunction, methodOf, receiverOf, returnedExpressions, stringValue, unwrap, type Node } from './js-node.js'
import { readChain } from './kysely-chain.js'
import { isSqlTag, readSqlTemplate } from './raw-sql.js'
import { childScope, isCte, normalizeTable, withEntries, type Scope, type TableEntry } from './table-scope.js'
import { TABLE_ONLY, type UsageKind } from './usage.js'

/**
 * The tables a `selectFrom` / join / `using` argument names, each reported as used. A name that is
 * not a literal cannot be resolved: it is said, and its columns are not attributed.
 */
export function tableEntries(node: Node, ctx: FileContext, scope: Scope, schema: string | null, kind: UsageKind): TableEntry[] {
  const n = unwrap(node)
  const variable = identifierName(n)
  const derived = variable === null ? undefined : ctx.derivedTables.get(variable)
  if (derived !== undefined) return [{ name: derived, table: null }]
  const text = constantText(n, ctx)
  if (text !== null) return literalTable(text, n, ctx, scope, schema, kind)
  if (n.type === 'ArrayExpression') {
    return n.elements.flatMap(e => (e && e.type !== 'SpreadElement' ? tableEntries(e, ctx, scope, schema, kind) : []))
  }
  if (n.type === 'ConditionalExpression') {
    return [...tableEntries(n.consequent, ctx, scope, schema, kind), ...tableEntries(n.alternate, ctx, scope, schema, kind)]
  }
  if (isFunction(n)) return returnedExpressions(n).flatMap(e => tableEntries(e, ctx, scope, schema, kind))
  const aliased = methodOf(n)
  if (aliased?.name === 'as') {
    // `selectFrom(db.selectFrom('pet').select('name').as('p'))`: a derived table named `p`;
    // `values.as(sql\`pair (source, target)\`)`: one whose alias is SQL, not a query to read.
    const [alias] = aliased.call.arguments as Node[]
    if (alias) ctx.done.add(unwrap(alias))
    const dynamic = dynamicCall(receiverOf(aliased.call))
    if (dynamic?.helper === 'table') {
      ctx.done.add(aliased.call)
      return dynamicTable(dynamic, stringValue(alias), ctx, scope, schema, kind)
    }
    subquery(receiverOf(aliased.call), ctx, scope)
    ctx.done.add(aliased.call)
    return [{ name: stringValue(alias) ?? '?', table: null }]
  }
  addUnresolved(ctx, n.start, `table name is not a string literal: ${snippet(ctx, n)}`, true)
  return [{ name: '?', table: null }]
}

function literalTable(
  text: string,
  node: Node,
  ctx: FileContext,
  scope: Scope,
  schema: string | null,
  kind: UsageKind,
): TableEntry[] {
  const ref = parseTableRef(text)
  if (!ref) {
    addUnresolved(ctx, node.start, `not a table name: '${text}'`)
    return [{ name: '?', table: null }]
  }
  const name = ref.alias ?? ref.table
  if (!ref.table.includes('.') && isCte(scope, ref.table)) return [{ name, table: null }]
  const table = normalizeTable(schema && !ref.table.includes('.') ? `${schema}.${ref.table}` : ref.table)
  addUsage(ctx, table, TABLE_ONLY, kind, node.start)
  return [{ name, table }]
}

/** `db.dynamic.table(ORDERS).as('o')`: the table a literal or constant names; a computed one is unresolved. */
function dynamicTable(
  dynamic: DynamicCall,
  alias: string | null,
  ctx: FileContext,
  scope: Scope,
  schema: string | null,
  kind: UsageKind,
): TableEntry[] {
  ctx.done.add(dynamic.call)
  const text = constantText(dynamic.arg, ctx)
  if (text !== null && dynamic.arg) return literalTable(alias ? `${text} as ${alias}` : text, unwrap(dynamic.arg), ctx, scope, schema, kind)
  addUnresolved(ctx, dynamic.call.start, `${snippet(ctx, dynamic.call)}: the table is chosen at run time`, true)
  return [{ name: alias ?? '?', table: null }]
}

/** A subquery used as a table reads in the enclosing query's outer scope (it cannot see its siblings). */
function subquery(node: Node, ctx: FileContext, scope: Scope): void {
  const n = unwrap(node)
  if (n.type === 'TaggedTemplateExpression' && isSqlTag(n)) {
    ctx.done.add(n)
    return readSqlTemplate(n, { ctx, scope: scope.parent, kind: 'select' })
  }
  if (!readChain(n, ctx, scope.parent)) collectRefs(n, { ctx, scope, kind: 'select' }, false)
}

/** `innerJoin('pet as p', 'p.owner_id', 'person.id')` or `innerJoin('pet as p', join => join.onRef(…))`. */
export const join: LinkHandler = (state, link, ctx) => {
  const [table, ...on] = linkArgs(link)
  const lateral = link.name.endsWith('Lateral')
  const entries = table ? tableEntries(table, ctx, lateral ? childScope(state.scope) : state.scope, state.schema, 'join') : []
  const joined = { ...state, scope: withEntries(state.scope, entries) }
  const env = refEnv(joined, ctx, 'join')
  if (on.length >= 2) on.forEach(arg => selection(arg, env))
  else collectRefs(on[0], env, true)
  return joined
}

/** `deleteFrom('a').using('b')`, `updateTable('a').from('b')`: more tables in scope. */
export const moreTables: LinkHandler = (state, link, ctx) => {
  const entries = linkArgs(link).flatMap(arg => tableEntries(arg, ctx, state.scope, state.schema, 'join'))
  return { ...state, scope: withEntries(state.scope, entries) }
}

