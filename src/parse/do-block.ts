// The SQL a `DO` block runs (issue 12): its PL/pgSQL body is parsed (libpg-query's PL/pgSQL parser)
// and each static statement in it — at any depth of IF, LOOP, BEGIN … EXCEPTION — becomes an inner
// statement located at its own text in the file, so that replay and the rules see the DDL a DO block
// runs as if it ran (conditional DDL included: the conservative reading for a safety linter). What
// cannot be known without running it (EXECUTE of a computed string, another language, a body that
// does not parse) is named in `unanalysed`.
import type { DoStmt, Node } from '@pgsql/types'
import { nodeAs } from '../sql/ast.js'
import { parsePlPgSQLSync, parseSync } from './pg-parser.js'
import type { SourceText } from './source-text.js'
import type { ByteRange } from './split.js'

export interface InnerStatement {
  range: ByteRange
  /** What runs: the file's text, or the value of a constant string given to EXECUTE. */
  sql: string
  ast: Node
}

export interface DoBlockAnalysis {
  inner: InnerStatement[]
  unanalysed?: string
}

/** Where the body's text lies in the file, when its bytes there are the body (dollar-quoted, or '…' without escapes). */
interface Body {
  text: string
  start: number | null
}

/**
 * `statement`: the DO statement's byte range; `astBase`: the offset its AST locations count from.
 * Its line numbers (PL/pgSQL counts lines from the opening quote) place inner statements in the file.
 */
export function analyseDoBlock(source: SourceText, doStmt: DoStmt, statement: ByteRange, astBase: number): DoBlockAnalysis {
  const option = (name: string) => doStmt.args?.map(a => nodeAs(a, 'DefElem')).find(d => d?.defname === name)
  const language = nodeAs(option('language')?.arg, 'String')?.sval?.toLowerCase() ?? 'plpgsql'
  const as = option('as')
  const line = (offset: number) => source.position(offset).line
  if (language !== 'plpgsql') return { inner: [], unanalysed: `DO block in language ${language} is not analysed (line ${line(statement.start)})` }
  const body = bodyOf(source, nodeAs(as?.arg, 'String')?.sval ?? '', astBase + (as?.location ?? 0))
  let tree: unknown
  try {
    tree = parsePlPgSQLSync(source.slice(statement.start, statement.end))
  } catch (error) {
    return { inner: [], unanalysed: `DO block body does not parse as PL/pgSQL (${(error as Error).message}) at line ${line(statement.start)}` }
  }
  const inner: InnerStatement[] = []
  const reasons: string[] = []
  const bodyLineStart = lineStarts(body)
  for (const { kind, lineno, query } of sqlOf(tree)) {
    const near = bodyLineStart(lineno) ?? statement.start
    const found = body.start === null ? -1 : source.bytes.indexOf(query, near)
    const at = found >= 0 && found + Buffer.byteLength(query) <= statement.end ? { start: found, end: found + Buffer.byteLength(query) } : null
    const where = at ?? lineRange(source, near, statement)
    if (kind === 'static') {
      const ast = parseSync(query).stmts?.[0]?.stmt
      if (ast) inner.push({ range: where, sql: query, ast })
      continue
    }
    const constant = constantString(query)
    if (constant === null) {
      reasons.push(`DO block runs dynamic SQL (EXECUTE ${short(query)}) at line ${line(where.start)}`)
      continue
    }
    let stmts
    try {
      stmts = parseSync(constant.value).stmts ?? []
    } catch {
      reasons.push(`DO block runs SQL that does not parse (EXECUTE ${short(query)}) at line ${line(where.start)}`)
      continue
    }
    // The string's bytes are the SQL when it has no escapes: each statement then points at its own text.
    const valueAt = at && constant.offset !== null ? at.start + constant.offset : null
    for (const s of stmts) {
      if (!s.stmt) continue
      const start = s.stmt_location ?? 0
      const sql = Buffer.from(constant.value).toString('utf8', start, s.stmt_len ? start + s.stmt_len : undefined).trim()
      const range = valueAt === null ? where : { start: valueAt + start + leading(constant.value, start), end: valueAt + start + leading(constant.value, start) + Buffer.byteLength(sql) }
      inner.push({ range, sql, ast: s.stmt })
    }
  }
  inner.sort((a, b) => a.range.start - b.range.start)
  return reasons.length ? { inner, unanalysed: reasons.join('; ') } : { inner }
}

function bodyOf(source: SourceText, text: string, literalAt: number): Body {
  const bytes = source.bytes
  let open = 0
  if (bytes[literalAt] === 0x27) open = 1
  else if (bytes[literalAt] === 0x24) open = bytes.indexOf(0x24, literalAt + 1) - literalAt + 1
  const start = literalAt + open
  const same = open > 0 && bytes.toString('utf8', start, start + Buffer.byteLength(text)) === text
  return { text, start: same ? start : null }
}

/** Byte offset in the file of a 1-based line of the body, or null when the body's bytes are not in the file. */
function lineStarts(body: Body): (lineno: number | undefined) => number | null {
  return lineno => {
    if (body.start === null) return null
    let at = 0
    for (let n = 1; n < (lineno ?? 1); n++) {
      const nl = body.text.indexOf('\n', at)
      if (nl < 0) break
      at = nl + 1
    }
    return body.start + Buffer.byteLength(body.text.slice(0, at))
  }
}

/** The line from `at`, blanks trimmed, inside the statement: where a statement that was not found exactly is. */
function lineRange(source: SourceText, at: number, statement: ByteRange): ByteRange {
  if (at < statement.start || at >= statement.end) return statement
  const nl = source.bytes.indexOf(0x0a, at)
  const text = source.slice(at, nl < 0 || nl > statement.end ? statement.end : nl)
  const lead = Buffer.byteLength(text) - Buffer.byteLength(text.trimStart())
  return { start: at + lead, end: at + Buffer.byteLength(text.trimEnd()) }
}

type Found = { kind: 'static' | 'execute'; lineno: number | undefined; query: string }

/** The SQL statements of the body, static and EXECUTEd, in the tree's order. */
function sqlOf(tree: unknown): Found[] {
  const found: Found[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (!node || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      const stmt = value as { lineno?: number; sqlstmt?: Expr; query?: Expr }
      if (key === 'PLpgSQL_stmt_execsql' && stmt.sqlstmt) found.push({ kind: 'static', lineno: stmt.lineno, query: queryOf(stmt.sqlstmt) })
      else if ((key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors') && stmt.query) found.push({ kind: 'execute', lineno: stmt.lineno, query: queryOf(stmt.query) })
      walk(value)
    }
  }
  walk(tree)
  return found
}

type Expr = { PLpgSQL_expr?: { query?: string } }
const queryOf = (expr: Expr) => expr.PLpgSQL_expr?.query ?? ''

/** The value of a string constant ('…', E'…', $tag$…$tag$), and where it starts in the literal when the bytes are the value. */
/** The value of a SQL expression that is one string constant (`'…'`, `$$…$$`), with where its text starts in `expr`. */
export function constantString(expr: string): { value: string; offset: number | null } | null {
  let target: Node[] | undefined
  try {
    target = nodeAs(parseSync(`SELECT ${expr}`).stmts?.[0]?.stmt, 'SelectStmt')?.targetList
  } catch {
    return null
  }
  const value = target?.length === 1 ? nodeAs(nodeAs(target[0], 'ResTarget')?.val, 'A_Const')?.sval?.sval : undefined
  if (value === undefined) return null
  const literal = expr.trim()
  const lead = Buffer.byteLength(expr) - Buffer.byteLength(expr.trimStart())
  const tag = /^(\$[A-Za-z_0-9]*\$|')/.exec(literal)?.[0]
  const same = tag !== undefined && literal.slice(tag.length, tag.length + value.length) === value && literal.length === value.length + 2 * tag.length
  return { value, offset: same ? lead + Buffer.byteLength(tag) : null }
}

/** Bytes of blanks at `start` of the text (stmt_location may point before them). */
function leading(text: string, start: number): number {
  const rest = Buffer.from(text).toString('utf8', start)
  return Buffer.byteLength(rest) - Buffer.byteLength(rest.trimStart())
}

const short = (expr: string) => {
  const text = expr.replace(/\s+/g, ' ').trim()
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
