import type { Node } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'

/** Postgres' NAMEDATALEN - 1: longer names are silently truncated, so two long names can collide. */
const MAX_BYTES = 63

export default defineRule({
  id: 'identifier-too-long',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A name longer than 63 bytes, defined or referred to: Postgres truncates it silently.',
  docs: {
    why:
      'Postgres keeps only the first 63 bytes of an identifier and says so in a NOTICE nobody reads. The object ' +
      'then has another name than the one the code and later migrations use, and two long names with the same ' +
      'first 63 bytes collide. A long name that a statement only refers to (DROP INDEX, ALTER TABLE … VALIDATE ' +
      'CONSTRAINT, a query) is truncated the same way, and may meet another object than the one written.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'CREATE INDEX users_email_lower_case_for_the_case_insensitive_login_lookup_by_email_idx ON users (email);',
    good: 'CREATE INDEX users_email_lower_idx ON users (email);',
    fix: 'Choose a name of at most 63 bytes.',
  },
  messages: {
    tooLong: 'The name "{{name}}" is {{bytes}} bytes long; Postgres truncates it to "{{truncated}}".',
  },
  statement(ctx) {
    // Most statements name nothing that long: the text says so faster than a walk over the tree.
    if (!mayWriteLongName(ctx.statement.sql)) return []
    // The parser already truncated the names in the AST (to 63 bytes, or fewer when a character would be cut).
    const truncated = truncatedNames(ctx.statement.ast)
    if (!truncated.size) return []
    return writtenNames(ctx.statement.sql)
      .filter(name => Buffer.byteLength(name) > MAX_BYTES && truncated.has(truncate(name)))
      .map(name => ({
        messageId: 'tooLong',
        data: { name, bytes: Buffer.byteLength(name), truncated: truncate(name) },
      }))
  },
})

/** Identifiers as written in the statement text: quoted ones as they are, unquoted ones folded to lower case. */
export function writtenNames(sql: string): string[] {
  const names = new Set<string>()
  const identifier = /"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/g
  for (const m of sql.matchAll(identifier)) names.add(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase())
  return [...names]
}

/**
 * False only when no name `writtenNames(sql)` returns is longer than 63 bytes, so that the rule can find
 * nothing. One pass, no allocation; it bounds the names of writtenNames' regex, not of Postgres' lexer,
 * since findings come from those names (strings and comments included, quotes paired as the regex does).
 *
 * The bound: W(s) counts 1 per ASCII UTF-16 unit and 3 per other unit. The UTF-8 bytes of s, of s with
 * `""` unescaped, and of s.toLowerCase() are all at most W(s): a BMP character is at most 3 bytes, a
 * surrogate pair 4, a lone surrogate 3 (U+FFFD); unescaping drops bytes; lower-casing goes character by
 * character (context only picks σ or ς, 2 bytes each), maps ASCII to ASCII and no other unit to more
 * than 3 bytes (U+0130 İ → i + U+0307: 3 bytes; test/rules checks every code point). W of a part is at
 * most W of the whole. So it suffices that every name's raw text lies in
 * a span measured here:
 * - An unquoted name is a run of [A-Za-z0-9_$\u0080-\uffff] units, so it lies in a maximal such run.
 * - A quoted name (?:[^"]|"")+ starts just after a quote and ends just before one, and the quotes inside
 *   it come in pairs: every maximal run of quotes wholly inside it has an even length. So it lies
 *   between two runs of quotes with only even runs between them: in a stretch from one odd run of quotes
 *   (or the first run) to the next odd run (or the last), bounding runs included. Text before the first
 *   quote or after the last is in no quoted name.
 * U&"…" needs no exception: the name is its escaped text, and decoding an escape (\0061, \+000061, or
 * with UESCAPE) would only shorten it.
 */
export function mayWriteLongName(sql: string): boolean {
  let run = 0
  /** W since the start of the current stretch of quoted text; -1 before the first quote. */
  let stretch = -1
  let quotes = 0
  // One step past the end, so that a run of quotes there is measured too.
  for (let i = 0; i <= sql.length; i++) {
    const c = i < sql.length ? sql.charCodeAt(i) : -1
    if (c === 0x22) {
      quotes++
      run = 0
      continue
    }
    if (quotes) {
      stretch = Math.max(stretch, 0) + quotes
      if (stretch > MAX_BYTES) return true
      if (quotes % 2) stretch = quotes
      quotes = 0
    }
    const w = c < 0x80 ? 1 : 3
    if (stretch >= 0) stretch += w
    if (c >= 0x80 || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24) {
      run += w
      if (run > MAX_BYTES) return true
    } else {
      run = 0
    }
  }
  return false
}

/**
 * Every string of the parse tree long enough to be a truncated name: names the statement defines and
 * names it only refers to alike (Postgres truncates both, so a reference may silently meet another
 * object than the one written). Literals are there too, but at their full length, so they never equal
 * the truncation of a longer written name.
 */
function truncatedNames(ast: Node | null): Set<string> {
  const names = new Set<string>()
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      // A UTF-16 unit is at most 3 UTF-8 bytes: shorter strings need no byte count.
      if (value.length * 3 > MAX_BYTES - 4 && Buffer.byteLength(value) > MAX_BYTES - 4) names.add(value)
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item)
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) walk((value as Record<string, unknown>)[key])
    }
  }
  walk(ast)
  return names
}

function truncate(name: string): string {
  const bytes = Buffer.from(name)
  let end = MAX_BYTES
  // Never cut inside a multi-byte character, as Postgres does not either.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
  return bytes.toString('utf8', 0, end)
}
