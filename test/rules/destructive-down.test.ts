import rule from '../../rules/destructive-down.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: '-- migrate:up\nCREATE TABLE audit (id int);\n-- migrate:down\nDROP TABLE audit;' },
    { sql: '-- migrate:up\nALTER TABLE users ADD COLUMN nick text;\n-- migrate:down\nALTER TABLE users DROP COLUMN nick;' },
    { name: 'no down at all is another rule', sql: '-- migrate:up\nALTER TABLE users RENAME COLUMN a TO b;' },
  ],
  invalid: [
    {
      sql: '-- migrate:up\nALTER TABLE users RENAME COLUMN name TO full_name;\n-- migrate:down\nALTER TABLE users DROP COLUMN full_name;',
      findings: [{ messageId: 'column', line: 4, column: 1, endLine: 4, endColumn: 40 }],
    },
    {
      sql: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\nDROP TABLE users;',
      findings: [{ messageId: 'table', line: 5, column: 1 }],
    },
  ],
})
