import { expect, it } from 'vitest'
import rule from '../../rules/detach-partition-non-concurrently.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup =
  'CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\n' +
  "CREATE TABLE events_2020 PARTITION OF events FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"

runRule(rule, {
  valid: [
    { setup, sql: 'ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;' },
    { name: 'finishing an interrupted concurrent detach', setup, sql: 'ALTER TABLE events DETACH PARTITION events_2020 FINALIZE;' },
    { name: 'attaching is another matter', setup, sql: "ALTER TABLE events ATTACH PARTITION events_2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');" },
    {
      name: 'partitioned table created in the same migration',
      sql: "CREATE TABLE t (at date) PARTITION BY RANGE (at);\nCREATE TABLE t1 PARTITION OF t FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');\nALTER TABLE t DETACH PARTITION t1;",
    },
  ],
  invalid: [
    { setup, sql: 'ALTER TABLE events DETACH PARTITION events_2020;', findings: [{ messageId: 'plain', line: 1, column: 1, endLine: 1, endColumn: 48 }] },
    {
      name: 'schema-qualified, on a later line',
      setup,
      sql: 'SELECT 1;\nALTER TABLE public.events\n  DETACH PARTITION public.events_2020;',
      findings: [{ messageId: 'plain', line: 2, column: 1 }],
    },
    {
      name: 'before Postgres 14 there is no CONCURRENTLY to suggest',
      setup,
      config: { postgresVersion: 13 },
      sql: 'ALTER TABLE events DETACH PARTITION events_2020;',
      findings: [{ messageId: 'noConcurrentOption', line: 1, column: 1 }],
    },
  ],
})

it('adds CONCURRENTLY to the statement as written', () => {
  const [finding] = lintCase({ setup, sql: 'ALTER TABLE events DETACH PARTITION events_2020;' }, [rule])
  expect(finding.help).toBe('ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY; — in a migration that does not run inside a transaction.')
  expect(finding.message).toBe(
    'DETACH PARTITION events_2020 without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on events: every read and write of events, on any partition, queues behind it.',
  )
})
