import { defineRule, type Report } from '../src/engine/rule.js'
import { nodeAs } from '../src/sql/ast.js'

export default defineRule({
  id: 'unbalanced-transaction',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A BEGIN never committed by the end of the migration, a BEGIN inside an open one, or a COMMIT with none open.',
  docs: {
    why:
      'A BEGIN left open at the end of a migration leaves its fate to whatever holds the connection: psql and most ' +
      'runners close it and Postgres rolls everything back, silently, while the migration may be recorded as ' +
      'applied; a pooled connection keeps the locks until someone notices. A BEGIN inside an open transaction is ' +
      'ignored with a warning, so the COMMIT meant for it ends the outer one early, and the statements after it ' +
      'run without a transaction. A COMMIT or ROLLBACK with no transaction open does nothing: the BEGIN it was ' +
      'written for is missing or in the wrong place.',
    bad: 'BEGIN;\nCREATE TABLE audit (id bigint PRIMARY KEY);\nCREATE INDEX audit_id ON audit (id);',
    good: 'BEGIN;\nCREATE TABLE audit (id bigint PRIMARY KEY);\nCREATE INDEX audit_id ON audit (id);\nCOMMIT;',
    fix: 'Close every BEGIN with COMMIT before the end of the migration, open one transaction at a time, and drop a COMMIT no BEGIN goes with.',
  },
  messages: {
    unclosed:
      '{{statement}} opens a transaction that nothing commits before the end of the migration: when the connection ' +
      'closes, Postgres rolls back everything after it.',
    nested:
      '{{statement}} inside the transaction opened at line {{line}} is ignored: the next COMMIT ends the outer ' +
      'transaction, and what follows runs without one.',
    nothingOpen: '{{statement}} with no transaction open does nothing (Postgres only warns): its BEGIN is missing or misplaced.',
  },
  migration(ctx) {
    // A runner's own transaction is transaction-control-in-migration's concern.
    if (ctx.migration.transactional && !ctx.migration.implicitTransaction) return []
    const reports: Report[] = []
    let open: { line: number; statement: string; loc: Report['loc'] } | null = null
    for (const statement of ctx.migration.up) {
      const kind = nodeAs(statement.ast, 'TransactionStmt')?.kind
      const word = KEYWORDS[kind ?? '']
      if (!word) continue
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
        if (open) reports.push({ messageId: 'nested', data: { statement: word, line: open.line }, loc: statement.loc })
        else open = { line: statement.loc.line, statement: word, loc: statement.loc }
      } else {
        if (!open) reports.push({ messageId: 'nothingOpen', data: { statement: word }, loc: statement.loc })
        open = null
      }
    }
    if (open) reports.push({ messageId: 'unclosed', data: { statement: open.statement }, loc: open.loc })
    return reports
  },
})

/** How messages name the statements that open or end a transaction (SAVEPOINT and ROLLBACK TO end none). */
const KEYWORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
}
