import { defineRule } from '../src/engine/rule.js'
import { addedConstraints } from '../src/sql/statements.js'

export default defineRule({
  id: 'add-exclusion-constraint',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD CONSTRAINT … EXCLUDE on an existing table builds its index and checks every row under ACCESS EXCLUSIVE.',
  docs: {
    why:
      'An exclusion constraint is enforced by an index that Postgres builds, and checks every existing row against, ' +
      'while it holds an ACCESS EXCLUSIVE lock on the table: no reads, no writes for as long as the build takes. ' +
      'Unlike a unique constraint it cannot be attached to an index built CONCURRENTLY beforehand (no USING INDEX), ' +
      'and it has no NOT VALID.',
    setup: 'CREATE TABLE bookings (id bigint PRIMARY KEY, room int, during tstzrange);',
    bad: 'ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);',
    good:
      '-- declare it when the table is made, before it holds rows:\n' +
      'CREATE TABLE bookings_v2 (id bigint PRIMARY KEY, room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));',
    fix:
      'Declare the exclusion constraint when the table is created. On a table with rows, add it at a quiet time ' +
      "with SET lock_timeout = '5s'; and expect reads and writes to wait for the whole index build.",
  },
  messages: {
    exclusion:
      'ADD CONSTRAINT {{constraint}} EXCLUDE on {{table}} builds its index and checks every row under an ACCESS ' +
      'EXCLUSIVE lock: reads and writes of {{table}} wait for the whole build, and there is no concurrent way to add it.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return addedConstraints(ctx.statement.ast)
      .filter(({ constraint }) => constraint.contype === 'CONSTR_EXCLUSION')
      .map(({ table, constraint }) => ({ messageId: 'exclusion', data: { table, constraint: constraint.conname ?? '(unnamed)' }, table }))
  },
})
