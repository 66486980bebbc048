// `const TABLE = 'person'`: string constants of a file, so that `selectFrom(TABLE)` and
// `db.dynamic.ref(SORT)` read as the names they hold.
import type { FileContext } from './file-context.js'
import { identifierName, stringValue, type Node } from './js-node.js'

export function rememberConstants(declarations: readonly Node[], ctx: FileContext): void {
  for (const declaration of declarations) {
    if (declaration.type !== 'VariableDeclarator' || declaration.id.type !== 'Identifier') continue
    const value = stringValue(declaration.init)
    if (value !== null) ctx.constants.set(declaration.id.name, value)
  }
}

/** The text of a string literal, or of a constant the file declared before; null for anything else. */
export function constantText(node: Node | null | undefined, ctx: FileContext): string | null {
  const literal = stringValue(node)
  if (literal !== null) return literal
  const name = identifierName(node)
  return name === null ? null : (ctx.constants.get(name) ?? null)
}
