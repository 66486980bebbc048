import { defineRule } from '../src/engine/rule.js'
import { dataWrite } from '../src/sql/backfills.js'
import { isSystemCatalog } from '../src/sql/system-catalog.js'

// A direct write to the system catalog (UPDATE pg_index SET indisready = false, as lemmy does to skip
// index upkeep during a bulk update) is no backfill: it edits Postgres's own bookkeeping. It needs
// superuser, which managed Postgres does not hand out, and it bypasses every check the DDL that owns
// that state would make. No peer lints it (squawk, strong_migrations, eugene); a warning under its own
// name says what it is instead of calling it a backfill (backfill-with-ddl skips it).
export default defineRule({
  id: 'system-catalog-write',
  category: 'hygiene',
  severity: 'warning',
  summary: 'UPDATE, DELETE or INSERT on a system catalog table (pg_index, pg_class, pg_catalog.*).',
  docs: {
    why:
      "The system catalogs are Postgres's own bookkeeping; DDL changes them after checking that the change is " +
      'consistent (locks, dependencies, the state of indexes and constraints). Writing to them directly skips ' +
      'all of that: UPDATE pg_index SET indisready = false stops index upkeep, and an index switched back on ' +
      'without a REINDEX silently misses the rows written meanwhile, so queries that use it return wrong ' +
      'results. It also needs superuser: managed Postgres (RDS, Cloud SQL, Azure) refuses it, so the ' +
      'migration fails there, and permission denied is the best outcome.',
    setup: 'CREATE TABLE posts (id bigint PRIMARY KEY, score int);\nCREATE INDEX posts_score ON posts (score);',
    bad:
      "UPDATE pg_index SET indisready = false WHERE indrelid = 'posts'::regclass;\n" +
      'UPDATE posts SET score = 0;\n' +
      "UPDATE pg_index SET indisready = true WHERE indrelid = 'posts'::regclass;",
    good:
      'DROP INDEX CONCURRENTLY posts_score;\n' +
      'UPDATE posts SET score = 0;\n' +
      'CREATE INDEX CONCURRENTLY posts_score ON posts (score);',
    fix:
      'Use the DDL that owns the state: to skip index upkeep during a bulk update, drop the index and create it ' +
      'again (CONCURRENTLY) afterwards; to skip triggers, ALTER TABLE … DISABLE TRIGGER USER.',
  },
  messages: {
    catalogWrite:
      "{{verb}} on the system catalog {{table}} edits Postgres's own bookkeeping directly: it needs superuser " +
      '(managed Postgres refuses it) and bypasses the checks the DDL owning that state makes.',
  },
  statementKinds: ['UpdateStmt', 'DeleteStmt', 'InsertStmt'],
  statement(ctx) {
    const target = dataWrite(ctx.statement.ast)
    if (!target || !isSystemCatalog(target.table, ctx.schema)) return []
    return [{ messageId: 'catalogWrite', data: { verb: target.verb, table: target.table } }]
  },
})
