import rule from '../../rules/irreversible-migration.js'
import { runRule } from '../rule-tester.js'

runRule(rule, {
  valid: [
    { sql: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;' },
    { name: 'single-file layouts have no down to write', sql: 'CREATE TABLE a (id int);' },
    { name: 'an empty up needs no down', sql: '-- migrate:up\n-- nothing yet\n' },
  ],
  invalid: [
    { sql: '-- migrate:up\nCREATE TABLE a (id int);', findings: [{ messageId: 'noDown', line: 1, column: 1 }] },
    { sql: '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\n-- TODO\n', findings: [{ messageId: 'emptyDown', line: 1, column: 1 }] },
  ],
})
