// The columns an expression reads (a CHECK, a generated column): by their last name part, as
// constraints name their columns.
import type { Node } from '@pgsql/types'
import { nodeAs, strings, visit } from './ast.js'

export function referencedColumns(expr: Node | undefined): string[] {
  const names = new Set<string>()
  visit(expr, n => {
    const fields = strings(nodeAs(n, 'ColumnRef')?.fields)
    if (fields.length) names.add(fields[fields.length - 1])
  })
  return [...names]
}
