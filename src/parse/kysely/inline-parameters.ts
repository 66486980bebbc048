// Puts the literals of a query's parameters in place of its `$n` placeholders, found with the real
// Postgres lexer so that a `$1` inside a string, a dollar-quoted body or a comment is left alone.
import { scanSync } from '../pg-parser.js'

export function inlineParameters(sql: string, literals: readonly string[]): string {
  if (!literals.length) return sql
  let tokens
  try {
    tokens = scanSync(sql).tokens
  } catch {
    // The lexer refuses the text (an unterminated quote): the parser will report it as it is.
    return sql
  }
  const bytes = Buffer.from(sql, 'utf8')
  const pieces: string[] = []
  let from = 0
  for (const token of tokens) {
    if (token.tokenName !== 'PARAM') continue
    const literal = literals[Number(token.text.slice(1)) - 1]
    if (literal === undefined) continue
    pieces.push(bytes.toString('utf8', from, token.start), literal)
    from = token.end
  }
  pieces.push(bytes.toString('utf8', from))
  return pieces.join('')
}
