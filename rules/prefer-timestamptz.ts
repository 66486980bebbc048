import { defineRule } from '../src/engine/rule.js'
import { typeReports } from '../src/sql/declared-types.js'

export default defineRule({
  id: 'prefer-timestamptz',
  category: 'style',
  severity: 'warning',
  summary: 'A timestamp (without time zone) column: timestamptz keeps the instant (squawk\'s rule, off by default).',
  docs: {
    why:
      'timestamp drops the offset of what it is given: 21:11+02 and 21:11-06 are both stored as 21:11, eight hours ' +
      'apart in reality and equal in the table. What it means then depends on the time zone of every client that ' +
      'wrote it. timestamptz stores the instant and shows it in the reader\'s time zone.',
    bad: 'CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamp NOT NULL);',
    good: 'CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);',
    fix: 'Declare the column timestamptz (timestamp with time zone).',
  },
  messages: {
    type: '{{table}}.{{column}} is {{type}} without time zone: the offset of every value written is dropped, so instants from different zones mix.',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  statement: ctx =>
    typeReports(
      ctx.statement.ast,
      type => type.name === 'timestamp',
      type => `timestamptz${type.mods.length ? `(${type.mods[0]})` : ''}${type.array ? '[]' : ''}`,
    ),
})
