import rule from '../../rules/disable-trigger-all.js'
import { runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts);'

runRule(rule, {
  valid: [
    { name: 'DISABLE TRIGGER USER keeps the foreign keys', setup, sql: 'ALTER TABLE comments DISABLE TRIGGER USER;' },
    { name: 'a named trigger', setup, sql: 'ALTER TABLE comments DISABLE TRIGGER comments_touch;' },
    { name: 'enabling them all', setup, sql: 'ALTER TABLE comments ENABLE TRIGGER ALL;' },
  ],
  invalid: [
    {
      name: "lemmy's bulk update between DISABLE and ENABLE TRIGGER ALL",
      setup,
      sql: 'UPDATE comments SET post_id = post_id;\n  ALTER TABLE comments DISABLE TRIGGER ALL;\nALTER TABLE comments ENABLE TRIGGER ALL;',
      findings: [{ messageId: 'disableAll', line: 2, column: 3, endLine: 2, endColumn: 43 }],
    },
    {
      name: 'one finding per table, among other commands',
      setup,
      sql: 'ALTER TABLE posts DISABLE TRIGGER ALL;\nALTER TABLE comments ADD COLUMN x int, DISABLE TRIGGER ALL;',
      findings: [
        { messageId: 'disableAll', line: 1, column: 1 },
        { messageId: 'disableAll', line: 2, column: 1 },
      ],
    },
  ],
})
