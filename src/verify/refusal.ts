// What verify never runs (issue 14): a statement that acts beyond its database (src/sql/cluster-wide.ts),
// code whose reach cannot be read (a DO block or function that builds SQL at run time, or is in a
// language whose code is not read), and text that does not parse or is no SQL at all (what it would do
// was never seen).
// Checked before each statement goes to the engine, PGlite or the throw-away database alike: on a
// server it would reach other databases and roles; PGlite runs in this very process.
import type { Node } from '@pgsql/types'
import type { Statement } from '../model.js'
import { parseSync } from '../parse/pg-parser.js'
import { nodeAs } from '../sql/ast.js'
import { reachBeyondDatabase, unprovableBody } from '../sql/cluster-wide.js'

/** Why verify does not run the statement; null when it may. */
export function refusalOf(statement: Statement): string | null {
  // COPY rows and psql's meta-commands included: sent as SQL, a data line would run as a statement.
  if (!statement.ast) return statement.notSql ? 'it is not SQL (only psql reads it), so what it would do was never checked' : 'it does not parse, so what it would do was never checked'
  for (const s of [statement, ...(statement.inner ?? [])]) {
    const refused = refusalOfNode(s.ast, s.sql)
    if (refused) return refused
  }
  if (statement.unanalysed) return `what it runs cannot be read before it runs (${statement.unanalysed})`
  return null
}

/** For a query as a Kysely migration sends it: one statement or several (a raw sql`…` batch), maybe with $n parameters. */
export function refusalOfSql(sql: string): string | null {
  let stmts
  try {
    stmts = parseSync(sql).stmts ?? []
  } catch {
    return 'it does not parse, so what it would do was never checked'
  }
  for (const s of stmts) {
    const start = s.stmt_location ?? 0
    const text = s.stmt_len ? sql.slice(start, start + s.stmt_len) : sql.slice(start)
    const refused = s.stmt ? refusalOfNode(s.stmt, text) : null
    if (refused) return refused
  }
  return null
}

function refusalOfNode(ast: Node | null, sql: string): string | null {
  const copy = nodeAs(ast, 'CopyStmt')
  // Its rows come from psql; sent without them, PGlite waits for them for ever.
  if (copy?.is_from && !copy.filename && !copy.is_program) return 'COPY … FROM STDIN takes its rows from psql, which verify does not replay'
  const reach = reachBeyondDatabase(ast, sql)
  if (reach) return `${reach.what} acts beyond the database verify made for the replay, on ${reach.reaches}`
  const body = unprovableBody(ast, sql)
  return body ? `${body}: it cannot be proven to stay in the database verify made for the replay` : null
}
