import { defineRule } from '../src/engine/rule.js'
import { typeReports } from '../src/sql/declared-types.js'

/** 32-bit integer types as squawk's prefer-bigint-over-int lists them, with their 64-bit counterparts. */
const WIDER: Record<string, string> = { int4: 'bigint', serial: 'bigserial', serial4: 'bigserial' }

export default defineRule({
  id: 'prefer-bigint-over-int',
  category: 'style',
  severity: 'warning',
  summary: 'A column declared int / integer / serial (32 bits): bigint / bigserial does not run out (squawk\'s rule, off by default).',
  docs: {
    why:
      'A 32-bit integer stops at 2,147,483,647. An id or a counter that reaches it makes every insert fail, and ' +
      'widening the column then rewrites the table under an ACCESS EXCLUSIVE lock, with a change of type in every ' +
      'table that references it. bigint costs four bytes more per row and never gets there.',
    bad: 'CREATE TABLE posts (id serial PRIMARY KEY, views integer);',
    good: 'CREATE TABLE posts (id bigserial PRIMARY KEY, views bigint);',
    fix: 'Declare the column bigint (bigserial, or bigint GENERATED … AS IDENTITY, for a sequence).',
  },
  messages: {
    type: '{{table}}.{{column}} is {{type}}, a 32-bit integer: at 2,147,483,647 inserts fail, and widening it later rewrites the table.',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  statement: ctx => typeReports(ctx.statement.ast, type => type.name in WIDER, type => WIDER[type.name] + (type.array ? '[]' : '')),
})
