import { defineRule } from '../src/engine/rule.js'

// Raised by `migrate-lint verify`: up, down in reverse, compare with the schema before the release, up again.
export default defineRule({
  id: 'verify-round-trip-mismatch',
  category: 'hygiene',
  severity: 'error',
  summary: 'verify: running the release\'s down migrations does not bring back the schema as it was before the release, or up fails after them.',
  docs: {
    why:
      'A down migration is the way back when a release goes wrong. One that forgets an index, a constraint or a ' +
      'default leaves a schema that no release was ever tested against, and the next deploy\'s up fails on the ' +
      'leftover ("relation already exists"). verify runs the release\'s ups, then its downs in reverse, compares ' +
      'the schema from pg_catalog (tables, columns, types, nullability, defaults, constraints, indexes) with the ' +
      'one before the release, and runs the ups again.',
    examples: 'file-names',
    bad:
      'migrations/006_email_idx.up.sql     CREATE INDEX users_email_idx ON users (email);\n' +
      'migrations/006_email_idx.down.sql   -- nothing',
    good:
      'migrations/006_email_idx.up.sql     CREATE INDEX users_email_idx ON users (email);\n' +
      'migrations/006_email_idx.down.sql   DROP INDEX users_email_idx;',
    fix: 'Make the down migration undo exactly what the up does, in reverse order.',
  },
  messages: {
    mismatch: 'After the down migrations, {{difference}}.{{upAgain}}',
    mismatches: 'After the down migrations, {{count}} objects differ from the schema before the release: {{differences}}.{{upAgain}}',
    upAgainFailed: 'Running {{file}} again after the down migrations fails here: {{error}}. The down does not undo what the up did.',
  },
})
