import type { Constraint } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import type { Report } from '../src/engine/rule.js'
import { strings } from '../src/sql/ast.js'
import { addedConstraints } from '../src/sql/statements.js'
import { columnList, generatedName, quoteIdent, quoteQualified } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'add-unique-constraint',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD CONSTRAINT … UNIQUE on an existing table builds its index under an ACCESS EXCLUSIVE lock.',
  docs: {
    why:
      'ADD CONSTRAINT … UNIQUE (and ADD COLUMN … UNIQUE) builds the unique index while holding an ACCESS ' +
      'EXCLUSIVE lock on the table: no query can read or write it until the whole index is built, minutes on a ' +
      'large table. Building the index with CREATE UNIQUE INDEX CONCURRENTLY first and then attaching it with ' +
      'ADD CONSTRAINT … UNIQUE USING INDEX takes that lock only for an instant.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    good:
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n' +
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;',
    fix:
      'Build the index with CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction), then attach it with ' +
      'ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX ….',
  },
  messages: {
    constraint:
      'ADD CONSTRAINT {{constraint}} UNIQUE {{columns}} on {{table}} builds its unique index under an ACCESS EXCLUSIVE lock: reads and writes of {{table}} wait for the whole build.',
    column:
      'ADD COLUMN {{table}}.{{column}} UNIQUE builds a unique index under an ACCESS EXCLUSIVE lock: reads and writes of {{table}} wait for the whole build.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return addedConstraints(ctx.statement.ast)
      .filter(({ constraint }) => constraint.contype === 'CONSTR_UNIQUE' && !constraint.indexname)
      .filter(({ table }) => ctx.existedBeforeRelease(table))
      .map(({ table, constraint, column }): Report => {
        const columns = column !== undefined ? [column] : strings(constraint.keys)
        const name = constraint.conname ?? generatedName(table, columns, 'key')
        const steps = concurrentSteps(table, name, columns, constraint)
        if (column !== undefined) {
          const add = `ALTER TABLE ${quoteQualified(table)} ADD COLUMN ${quoteIdent(column)} …;  -- without UNIQUE`
          return { messageId: 'column', data: { table, column }, table, help: `${add}\n${steps}` }
        }
        const data = { constraint: constraint.conname ?? '(unnamed)', columns: columnList(columns), table }
        return { messageId: 'constraint', data, table, help: steps }
      })
  },
})

function concurrentSteps(table: string, name: string, columns: string[], c: Constraint): string {
  const index = quoteIdent(name)
  const nulls = c.nulls_not_distinct ? ' NULLS NOT DISTINCT' : ''
  const included = strings(c.including)
  const include = included.length ? ` INCLUDE ${columnList(included)}` : ''
  const deferrable = c.deferrable ? (c.initdeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE') : ''
  return (
    `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON ${quoteQualified(table)} ${columnList(columns)}${include}${nulls};  -- outside a transaction\n` +
    `ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${index} UNIQUE USING INDEX ${index}${deferrable};`
  )
}
