import { defineRule } from '../src/engine/rule.js'
import { typeReports } from '../src/sql/declared-types.js'

export default defineRule({
  id: 'prefer-text-field',
  category: 'style',
  severity: 'warning',
  summary: 'A varchar(n) column: text with a CHECK on its length can change its limit without a lock (squawk\'s rule, off by default).',
  docs: {
    why:
      'The limit of a varchar(n) is part of its type: making it smaller (or, before Postgres 9.2, larger) is an ALTER ' +
      'COLUMN … TYPE that rewrites or re-checks the table under an ACCESS EXCLUSIVE lock. text with a CHECK (length(…) ' +
      '<= n) stores the same, and its limit changes by adding a new CHECK NOT VALID and validating it, without ' +
      'blocking reads or writes.',
    bad: 'CREATE TABLE app_user (id bigint PRIMARY KEY, email varchar(100) NOT NULL);',
    good:
      'CREATE TABLE app_user (id bigint PRIMARY KEY, email text NOT NULL);\n' +
      'ALTER TABLE app_user ADD CONSTRAINT app_user_email_length CHECK (length(email) <= 100);',
    fix: 'Declare the column text and put the limit in a CHECK constraint.',
  },
  messages: {
    type: '{{table}}.{{column}} is {{type}}: changing that limit later is a type change under an ACCESS EXCLUSIVE lock; text with a CHECK on its length is not.',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  statement: ctx => typeReports(ctx.statement.ast, type => type.name === 'varchar' && type.mods.length > 0, type => `text${type.array ? '[]' : ''} with a CHECK on its length`),
})
