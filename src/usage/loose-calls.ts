// Calls outside any Kysely chain that still name SQL or columns: a driver's `.query('…')`, `.raw('…')`,
// and Kysely's `sql.ref('t.c')` / `db.dynamic.ref('t.c')` (e.g. a pagination keyset).
import { addUsage, type FileContext } from './file-context.js'
import { parseColumnRef } from './column-ref.js'
import { identifierName, methodOf, propertyName, receiverOf, stringValue, unwrap, type MethodCall, type Node } from './js-node.js'
import { readSqlArgument } from './raw-sql.js'
import { normalizeTable } from './table-scope.js'

/** `client.query('SELECT …')`, `knex.raw('…')`, `sql.raw('…')`, `sql.ref('t.c')`. */
export function otherCall(node: Node, ctx: FileContext): void {
  const method = methodOf(node)
  if (method?.name === 'ref') return standaloneRef(method, ctx)
  if (!method || (method.name !== 'query' && method.name !== 'raw')) return
  const first = method.call.arguments[0] as Node | undefined
  if (!first) return
  const mode = method.name === 'raw' ? 'statement-or-fragment' : 'statement'
  if (readSqlArgument(first, { ctx, scope: null, kind: 'select' }, mode)) ctx.done.add(node)
}

/** Only a qualified reference says its table here. */
function standaloneRef(method: MethodCall, ctx: FileContext): void {
  const receiver = unwrap(receiverOf(method.call))
  const fromKysely = identifierName(receiver) === 'sql' || propertyName(receiver) === 'dynamic'
  const [arg] = method.call.arguments as Node[]
  const ref = fromKysely ? parseColumnRef(stringValue(arg) ?? '') : null
  if (ref?.qualifier) addUsage(ctx, normalizeTable(ref.qualifier), ref.column, 'select', arg.start)
}
