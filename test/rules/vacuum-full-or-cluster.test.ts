import { expect, it } from 'vitest'
import rule from '../../rules/vacuum-full-or-cluster.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);\nCREATE TABLE users (id bigint PRIMARY KEY);'

runRule(rule, {
  valid: [
    { setup, sql: 'VACUUM events;' },
    { setup, sql: 'VACUUM (ANALYZE, VERBOSE) events;' },
    { setup, sql: 'VACUUM ANALYZE events;' },
    { setup, sql: 'ANALYZE events;' },
    { name: 'FULL switched off', setup, sql: 'VACUUM (FULL false) events;' },
    { name: 'FULL 0', setup, sql: 'VACUUM (FULL 0) events;' },
    { name: 'table created in the same migration', sql: 'CREATE TABLE t (id int);\nVACUUM FULL t;' },
    { name: 'a materialized view made in the same migration', setup, sql: 'CREATE MATERIALIZED VIEW ev AS SELECT id FROM events;\nCREATE INDEX ev_id ON ev (id);\nCLUSTER ev USING ev_id;' },
    { name: 'tables created earlier in the release', earlierInRelease: 'CREATE TABLE t (id int);\nCREATE TABLE u (id int);', sql: 'VACUUM FULL t, u;\nCLUSTER t USING t_pkey;' },
  ],
  invalid: [
    { setup, sql: 'VACUUM FULL events;', findings: [{ messageId: 'vacuumFull', line: 1, column: 1, endLine: 1, endColumn: 19 }] },
    {
      name: 'option list, multi-line at a later line',
      setup,
      sql: 'SELECT 1;\n\n  VACUUM (FULL, ANALYZE)\n    events;',
      findings: [{ messageId: 'vacuumFull', line: 3, column: 3, endLine: 4, endColumn: 11 }],
    },
    { name: 'FULL true', setup, sql: 'VACUUM (FULL true) public.events;', findings: [{ messageId: 'vacuumFull', line: 1, column: 1 }] },
    { name: 'several tables', setup, sql: 'VACUUM FULL events, users;', findings: [{ messageId: 'vacuumFull', line: 1, column: 1 }] },
    { name: 'the whole database', sql: 'VACUUM FULL;', findings: [{ messageId: 'vacuumFullAll', line: 1, column: 1 }] },
    { name: 'CLUSTER', setup, sql: 'CLUSTER events USING events_pkey;', findings: [{ messageId: 'cluster', line: 1, column: 1 }] },
    { name: 'CLUSTER VERBOSE, schema-qualified', setup, sql: 'CLUSTER VERBOSE public.events;', findings: [{ messageId: 'cluster', line: 1, column: 1 }] },
    { name: 'CLUSTER of every clustered table', sql: 'CLUSTER;', findings: [{ messageId: 'clusterAll', line: 1, column: 1 }] },
    { name: 'table unknown to the migrations', sql: 'VACUUM FULL legacy;', findings: [{ messageId: 'vacuumFull', line: 1, column: 1 }] },
  ],
})

it('lists only the tables that existed before the release', () => {
  const [finding] = lintCase({ setup, earlierInRelease: 'CREATE TABLE t (id int);', sql: 'VACUUM FULL t, events;' }, [rule])
  expect(finding.message).toBe('VACUUM FULL events rewrites events under an ACCESS EXCLUSIVE lock: reads and writes wait until the whole copy is done.')
  expect(finding.help).toContain('pg_repack (--table=events)')
})

it('is an error on a large table', () => {
  const [finding] = lintCase({ setup, sql: 'CLUSTER events;', config: { tables: { events: { large: true } } } }, [rule])
  expect(finding.severity).toBe('error')
})
