import { defineRule } from '../src/engine/rule.js'

export default defineRule({
  id: 'unparsed-statement',
  category: 'hygiene',
  severity: 'error',
  summary: 'A statement Postgres cannot parse, or a piece of the file that is no SQL: the deploy fails there, and nothing in it was checked.',
  docs: {
    why:
      'migrate-lint reads migrations with the real Postgres grammar. A statement it cannot parse is rejected by ' +
      'Postgres too (or uses syntax of another database, or a template placeholder): the deploy itself fails at ' +
      'that statement, and none of the safety rules could check it, so the release cannot be called revert-safe. ' +
      'The same goes for what only psql understands — meta-commands such as \\set, the rows after COPY … FROM stdin, ' +
      'a NUL byte: every other runner sends the file to the server, which rejects them.',
    bad: 'ALTER TABLE users ADD COLUMN email;',
    good: 'ALTER TABLE users ADD COLUMN email text;',
    fix: 'Fix the statement so Postgres accepts it; the error shows where the parser stopped.',
  },
  messages: {
    unparsed: 'Postgres cannot parse this statement: {{error}}.',
    fileNotRead: 'This file was not parsed: {{error}}.',
    copyData:
      'These lines are {{error}}: nothing in them is checked. psql loads them as rows; a runner that sends the file ' +
      'to the server as queries fails on COPY … FROM stdin.',
    psqlMetaCommand:
      'This line is {{error}}: psql runs it itself and reads the next statement; any other runner sends it to the ' +
      'server, which rejects it, and the deploy fails.',
    binaryData: 'This line holds {{error}}: from there to the end of the line is not SQL and was not checked; the statements around it were.',
  },
  migration(ctx) {
    const statements = [...ctx.migration.up, ...(ctx.migration.down ?? [])]
    return statements
      .filter(s => s.parseError !== null)
      .map(s => {
        const data = { error: s.parseError ?? '' }
        switch (s.notSql) {
          case 'copyData':
            return { messageId: 'copyData', data, loc: s.loc, help: 'Run the migration with psql, or load the rows with INSERT … VALUES (or a COPY from a file the server reads).' }
          case 'psqlMetaCommand':
            return { messageId: 'psqlMetaCommand', data, loc: s.loc, help: 'Leave psql commands out of migrations unless psql runs them (then suppress this with that reason).' }
          case 'binary':
            return { messageId: 'binaryData', data, loc: s.loc, help: 'Remove the binary bytes; keep migrations as UTF-8 text.' }
        }
        // A binary or oversized file yields one placeholder statement with no text: not a SQL mistake.
        return s.sql === ''
          ? { messageId: 'fileNotRead', data, loc: s.loc, help: 'Keep migrations as SQL text; split a file over the size limit or raise "maxFileMB" in the config.' }
          : { messageId: 'unparsed', data, loc: s.loc }
      })
  },
})
