import { defineRule, type Rule } from '../src/engine/rule.js'
import { typeReports } from '../src/sql/declared-types.js'

interface NarrowInteger {
  id: string
  /** The narrow types as Postgres names them, each with its 64-bit counterpart. */
  wider: Record<string, string>
  summary: string
  why: string
  bad: string
  good: string
  message: string
}

/** squawk's prefer-bigint-over-int and prefer-bigint-over-smallint: one check, told apart by the types they name. */
export function narrowIntegerRule(spec: NarrowInteger): Rule {
  return defineRule({
    id: spec.id,
    category: 'style',
    severity: 'warning',
    summary: spec.summary,
    docs: { why: spec.why, bad: spec.bad, good: spec.good, fix: 'Declare the column bigint (bigserial, or bigint GENERATED … AS IDENTITY, for a sequence).' },
    messages: { type: spec.message },
    statementKinds: ['CreateStmt', 'AlterTableStmt'],
    statement: ctx => typeReports(ctx.statement.ast, type => type.name in spec.wider, type => spec.wider[type.name] + (type.array ? '[]' : '')),
  })
}

export default narrowIntegerRule({
  id: 'prefer-bigint-over-int',
  wider: { int4: 'bigint', serial: 'bigserial', serial4: 'bigserial' },
  summary: 'A column declared int / integer / serial (32 bits): bigint / bigserial does not run out (squawk\'s rule, off by default).',
  why:
    'A 32-bit integer stops at 2,147,483,647. An id or a counter that reaches it makes every insert fail, and ' +
    'widening the column then rewrites the table under an ACCESS EXCLUSIVE lock, with a change of type in every ' +
    'table that references it. bigint costs four bytes more per row and never gets there.',
  bad: 'CREATE TABLE posts (id serial PRIMARY KEY, views integer);',
  good: 'CREATE TABLE posts (id bigserial PRIMARY KEY, views bigint);',
  message: '{{table}}.{{column}} is {{type}}, a 32-bit integer: at 2,147,483,647 inserts fail, and widening it later rewrites the table.',
})
