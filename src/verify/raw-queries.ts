// The SQL statements the base code sends as written: `sql` tagged templates and strings handed to
// `.query(` / `.raw(`. The usage scan keeps only the columns they name; verify PREPAREs the text
// itself, so it needs the statements. `${…}` become `$n` parameters (Kysely's `sql.raw` / `sql.ref`
// with literal arguments become their text); a statement whose text cannot be known is left out.
import { parseSync as parseSql } from '../parse/pg-parser.js'
import type { CodeFile } from '../usage/scan.js'
import { isCodeFile, mentionsQuery } from '../usage/mentions-query.js'
import { forEachChild, identifierName, methodOf, oxcParser, receiverOf, stringValue, unwrap, type Node } from '../usage/js-node.js'
import { LineIndex } from '../util/line-index.js'
import { isSqlTag } from '../usage/raw-sql.js'
import { literalSource, templateSource, type SqlSource } from '../usage/sql-source.js'
import { sqlTextKind } from '../usage/sql-words.js'
import type { RangeVar } from '@pgsql/types'
import { kindOf, relationName } from '../sql/ast.js'
import { quoteQualified } from './engine.js'

export interface RawQuery {
  /** One statement, no trailing semicolon, `$n` for every value the code passes in. */
  sql: string
  file: string
  line: number
  column: number
  /** Last line of the query in the code: usages inside it are the same query. */
  endLine: number
  /** The relations it names (CTE names too: they resolve to nothing). */
  tables: string[]
}

// What PREPARE accepts.
const PREPARABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'])

/** libpg-query must be loaded (loadParser()). */
export function rawQueries(files: readonly CodeFile[]): RawQuery[] {
  return files.filter(f => isCodeFile(f.path) && mentionsQuery(f.text)).flatMap(fileQueries)
}

function fileQueries(file: CodeFile): RawQuery[] {
  let program: Node
  try {
    const result = oxcParser().parseSync(file.path, file.text, { lang: /\.[cm]?ts$/.test(file.path) ? 'ts' : file.path.endsWith('.tsx') ? 'tsx' : 'jsx' })
    program = result.program as Node
  } catch {
    return []
  }
  const lines = new LineIndex(file.text)
  const found: RawQuery[] = []
  const add = (source: SqlSource | null, end: number) => {
    const sql = source && preparable(source.text)
    if (!sql) return
    const at = lines.position(source.anchor)
    found.push({ sql, file: file.path, line: at.line, column: at.column, endLine: lines.position(end).line, tables: relationsOf(sql) })
  }
  const stack: Node[] = [program]
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'TaggedTemplateExpression' && isSqlTag(node)) add(templateQuery(node.quasi, file.text), node.end)
    else if (node.type === 'CallExpression') add(callQuery(node, file.text), node.end)
    forEachChild(node, child => stack.push(child))
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** `client.query('SELECT …', [id])`, `knex.raw(\`…\`)`. */
function callQuery(node: Node, code: string): SqlSource | null {
  const method = methodOf(node)
  if (!method || (method.name !== 'query' && method.name !== 'raw')) return null
  const first = method.call.arguments[0] as Node | undefined
  if (!first) return null
  const arg = unwrap(first)
  const value = stringValue(arg)
  if (value !== null && arg.type === 'Literal') return literalSource(arg, value, code)
  if (arg.type === 'TemplateLiteral') return templateSource(arg, code, (_, n) => `$${n}`)
  return null
}

type TemplateNode = Extract<Node, { type: 'TemplateLiteral' }>

function templateQuery(template: TemplateNode, code: string): SqlSource | null {
  let known = true
  // Numbered as Kysely compiles them: only values are parameters, helpers are text.
  let parameters = 0
  const source = templateSource(template, code, expression => {
    const text = helperText(expression)
    if (text === undefined) known = false
    return text ?? `$${++parameters}`
  })
  return known ? source : null
}

/**
 * Kysely's helpers with literal arguments stand for text: `sql.ref('u.email')`, `sql.table('users')`,
 * `sql.raw('now()')`. null: a value (a parameter); undefined: text that cannot be known.
 */
function helperText(expression: Node): string | null | undefined {
  const call = methodOf(expression)
  if (!call || identifierName(receiverOf(call.call)) !== 'sql') return null
  const names = (call.call.arguments as Node[]).map(arg => stringValue(arg))
  const literal = names.length > 0 && names.every(name => name !== null)
  switch (call.name) {
    case 'ref':
    case 'table':
    case 'id':
      return literal ? (names as string[]).map(quoteQualified).join('.') : undefined
    case 'raw':
      return literal ? (names[0] as string) : undefined
    case 'join':
    case 'lit':
    case 'val':
    case 'value':
      return null
    default:
      return undefined
  }
}

/** The text when it is exactly one statement PREPARE accepts, else null. */
export function preparable(text: string): string | null {
  if (sqlTextKind(text) !== 'query') return null
  try {
    const stmts = parseSql(text).stmts ?? []
    if (stmts.length !== 1 || !PREPARABLE.has(kindOf(stmts[0].stmt) ?? '')) return null
    // The statement alone (libpg-query counts bytes): no semicolon, no comment after it.
    const bytes = Buffer.from(text, 'utf8')
    const start = stmts[0].stmt_location ?? 0
    const end = stmts[0].stmt_len ? start + stmts[0].stmt_len : bytes.length
    return bytes.subarray(start, end).toString('utf8').trim()
  } catch {
    return null
  }
}

/** Every RangeVar, wrapped (`{ RangeVar: … }` in FROM) or not (the target of INSERT / UPDATE / DELETE). */
function relationsOf(sql: string): string[] {
  const names = new Set<string>()
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(walk)
    const record = value as Record<string, unknown>
    if (typeof record.relname === 'string') names.add(relationName(record as RangeVar))
    for (const key in record) walk(record[key])
  }
  walk(parseSql(sql).stmts ?? [])
  return [...names]
}
