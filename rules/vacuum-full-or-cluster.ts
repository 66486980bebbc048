import type { RangeVar } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import type { Report, StatementContext } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'
import { optionEnabled, quoteQualified } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'vacuum-full-or-cluster',
  category: 'locking',
  severity: 'warning',
  summary: 'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock.',
  docs: {
    why:
      'VACUUM FULL and CLUSTER copy the whole table into a new file and rebuild every index, holding an ACCESS ' +
      'EXCLUSIVE lock all the while: no query can read or write the table until the copy is done, which on a ' +
      'large table is minutes to hours, and the copy needs as much free disk again. Without a table they do ' +
      'this to every table in the database, one after the other.',
    setup: 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);',
    bad: 'VACUUM FULL events;',
    good: '-- reclaim the space online instead, outside the migrations: pg_repack --table=events <database>\nVACUUM (ANALYZE) events;',
    fix: 'Rewrite the table online with pg_repack or pg_squeeze, run by hand outside the migrations; a plain VACUUM makes the space reusable without the lock.',
  },
  messages: {
    vacuumFull:
      'VACUUM FULL {{tables}} rewrites {{tables}} under an ACCESS EXCLUSIVE lock: reads and writes wait until the whole copy is done.',
    vacuumFullAll:
      'VACUUM FULL without a table rewrites every table of the database, each under an ACCESS EXCLUSIVE lock that stops its reads and writes.',
    cluster:
      'CLUSTER {{tables}} rewrites {{tables}} in index order under an ACCESS EXCLUSIVE lock: reads and writes wait until the whole copy is done.',
    clusterAll:
      'CLUSTER without a table rewrites every table clustered before, each under an ACCESS EXCLUSIVE lock that stops its reads and writes.',
  },
  statementKinds: ['VacuumStmt', 'ClusterStmt'],
  statement(ctx) {
    const vacuum = nodeAs(ctx.statement.ast, 'VacuumStmt')
    if (vacuum && optionEnabled(vacuum.options, 'full')) {
      const relations = (vacuum.rels ?? []).map(r => nodeAs(r, 'VacuumRelation')?.relation)
      return rewrite(ctx, relations, 'vacuumFull', 'vacuumFullAll')
    }
    const cluster = nodeAs(ctx.statement.ast, 'ClusterStmt')
    if (cluster) return rewrite(ctx, cluster.relation ? [cluster.relation] : [], 'cluster', 'clusterAll')
    return []
  },
})

function rewrite(ctx: StatementContext, relations: (RangeVar | undefined)[], named: string, all: string): Report[] {
  if (relations.length === 0) return [{ messageId: all }]
  const tables = relations.map(relationName)
  const existing = tables.filter(t => ctx.existedBeforeRelease(t))
  // Tables made in this release are empty and unused: rewriting them blocks nobody.
  if (existing.length === 0) return []
  const help =
    `Rewrite online with pg_repack (${existing.map(t => `--table=${quoteQualified(t)}`).join(' ')}) or pg_squeeze, ` +
    'by hand outside the migrations; a plain VACUUM makes dead space reusable without the lock.'
  const report: Report = { messageId: named, data: { tables: existing.join(', ') }, help }
  return [tables.length === 1 ? { ...report, table: tables[0] } : report]
}
