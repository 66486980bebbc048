import { defineRule } from '../src/engine/rule.js'

export default defineRule({
  id: 'unparsed-statement',
  category: 'hygiene',
  severity: 'warning',
  summary: 'A statement Postgres cannot parse: no rule could check it.',
  docs: {
    why:
      'migrate-lint reads migrations with the real Postgres grammar. A statement it cannot parse would also be ' +
      'rejected by Postgres (or uses syntax of another database, or a template placeholder), and none of the ' +
      'safety rules could look at it.',
    bad: 'ALTER TABLE users ADD COLUMN email;',
    good: 'ALTER TABLE users ADD COLUMN email text;',
    fix: 'Fix the statement so Postgres accepts it; the error shows where the parser stopped.',
  },
  messages: {
    unparsed: 'Postgres cannot parse this statement: {{error}}.',
    fileNotRead: 'This file was not parsed: {{error}}.',
  },
  migration(ctx) {
    const statements = [...ctx.migration.up, ...(ctx.migration.down ?? [])]
    return statements
      .filter(s => s.parseError !== null)
      .map(s =>
        // A binary or oversized file yields one placeholder statement with no text: not a SQL mistake.
        s.sql === ''
          ? { messageId: 'fileNotRead', data: { error: s.parseError ?? '' }, loc: s.loc, help: 'Keep migrations as SQL text; split a file over the size limit or raise "maxFileMB" in the config.' }
          : { messageId: 'unparsed', data: { error: s.parseError ?? '' }, loc: s.loc },
      )
  },
})
