// SQL text anywhere (issue 13): a string or template literal that reads as a Postgres query — SELECT,
// WITH, INSERT, UPDATE, DELETE — wherever it is passed (`pool.query`, `client.execute`, a project's own
// `rawQuery`, postgres.js, slonik, …) or held (`const FIND_USER = 'SELECT …'`, used elsewhere), read
// where it stands with the SQL reader. Text that does not parse is not SQL here (UI text: "Select a
// file"): it is left to the text fallback. `${…}` in a template is a parameter.
import { unwrap, type Node } from '../js-node.js'
import { readSqlArgument } from '../raw-sql.js'
import { sqlTextKind } from '../sql-words.js'
import type { DataLayerReader } from './reader.js'

/** A quote, then a query's first word and a blank: `'SELECT `, `` `\n  WITH ``. */
const QUERY_START = /['"`]\s*\(?\s*(?:select|with|insert|update|delete)\s/i

export const sqlTextReader: DataLayerReader = {
  name: 'sql-text',
  key: () => null,
  mentions: text => QUERY_START.test(text),
  read(node, ctx) {
    if (node.type !== 'Literal' && node.type !== 'TemplateLiteral') return false
    const text = literalText(node)
    if (text === null || !/\s/.test(text.trim()) || sqlTextKind(text) !== 'query') return false
    return readSqlArgument(node, { ctx, scope: null, kind: 'select' }, 'statement', true)
  },
}

/** The text of a string literal, or the first piece of a template (enough to tell a query). */
function literalText(node: Node): string | null {
  const n = unwrap(node)
  if (n.type === 'Literal') return typeof n.value === 'string' ? n.value : null
  if (n.type === 'TemplateLiteral') return n.quasis.map(q => q.value.cooked ?? q.value.raw).join(' $ ')
  return null
}
