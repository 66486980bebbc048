import { defineRule } from '../src/engine/rule.js'
import type { Report } from '../src/engine/rule.js'
import { absentTargets } from '../src/schema/absent-objects.js'
import { listName, nodeAs, qualifiedName, strings } from '../src/sql/ast.js'
import { quoteQualified } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'drop-index-non-concurrently',
  category: 'locking',
  severity: 'warning',
  summary: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table.",
  docs: {
    why:
      'A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the table the index belongs to. The drop itself is ' +
      'quick, but it first waits for every running query on the table, and while it waits every new read and ' +
      'write of the table queues behind it: one slow report query turns into an outage. DROP INDEX CONCURRENTLY ' +
      'waits for those queries without blocking anyone.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);',
    bad: 'DROP INDEX users_email_idx;',
    good: 'DROP INDEX CONCURRENTLY users_email_idx;',
    fix: 'Use DROP INDEX CONCURRENTLY (one index per statement, without CASCADE), in a migration that does not run inside a transaction.',
  },
  messages: {
    plain: 'DROP INDEX {{index}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {{table}}: every read and write of {{table}} queues behind it.',
    unknownTable:
      "DROP INDEX {{index}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: every read and write of that table queues behind it.",
  },
  statementKinds: ['DropStmt'],
  statement(ctx) {
    const drop = nodeAs(ctx.statement.ast, 'DropStmt')
    if (drop?.removeType !== 'OBJECT_INDEX' || drop.concurrent) return []
    // IF EXISTS of an index that is not there locks nothing.
    const absent = absentTargets(ctx.statement.ast, ctx.schema).relations
    return (drop.objects ?? []).flatMap((object): Report[] => {
      const names = strings(nodeAs(object, 'List')?.items)
      if (absent.has(listName(names))) return []
      // The model keys indexes by their bare name (index names are unique per schema, not per table).
      const bare = names[names.length - 1] ?? '?'
      const index = qualifiedName(names.length >= 2 ? names[names.length - 2] : undefined, bare)
      const table = ctx.schema.indexes.get(bare)?.table
      const help = concurrentDrop(index, Boolean(drop.missing_ok), drop.behavior === 'DROP_CASCADE')
      if (!table) return [{ messageId: 'unknownTable', data: { index }, help }]
      return [{ messageId: 'plain', data: { index, table }, table, help }]
    })
  },
})

function concurrentDrop(index: string, ifExists: boolean, cascade: boolean): string {
  const statement = `DROP INDEX CONCURRENTLY ${ifExists ? 'IF EXISTS ' : ''}${quoteQualified(index)};`
  const note = cascade ? ' CONCURRENTLY does not allow CASCADE: drop the objects that depend on the index first.' : ''
  return `${statement} — in a migration that does not run inside a transaction.${note}`
}
