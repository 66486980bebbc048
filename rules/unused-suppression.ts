import { defineRule } from '../src/engine/rule.js'

// Raised when suppressions are applied (src/engine/suppressions.ts), after every rule has run.
export default defineRule({
  id: 'unused-suppression',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A disable comment that suppressed nothing, or names a rule that does not exist.',
  docs: {
    why:
      'A suppression that no longer matches a finding hides nothing today but will silently hide a real problem ' +
      'the next time someone edits the statement below it. A misspelt rule id never suppressed anything.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: '-- migrate-lint-disable-next-line not-null-without-default -- filled by the app\nALTER TABLE users ADD COLUMN email text;',
    good: '-- migrate-lint-disable-next-line not-null-without-default -- table is empty in every environment\nALTER TABLE users ADD COLUMN email text NOT NULL;',
    fix: 'Remove the comment, or move it right above the statement it is meant for.',
  },
  messages: {
    unused: 'The suppression of {{rule}} suppressed nothing.',
  },
})
