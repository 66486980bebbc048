import { defineRule } from '../src/engine/rule.js'

// Raised when suppressions are applied (src/engine/suppressions.ts). The suppression still applies:
// the finding about it is the one thing to fix.
export default defineRule({
  id: 'suppression-without-reason',
  category: 'hygiene',
  severity: 'error',
  summary: 'A disable comment without `-- <reason>`: every suppression must say why it is safe.',
  docs: {
    why:
      'A suppression is a claim that the migration is safe despite the rule. Without the reason, the next reader ' +
      '(or reviewer of a revert at 3 a.m.) cannot check the claim.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: '-- migrate-lint-disable-next-line not-null-without-default\nALTER TABLE users ADD COLUMN email text NOT NULL;',
    good: '-- migrate-lint-disable-next-line not-null-without-default -- table is empty in every environment\nALTER TABLE users ADD COLUMN email text NOT NULL;',
    fix: 'Add the reason after a double dash: -- migrate-lint-disable-next-line <rule-id> -- <why it is safe>',
  },
  messages: {
    noReason: 'The suppression of {{rules}} gives no reason.',
  },
})
