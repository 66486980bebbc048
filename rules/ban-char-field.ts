import { defineRule } from '../src/engine/rule.js'
import { typeReports } from '../src/sql/declared-types.js'

/** char(n), character(n), bpchar, and the one-byte "char" squawk's ban-char-field also names. */
const CHAR_TYPES = new Set(['bpchar', 'char'])

export default defineRule({
  id: 'ban-char-field',
  category: 'style',
  severity: 'warning',
  summary: 'A char(n) / character column: text or varchar is what is meant (squawk\'s rule, off by default).',
  docs: {
    why:
      'character(n) pads every value with spaces to n characters, ignores trailing spaces when comparing, and drops ' +
      'them when cast to text: surprises for code that compares or concatenates. Postgres stores it no faster than ' +
      'text or varchar (its docs call it usually the slowest of the three), and a bare character is character(1).',
    bad: 'CREATE TABLE app_user (id bigint PRIMARY KEY, country char(2));',
    good: 'CREATE TABLE app_user (id bigint PRIMARY KEY, country text CHECK (length(country) = 2));',
    fix: 'Declare the column text (or varchar(n)), with a CHECK if the length is fixed.',
  },
  messages: {
    type: '{{table}}.{{column}} is {{type}}: blank-padded, compared without trailing spaces, and no faster than text.',
  },
  statementKinds: ['CreateStmt', 'AlterTableStmt'],
  statement: ctx =>
    typeReports(ctx.statement.ast, type => CHAR_TYPES.has(type.name), type => (type.mods.length ? `varchar(${type.mods[0]})` : 'text') + (type.array ? '[]' : '')),
})
