import { defineRule, type Report } from '../src/engine/rule.js'
import { nodeAs, relationName } from '../src/sql/ast.js'
import { appendClause } from '../src/sql/lock-safe-ddl.js'
import { alterTableCommands } from '../src/sql/statements.js'

/** DETACH PARTITION … CONCURRENTLY exists from this major version on. */
const CONCURRENT_DETACH_VERSION = 14

export default defineRule({
  id: 'detach-partition-non-concurrently',
  category: 'locking',
  severity: 'warning',
  summary: 'ALTER TABLE … DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table.',
  docs: {
    why:
      'A plain DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned table and on the partition: it ' +
      'waits for every running query on any partition, and meanwhile every read and write of the whole table ' +
      'queues behind it. DETACH PARTITION … CONCURRENTLY (Postgres 14+) takes SHARE UPDATE EXCLUSIVE instead and ' +
      'lets queries run while it waits for them.',
    setup: "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');",
    bad: 'ALTER TABLE events DETACH PARTITION events_2020;',
    good: 'ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;',
    fix:
      'Use DETACH PARTITION … CONCURRENTLY (Postgres 14+), in a migration that does not run inside a transaction ' +
      '(it fails in one, and when the table has a default partition).',
  },
  messages: {
    plain:
      'DETACH PARTITION {{partition}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {{table}}: every read ' +
      'and write of {{table}}, on any partition, queues behind it.',
    noConcurrentOption:
      'DETACH PARTITION {{partition}} takes an ACCESS EXCLUSIVE lock on {{table}}: every read and write of {{table}}, ' +
      'on any partition, queues behind it (Postgres {{version}} has no CONCURRENTLY; 14 has).',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    const commands = alterTableCommands(ctx.statement.ast)
    for (const { table, cmd } of commands) {
      const detach = cmd.subtype === 'AT_DetachPartition' ? nodeAs(cmd.def, 'PartitionCmd') : undefined
      if (!detach || detach.concurrent) continue
      const data = { table, partition: relationName(detach.name) }
      if (ctx.config.postgresVersion < CONCURRENT_DETACH_VERSION) {
        const help = `Detach at a quiet time, with SET lock_timeout = '5s'; so that it gives up instead of queueing every query on ${table}.`
        reports.push({ messageId: 'noConcurrentOption', data: { ...data, version: ctx.config.postgresVersion }, table, help })
        continue
      }
      const statement = commands.length === 1 ? `${appendClause(ctx.statement.sql.replace(/;\s*$/, ''), 'CONCURRENTLY')};` : `ALTER TABLE ${table} DETACH PARTITION ${data.partition} CONCURRENTLY;`
      reports.push({ messageId: 'plain', data, table, help: `${statement} — in a migration that does not run inside a transaction.` })
    }
    return reports
  },
})
