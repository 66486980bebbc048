import { defineRule } from '../src/engine/rule.js'
import { alterTableCommands } from '../src/sql/statements.js'

// DISABLE TRIGGER ALL switches off the internal triggers that enforce foreign keys along with the
// user's own (checked on Postgres 17/18 via PGlite: a row with a dangling reference goes in while they
// are off, and ENABLE TRIGGER ALL accepts it without a look). On a table with foreign keys it needs
// superuser ("… is a system trigger" for the owner). No peer lints it; the danger is real, so a warning.
// DISABLE TRIGGER USER and a named trigger keep the foreign keys and stay silent.
export default defineRule({
  id: 'disable-trigger-all',
  category: 'hygiene',
  severity: 'warning',
  summary: 'ALTER TABLE … DISABLE TRIGGER ALL, which switches off foreign-key enforcement too.',
  docs: {
    why:
      'ALL includes the internal triggers that enforce foreign keys, on the referencing and on the referenced ' +
      'side. While they are off, rows that point at nothing (or parents whose children remain) are written ' +
      'without an error, and ENABLE TRIGGER ALL does not check the rows written meanwhile: the broken ' +
      'references stay until a query trips over them. On a table with foreign keys it also needs superuser, ' +
      'which managed Postgres does not hand out, so the migration fails there.',
    setup: 'CREATE TABLE posts (id bigint PRIMARY KEY);\nCREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts);',
    bad: 'ALTER TABLE comments DISABLE TRIGGER ALL;\nUPDATE comments SET post_id = post_id;\nALTER TABLE comments ENABLE TRIGGER ALL;',
    good: 'ALTER TABLE comments DISABLE TRIGGER USER;\nUPDATE comments SET post_id = post_id;\nALTER TABLE comments ENABLE TRIGGER USER;',
    fix:
      "DISABLE TRIGGER USER switches off the table's own triggers and keeps the foreign keys enforced; name the " +
      'trigger to switch off just that one.',
  },
  messages: {
    disableAll:
      'ALTER TABLE {{table}} DISABLE TRIGGER ALL switches off its foreign-key triggers too: rows written until they are ' +
      'enabled again are not checked against the foreign keys, and enabling them does not check them afterwards; ' +
      'with foreign keys it needs superuser.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    return alterTableCommands(ctx.statement.ast)
      .filter(({ cmd }) => cmd.subtype === 'AT_DisableTrigAll')
      .map(({ table }) => ({
        messageId: 'disableAll',
        data: { table },
        help: `Use ALTER TABLE ${table} DISABLE TRIGGER USER (and ENABLE TRIGGER USER after): the foreign keys stay enforced.`,
      }))
  },
})
