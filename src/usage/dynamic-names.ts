// Kysely's names chosen at run time: `db.dynamic.ref(column)` and `db.dynamic.table(name).as(alias)`.
// With a literal or a constant of the file they are names like any other; with anything else the
// scan cannot know which column or table: unresolved, never dropped.
import { parseColumnRef } from './column-ref.js'
import { addUnresolved, addUsage, snippet, type FileContext } from './file-context.js'
import { constantText } from './file-constants.js'
import { methodOf, propertyName, receiverOf, type CallExpression, type Node } from './js-node.js'
import { normalizeTable } from './table-scope.js'

export interface DynamicCall {
  helper: 'ref' | 'table'
  call: CallExpression
  arg: Node | undefined
}

/** `db.dynamic.ref(…)`, `this.db.dynamic.table(…)`: any receiver whose last property is `dynamic`. */
export function dynamicCall(node: Node): DynamicCall | null {
  const method = methodOf(node)
  if (!method || (method.name !== 'ref' && method.name !== 'table')) return null
  if (propertyName(receiverOf(method.call)) !== 'dynamic') return null
  return { helper: method.name, call: method.call, arg: method.call.arguments[0] as Node | undefined }
}

/**
 * `db.dynamic.ref(…)` outside a query (a keyset, an option handed to a helper): a qualified name reads
 * its table; a bare column has no table here, and a computed one no name: both unresolved, any table.
 * False when `node` is no such call.
 */
export function readDynamicRefAlone(node: Node, ctx: FileContext): boolean {
  const dynamic = dynamicCall(node)
  if (dynamic?.helper !== 'ref') return false
  ctx.done.add(dynamic.call)
  const text = constantText(dynamic.arg, ctx)
  const ref = text === null ? null : parseColumnRef(text)
  const at = dynamic.call.start
  if (ref?.qualifier && dynamic.arg) addUsage(ctx, normalizeTable(ref.qualifier), ref.column, 'select', dynamic.arg.start)
  else if (text !== null) addUnresolved(ctx, at, `${snippet(ctx, dynamic.call)} outside a query: the table of ${text} is not known here`, true)
  else addUnresolved(ctx, at, `${snippet(ctx, dynamic.call)}: the column is chosen at run time`, true)
  return true
}

