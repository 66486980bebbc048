// Raw SQL in the app code: `sql` tagged templates and strings handed to `.query(` / `.raw(`, parsed
// with the same parser as migrations. A `sql` fragment inside a Kysely chain (`select(sql\`lower(email)\`)`)
// is read as an expression in the chain's scope.
import { parseSync } from '../parse/pg-parser.js'
import type { Node as SqlNode, SelectStmt } from '@pgsql/types'
import { addUnresolved, addUsage, startInsert, addRows, type FileContext } from './file-context.js'
import { identifierName, methodOf, propertyName, receiverOf, stringValue, unwrap, type Node } from './js-node.js'
import { codeOffset, literalSource, templateSource, type SqlSource } from './sql-source.js'
import { expressionUsage, statementUsage, type SqlSink } from './sql-usage.js'
import { namesAnything, sqlTextKind } from './sql-words.js'
import { NO_SCOPE, type Scope } from './table-scope.js'
import type { UsageKind } from './usage.js'

export interface SqlEnv {
  readonly ctx: FileContext
  /** The enclosing Kysely query's tables, or null for SQL that stands alone. */
  readonly scope: Scope | null
  readonly kind: UsageKind
}

/** `statement`: only SQL statements (a `.query('…')` string that is not SQL is someone else's query language). */
export type SqlMode = 'statement' | 'statement-or-fragment'

// Where a fragment can sit: a select-list expression, or an ORDER BY item (`created_at desc nulls last`).
const FRAGMENT_PREFIXES = ['SELECT ', 'SELECT 1 ORDER BY ']

type TaggedTemplate = Extract<Node, { type: 'TaggedTemplateExpression' }>

/** `sql\`…\``, `sql<T>\`…\``, `k.sql\`…\`` */
export function isSqlTag(node: TaggedTemplate): boolean {
  return identifierName(node.tag) === 'sql' || propertyName(node.tag) === 'sql'
}

export function readSqlTemplate(node: TaggedTemplate, env: SqlEnv): void {
  // Read here: the SQL text reader must not read the template again as a string.
  env.ctx.done.add(node.quasi)
  const before = env.ctx.unresolved.length
  const source = templateSource(node.quasi, env.ctx.text, (expression, n) => substitution(expression, n, env))
  // A computed identifier was already said; that the SQL around it does not parse follows from it.
  const quietErrors = env.ctx.unresolved.length > before
  readSql(source, env, 'statement-or-fragment', quietErrors)
}

/**
 * A string literal or template passed to `.query(` / `.raw(` (or, `quiet`, any string that reads like a
 * statement: text that does not parse is then no SQL, and not reported); false when it is not one.
 */
export function readSqlArgument(node: Node, env: SqlEnv, mode: SqlMode, quiet = false): boolean {
  const n = unwrap(node)
  const value = stringValue(n)
  if (value !== null && n.type === 'Literal') {
    env.ctx.done.add(n)
    readSql(literalSource(n, value, env.ctx.text), env, mode, quiet, quiet)
    return true
  }
  if (n.type === 'TemplateLiteral') {
    env.ctx.done.add(n)
    readSql(templateSource(n, env.ctx.text, (_, i) => `$${i}`), env, mode, quiet, quiet)
    return true
  }
  return false
}

/**
 * `maybeNotSql`: a string not handed to a driver, only read like SQL: no finding says it is not. Exported for
 * readers that build the source themselves (knex's `?` / `??` bindings, readers/knex-raw.ts).
 */
export function readSql(source: SqlSource, env: SqlEnv, mode: SqlMode, quietErrors = false, maybeNotSql = false): void {
  const kind = sqlTextKind(source.text)
  if (kind === 'other-statement') return
  const isStatement = kind === 'query'
  if (!isStatement && mode === 'statement') return
  const prefixes = isStatement ? [''] : FRAGMENT_PREFIXES
  let firstError: unknown = null
  for (const prefix of prefixes) {
    let statements: SqlNode[]
    try {
      statements = (parseSync(prefix + source.text).stmts ?? []).flatMap(s => (s.stmt ? [s.stmt] : []))
    } catch (error) {
      // An unloaded parser is the caller's bug (loadParser() first), not a finding about the code.
      if (String((error as Error).message).includes('loadModule')) throw error
      firstError ??= error
      continue
    }
    walkSql(statements, source, prefix, isStatement, env, maybeNotSql)
    return
  }
  if (quietErrors || (!isStatement && !namesAnything(source.text))) return
  const err = firstError as { message?: string; sqlDetails?: { cursorPosition?: number } }
  const cursor = err.sqlDetails?.cursorPosition
  const at = typeof cursor === 'number' ? codeOffset(source, prefixes[0], cursor) : source.anchor
  const what = isStatement ? 'SQL' : 'sql fragment'
  const built = source.substitutions > 0 ? ' (each ${…} was read as a value)' : ''
  addUnresolved(env.ctx, at, `${what} does not parse${built}: ${err.message ?? String(firstError)}`)
}

/** `quiet`: text that is not known to be SQL (`'Select an item'` parses): a column with no table says it is not. */
function walkSql(statements: SqlNode[], source: SqlSource, prefix: string, isStatement: boolean, env: SqlEnv, quiet: boolean): void {
  const unattributed: string[] = []
  const sink = sqlSink(source, prefix, env, unattributed)
  const scope = env.scope ?? NO_SCOPE
  for (const statement of statements) {
    if (isStatement) statementUsage(statement, scope, sink)
    else {
      const select = (statement as { SelectStmt?: SelectStmt }).SelectStmt
      expressionUsage([select?.targetList, select?.sortClause], scope, env.kind, sink)
    }
  }
  if (unattributed.length && !quiet) {
    const names = [...new Set(unattributed)].join(', ')
    addUnresolved(env.ctx, source.anchor, `sql fragment outside a query: no table to give ${names} to`)
  }
}

function sqlSink(source: SqlSource, prefix: string, env: SqlEnv, unattributed: string[]): SqlSink {
  const at = (offset: number) => codeOffset(source, prefix, offset)
  return {
    usage: (table, column, kind, offset, nonNullLiteral) => addUsage(env.ctx, table, column, kind, at(offset), nonNullLiteral),
    insert: (table, columns, known, offset) => addRows(startInsert(env.ctx, table, at(offset)), [{ columns, known }]),
    unattributed: column => unattributed.push(column),
  }
}

/**
 * What a `${…}` of a `sql` template stands for. Kysely's `sql.ref` / `sql.table` / `sql.id` with
 * literal names become quoted identifiers and `sql.raw('…')` its text, so the SQL around them parses
 * and their columns count; anything else is a parameter (`$n`). A helper with a computed name is said.
 */
function substitution(expression: Node, n: number, env: SqlEnv): string {
  const call = methodOf(expression)
  if (!call || identifierName(receiverOf(call.call)) !== 'sql') return `$${n}`
  // Read here, as part of this SQL: the file walk must not read `sql.raw('…')` again on its own.
  env.ctx.done.add(call.call)
  const args = call.call.arguments as Node[]
  const names = args.map(arg => stringValue(arg))
  const literal = names.length > 0 && names.every(name => name !== null)
  switch (call.name) {
    case 'ref':
    case 'table':
    case 'id':
      if (literal) return (names as string[]).flatMap(name => name.split('.')).map(quoteIdentifier).join('.')
      addUnresolved(env.ctx, expression.start, `sql.${call.name}(…) with a computed name: its ${what(call.name)} is not known`)
      return `$${n}`
    case 'raw':
      if (literal) return names[0] as string
      addUnresolved(env.ctx, expression.start, 'sql.raw(…) with computed text: the SQL it adds is not known')
      return `$${n}`
    default:
      return `$${n}`
  }
}

function what(helper: string): string {
  return helper === 'table' ? 'table' : 'column'
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
