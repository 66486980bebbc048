import { defineRule } from '../src/engine/rule.js'
import { reachBeyondDatabase } from '../src/sql/cluster-wide.js'

// Revert-safety: what such a statement changes lies outside the database the release's migrations
// own, so no down migration and no restore of that database takes it back, and the previous release's
// code meets it on a revert (a role's settings, its grants, another database, the server's config).
// `migrate-lint verify` never runs one (src/verify/refusal.ts).
export default defineRule({
  id: 'cluster-wide-statement',
  category: 'revert-safety',
  severity: 'error',
  summary: 'A statement that acts beyond the database: other databases, roles, tablespaces, server settings, files, programs, other sessions or servers.',
  docs: {
    why:
      'A migration belongs to one database, and so does everything that undoes it: its down migration, a restore ' +
      'of that database. A statement that reaches beyond it (DROP or ALTER DATABASE, CREATE/ALTER/DROP ROLE, GRANT ' +
      'of a role, ALTER SYSTEM, a tablespace, COPY to or from a server file or program, pg_read_file(), lo_export(), ' +
      'dblink, pg_terminate_backend(), SET ROLE, a function in an untrusted language) changes what every database ' +
      'and every application on the server shares; reverting the release leaves it in place, and the previous ' +
      "release's code then runs under settings, grants or roles it never knew. Such statements also need rights a " +
      "migration's role should not hold, and `migrate-lint verify` refuses to run them.",
    bad: "ALTER ROLE app SET statement_timeout = '5s';",
    good: "SET statement_timeout = '5s';",
    fix:
      "Make the change outside the migrations, as the server's administrator, reviewed on its own (roles, grants of " +
      'roles, databases and server settings belong to the infrastructure code); in a migration, act only on the ' +
      "database's own objects, with settings for its own session (SET, SET LOCAL).",
  },
  messages: {
    reaches: '{{what}} acts beyond this database, on {{reaches}}: no down migration or restore of the database undoes it, and verify does not run it.',
  },
  statement(ctx) {
    // The statements a DO block runs are linted on their own (Statement.inner).
    const reach = reachBeyondDatabase(ctx.statement.ast, ctx.statement.sql, { statementsInDo: false })
    return reach ? [{ messageId: 'reaches', data: { what: reach.what, reaches: reach.reaches } }] : []
  },
})
