// Query builders send values as `$n` parameters; the rules read SQL text, so each value is written
// as the literal Postgres would have received (DEFAULT 'x', SET email = '' …).

export function toSqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint') return parenthesizeNegative(value.toString())
  if (typeof value === 'number') return Number.isFinite(value) ? parenthesizeNegative(String(value)) : quote(String(value))
  if (typeof value === 'string') return quote(value)
  if (value instanceof Date) return quote(Number.isNaN(value.getTime()) ? 'invalid date' : value.toISOString())
  if (value instanceof Uint8Array) return quote(`\\x${Buffer.from(value).toString('hex')}`)
  if (typeof value === 'object') return quote(json(value))
  return quote(String(value))
}

export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/** `x-$1` with -1 would become the comment `x--1`. */
function parenthesizeNegative(text: string): string {
  return text.startsWith('-') ? `(${text})` : text
}

function json(value: object): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null'
  } catch {
    return String(value)
  }
}
