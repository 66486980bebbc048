import type { Node } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import { nodeAs, visit } from '../src/sql/ast.js'

/** Postgres' NAMEDATALEN - 1: longer names are silently truncated, so two long names can collide. */
const MAX_BYTES = 63

export default defineRule({
  id: 'identifier-too-long',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A name longer than 63 bytes: Postgres truncates it silently.',
  docs: {
    why:
      'Postgres keeps only the first 63 bytes of an identifier and says so in a NOTICE nobody reads. The object ' +
      'then has another name than the one the code and later migrations use, and two long names with the same ' +
      'first 63 bytes collide.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'CREATE INDEX users_email_lower_case_for_the_case_insensitive_login_lookup_by_email_idx ON users (email);',
    good: 'CREATE INDEX users_email_lower_idx ON users (email);',
    fix: 'Choose a name of at most 63 bytes.',
  },
  messages: {
    tooLong: 'The name "{{name}}" is {{bytes}} bytes long; Postgres truncates it to "{{truncated}}".',
  },
  statement(ctx) {
    // The parser already truncated the names in the AST (to 63 bytes, or fewer when a character would be cut).
    const truncated = namesDefined(ctx.statement.ast).filter(name => Buffer.byteLength(name) > MAX_BYTES - 4)
    if (!truncated.length) return []
    return writtenNames(ctx.statement.sql)
      .filter(name => Buffer.byteLength(name) > MAX_BYTES && truncated.includes(truncate(name)))
      .map(name => ({
        messageId: 'tooLong',
        data: { name, bytes: Buffer.byteLength(name), truncated: truncate(name) },
      }))
  },
})

/** Identifiers as written in the statement text: quoted ones as they are, unquoted ones folded to lower case. */
function writtenNames(sql: string): string[] {
  const names = new Set<string>()
  const identifier = /"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/g
  for (const m of sql.matchAll(identifier)) names.add(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].toLowerCase())
  return [...names]
}

/** Names a statement gives to new objects: tables, columns, indexes, constraints, renames. */
function namesDefined(ast: Node | null): string[] {
  const names = new Set<string>()
  const add = (name: string | undefined) => {
    if (name) names.add(name)
  }
  add(nodeAs(ast, 'CreateStmt')?.relation?.relname)
  add(nodeAs(ast, 'IndexStmt')?.idxname)
  add(nodeAs(ast, 'RenameStmt')?.newname)
  add(nodeAs(ast, 'ViewStmt')?.view?.relname)
  visit(ast, node => {
    add(nodeAs(node, 'ColumnDef')?.colname)
    add(nodeAs(node, 'Constraint')?.conname)
  })
  return [...names]
}

function truncate(name: string): string {
  const bytes = Buffer.from(name)
  let end = MAX_BYTES
  // Never cut inside a multi-byte character, as Postgres does not either.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
  return bytes.toString('utf8', 0, end)
}
