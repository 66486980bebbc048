import { defineRule, type Report } from '../src/engine/rule.js'
import { alterTableCommands } from '../src/sql/statements.js'

export default defineRule({
  id: 'set-logged-unlogged',
  category: 'locking',
  severity: 'warning',
  summary: 'ALTER TABLE … SET LOGGED / SET UNLOGGED on an existing table rewrites it under ACCESS EXCLUSIVE.',
  docs: {
    why:
      'Switching a table between logged and unlogged copies it into a new file: Postgres rewrites every row (and ' +
      'rebuilds every index) under an ACCESS EXCLUSIVE lock, so nothing can read or write the table meanwhile. ' +
      'SET LOGGED also writes the whole table to the WAL, which every replica then replays. And an unlogged ' +
      'table is emptied after a crash and is not replicated: on a standby it is empty.',
    setup: 'CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);',
    bad: 'ALTER TABLE events SET UNLOGGED;',
    good: '-- decide when the table is made: CREATE UNLOGGED TABLE events_cache (id bigint PRIMARY KEY, payload jsonb);',
    fix:
      'Choose logged or unlogged when the table is created; to switch a table with data, create the new table ' +
      'with the other setting, copy the rows in batches, and swap the names.',
  },
  messages: {
    unlogged:
      'ALTER TABLE {{table}} SET UNLOGGED rewrites every row and index of {{table}} under an ACCESS EXCLUSIVE lock; ' +
      'afterwards {{table}} is emptied by a crash and not replicated.',
    logged:
      'ALTER TABLE {{table}} SET LOGGED rewrites every row and index of {{table}} under an ACCESS EXCLUSIVE lock, and ' +
      'writes all of it to the WAL for the replicas to replay.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const reports: Report[] = []
    for (const { table, cmd } of alterTableCommands(ctx.statement.ast)) {
      if (cmd.subtype === 'AT_SetUnLogged') reports.push({ messageId: 'unlogged', data: { table }, table })
      if (cmd.subtype === 'AT_SetLogged') reports.push({ messageId: 'logged', data: { table }, table })
    }
    return reports
  },
})
