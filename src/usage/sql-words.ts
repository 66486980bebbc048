// What kind of SQL text a piece of app code holds, from its words: a query to read, another
// statement (no column use), or a fragment (an expression, a clause, a separator).
import { scanSync } from '../parse/pg-parser.js'

export type SqlTextKind = 'query' | 'other-statement' | 'fragment'

// First words of statements that read or write rows: these are parsed and walked.
const QUERY_WORDS = new Set(['select', 'with', 'insert', 'update', 'delete', 'values', 'table', 'explain'])
// First words of other statements (`LISTEN ${channel}`, `SET search_path …`): they use no column, so
// they are not parsed. A text starting with neither is a fragment (an expression).
const OTHER_STATEMENT_WORDS = new Set(
  ('merge create alter drop truncate grant revoke begin start commit rollback savepoint release set reset ' +
    'show lock vacuum analyze analyse refresh do call listen notify unlisten prepare execute deallocate ' +
    'declare fetch move close comment reindex cluster copy discard checkpoint reassign import').split(' '),
)

export function sqlTextKind(text: string): SqlTextKind {
  const word = firstWord(text)
  if (QUERY_WORDS.has(word)) return 'query'
  return OTHER_STATEMENT_WORDS.has(word) ? 'other-statement' : 'fragment'
}

/**
 * Whether a fragment holds a word that could name a column: an identifier or a non-reserved keyword.
 * Pieces such as ` OR ` or `), (` (separators for `sql.join`) do not parse alone and name nothing.
 */
export function namesAnything(text: string): boolean {
  try {
    return scanSync(text).tokens.some(
      token => token.tokenName === 'IDENT' || (token.keywordKind > 0 && token.keywordKind < RESERVED_KEYWORD),
    )
  } catch {
    return true
  }
}

// libpg-query's keywordKind: 0 none, 1 unreserved, 2 column name, 3 type or function name, 4 reserved.
const RESERVED_KEYWORD = 4

/** The first word of SQL text, skipping blanks, comments and opening parentheses; lower-cased. */
function firstWord(text: string): string {
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '(') i++
    else if (text.startsWith('--', i)) i = lineEnd(text, i)
    else if (text.startsWith('/*', i)) i = commentEnd(text, i)
    else break
  }
  let end = i
  while (end < text.length && /[A-Za-z_]/.test(text[end])) end++
  return text.slice(i, end).toLowerCase()
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from)
  return end < 0 ? text.length : end + 1
}

function commentEnd(text: string, from: number): number {
  const end = text.indexOf('*/', from + 2)
  return end < 0 ? text.length : end + 2
}
