// knex's raw SQL (`knex.raw('… where id = ?', [id])`, `whereRaw('?? = ?', ['email', x])`, named `:id` and
// `:column:` bindings): knex puts a value in for `?` and `:name`, a quoted identifier for `??` and `:name:`.
// The SQL reader reads the text knex sends — a value as `$n`, an identifier as the name the binding holds —
// with each piece mapped back to the code, so that a column points at its own line.
import { snippet, type FileContext } from '../file-context.js'
import { constantText } from '../file-constants.js'
import { stringValue, unwrap, type Node } from '../js-node.js'
import { readSql, type SqlEnv, type SqlMode } from '../raw-sql.js'
import type { SqlSource } from '../sql-source.js'

/** A run of the SQL text from one place in the code; `bound`: the code's own text, where bindings are placeholders. */
interface Segment {
  text: string
  codeStart: number
  exact: boolean
  bound: boolean
}

/** What a binding is in the text: a value, or an identifier whose name is known (null when it is not). */
type Binding = { value: true } | { value: false; name: string | null; node: Node | null }

/** `\?` (knex's escape for a literal `?`, e.g. jsonb's `?|`), `??` or `?`. */
const POSITIONAL = /\\\?|\?\??/g
/** knex's own pattern for named bindings: `\:` escapes, `:name:` is an identifier, `:name` a value. */
const NAMED = /\\?(:(\w+):(?=::)|:(\w+):(?!:)|:(\w+))/g

/**
 * Reads `sql` (a literal or a template) with its `bindings` (an array or an object literal) as knex
 * sends it; false when `sql` is not literal text (the caller says it is unresolved). An identifier
 * binding that is no literal is said through `unknown`.
 */
export function readKnexRaw(sql: Node, bindings: Node | undefined, env: SqlEnv, mode: SqlMode, unknown: (at: Node, reason: string) => void): boolean {
  const segments = segmentsOf(sql, env.ctx)
  if (!segments) return false
  env.ctx.done.add(unwrap(sql))
  const list = bindings ? unwrap(bindings) : null
  const named = list?.type === 'ObjectExpression' ? namedBindings(list) : null
  const positional = list?.type === 'ArrayExpression' ? list.elements.map(e => (e && e.type !== 'SpreadElement' ? (e as Node) : null)) : []
  let unknownIdentifier = false
  let n = 0
  const source = substitute(segments, named ? NAMED : POSITIONAL, match => {
    const binding = named ? namedBinding(match, named, env.ctx) : positionalBinding(match, positional[n], env.ctx)
    if (binding === null) return null
    n++
    if (binding.value) return { text: `$${n}` }
    if (binding.name === null) {
      unknownIdentifier = true
      return { text: 'NULL' }
    }
    // The column is spelled in the binding: its records point there.
    return { text: quoteIdentifier(binding.name), at: binding.node?.start }
  })
  if (unknownIdentifier) unknown(unwrap(sql), `${snippet(env.ctx, sql)}: an identifier binding that is not a literal: the column or table is chosen at run time`)
  readSql(source, env, mode, unknownIdentifier)
  return true
}

/** The text of a literal, a constant, or a template whose `${…}` are constants (else a value each). */
function segmentsOf(node: Node, ctx: FileContext): Segment[] | null {
  const n = unwrap(node)
  const value = stringValue(n)
  if (value !== null && n.type === 'Literal') return [{ text: value, codeStart: n.start + 1, exact: ctx.text.slice(n.start + 1, n.end - 1) === value, bound: true }]
  if (n.type !== 'TemplateLiteral') return null
  const segments: Segment[] = []
  n.quasis.forEach((quasi, i) => {
    const cooked = quasi.value.cooked ?? quasi.value.raw
    // oxc's TemplateElement span starts at the delimiter before it (`` ` `` or `}`).
    const start = ctx.text[quasi.start] === '`' || ctx.text[quasi.start] === '}' ? quasi.start + 1 : quasi.start
    segments.push({ text: cooked, codeStart: start, exact: cooked === quasi.value.raw, bound: true })
    // A `${…}` is the text it holds: a constant's, else a value (numbered apart from the bindings).
    const expression = n.expressions[i] as Node | undefined
    if (expression) segments.push({ text: constantText(expression, ctx) ?? `$${1000 + i}`, codeStart: expression.start, exact: false, bound: false })
  })
  return segments
}

/**
 * Each match of `pattern` in the code's own text is replaced by what `replace` gives (null: left as is),
 * which points at the match in the code unless it says where (`at`).
 */
function substitute(segments: readonly Segment[], pattern: RegExp, replace: (match: RegExpExecArray) => { text: string; at?: number } | null): SqlSource {
  const pieces: SqlSource['pieces'][number][] = []
  let text = ''
  for (const segment of segments) {
    const codeAt = (index: number) => (segment.exact ? segment.codeStart + index : segment.codeStart)
    let from = 0
    pieces.push({ sqlStart: text.length, codeStart: segment.codeStart, exact: segment.exact })
    for (const match of segment.bound ? segment.text.matchAll(new RegExp(pattern.source, 'g')) : []) {
      const replacement = replace(match)
      if (replacement === null) continue
      text += segment.text.slice(from, match.index)
      pieces.push({ sqlStart: text.length, codeStart: replacement.at ?? codeAt(match.index), exact: false })
      text += replacement.text
      from = match.index + match[0].length
      pieces.push({ sqlStart: text.length, codeStart: codeAt(from), exact: segment.exact })
    }
    text += segment.text.slice(from)
  }
  return { text, pieces, anchor: segments[0]?.codeStart ?? 0, substitutions: 0 }
}

function positionalBinding(match: RegExpExecArray, element: Node | null | undefined, ctx: FileContext): Binding | null {
  if (match[0] === '\\?') return null
  if (match[0] === '?') return { value: true }
  return { value: false, name: element ? constantText(element, ctx) : null, node: element ? unwrap(element) : null }
}

/** The values of a bindings object by key. */
function namedBindings(object: Extract<Node, { type: 'ObjectExpression' }>): Map<string, Node> {
  const out = new Map<string, Node>()
  for (const p of object.properties) {
    if (p.type !== 'Property' || p.computed) continue
    const key = p.key.type === 'Identifier' ? p.key.name : stringValue(p.key)
    if (key !== null) out.set(key, p.value)
  }
  return out
}

function namedBinding(match: RegExpExecArray, named: ReadonlyMap<string, Node>, ctx: FileContext): Binding | null {
  if (match[0].startsWith('\\')) return null
  const key = match[2] ?? match[3] ?? match[4]
  const value = named.get(key)
  if (!value) return null
  const identifier = match[0].endsWith(':')
  return identifier ? { value: false, name: constantText(value, ctx), node: unwrap(value) } : { value: true }
}

/** `'u.email as mail'` → `"u"."email" AS "mail"`, as knex wraps an identifier binding. */
function quoteIdentifier(name: string): string {
  const [, ref, alias] = /^(.*?)(?:\s+as\s+(\S+))?$/i.exec(name.trim()) ?? [name, name]
  const quoted = ref === '*' ? '*' : ref.split('.').map(part => (part === '*' ? '*' : `"${part.replace(/"/g, '""')}"`)).join('.')
  return alias ? `${quoted} AS "${alias.replace(/"/g, '""')}"` : quoted
}
