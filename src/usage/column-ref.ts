// Kysely names columns and tables in strings: `'p.email'`, `'email as e'`, `'person as p'`. These read
// such a string; anything else (a value like `'active'` in a value position is never passed here) is null.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/

export interface ColumnRefText {
  /** `p`, `person`, `audit.events`, or null when the column is not qualified. */
  qualifier: string | null
  /** The column, or `'*'` for `p.*`. */
  column: string
}

export interface TableRefText {
  table: string
  alias: string | null
}

/** `'p.email'`, `'email as e'`, `'p.*'`, `'created_at desc'` (old orderBy form) → qualifier and column. */
export function parseColumnRef(text: string): ColumnRefText | null {
  const bare = stripSuffix(stripAlias(text.trim()).ref, /\s+(asc|desc)$/i)
  const parts = bare.split('.')
  if (parts.length > 3) return null
  const column = parts[parts.length - 1]
  const qualifiers = parts.slice(0, -1)
  if (!(IDENTIFIER.test(column) || (column === '*' && qualifiers.length > 0))) return null
  if (!qualifiers.every(part => IDENTIFIER.test(part))) return null
  return { qualifier: qualifiers.length ? qualifiers.join('.') : null, column }
}

/** `'person as p'`, `'audit.events'` → table and alias. */
export function parseTableRef(text: string): TableRefText | null {
  const { ref, alias } = stripAlias(text.trim())
  const parts = ref.split('.')
  if (parts.length > 2 || !parts.every(part => IDENTIFIER.test(part))) return null
  if (alias !== null && !IDENTIFIER.test(alias)) return null
  return { table: ref, alias }
}

function stripAlias(text: string): { ref: string; alias: string | null } {
  const match = /^(.*?)\s+as\s+(\S+)$/i.exec(text)
  return match ? { ref: match[1], alias: match[2] } : { ref: text, alias: null }
}

function stripSuffix(text: string, suffix: RegExp): string {
  return text.replace(suffix, '')
}
