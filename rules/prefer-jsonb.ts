import { defineRule } from '../src/engine/rule.js'
import { declaredColumns } from '../src/sql/declared-types.js'

export default defineRule({
  id: 'prefer-jsonb',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A json column: jsonb is almost always what is wanted.',
  docs: {
    why:
      'json stores the text as given and reparses it on every access; it cannot be indexed with GIN, has no ' +
      'equality operator (so DISTINCT, GROUP BY and UNION fail on it) and keeps duplicate keys. Changing the ' +
      'type later is a table rewrite under an ACCESS EXCLUSIVE lock.',
    bad: 'CREATE TABLE events (id bigint PRIMARY KEY, payload json);',
    good: 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);',
    fix: 'Use jsonb, unless the exact text (key order, duplicate keys, whitespace) must be kept.',
  },
  messages: {
    json: '{{table}}.{{column}} is json; jsonb can be indexed, compared and is faster to query.',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  statement(ctx) {
    return declaredColumns(ctx.statement.ast)
      .filter(c => c.type.name === 'json')
      .map(c => ({ messageId: 'json', data: { table: c.table, column: c.column }, help: `Declare ${c.table}.${c.column} as jsonb.` }))
  },
})
