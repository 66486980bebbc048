// What psql reads as no SQL (issue 12): COPY rows, meta-command lines, a NUL byte. Each becomes a
// statement of its own at its exact place, and never swallows the statement next to it. Checked against
// psql 15 on a real server (see src/parse/psql-script.ts).
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser, parseSql } from '../../src/parse/sql.js'
import { SourceText } from '../../src/parse/source-text.js'

beforeAll(() => loadParser())

/** `line:column-endLine:endColumn kind`, kind the AST's or what the piece is. */
const brief = (text: string) =>
  parseSql(new SourceText('m.sql', text), { inTransaction: false }).map(
    s => `${s.loc.line}:${s.loc.column}-${s.loc.endLine}:${s.loc.endColumn} ${s.notSql ?? (s.ast ? Object.keys(s.ast)[0] : 'unparsed')}`,
  )

const cases: { name: string; text: string; statements: string[] }[] = [
  {
    name: 'pg_dump COPY: the rows up to \\. are one piece, the statement after it is parsed',
    text: 'CREATE TABLE a (x int, y text);\nCOPY a (x, y) FROM stdin;\n1\tfoo\n2\tbar;\n\\.\nCREATE TABLE b (x int);\n',
    statements: ['1:1-1:31 CreateStmt', '2:1-2:25 CopyStmt', '3:1-5:3 copyData', '6:1-6:23 CreateStmt'],
  },
  {
    name: 'rows whose lines start with a backslash (\\N) are rows, not meta-commands',
    text: 'COPY a FROM stdin;\n\\N\t1\n\\.\r\nSELECT 1;',
    statements: ['1:1-1:18 CopyStmt', '2:1-3:3 copyData', '4:1-4:9 SelectStmt'],
  },
  {
    name: 'COPY … FROM stdin without \\.: psql reads every line to the end of the file as a row',
    text: 'COPY a FROM STDIN WITH (FORMAT csv);\nCREATE TABLE c (x int);\n',
    statements: ['1:1-1:36 CopyStmt', '2:1-2:24 copyData'],
  },
  {
    name: 'COPY from a file or to stdout has no rows in the file',
    text: "COPY a FROM '/tmp/a.csv';\nCOPY a TO stdout;\nSELECT 1;",
    statements: ['1:1-1:25 CopyStmt', '2:1-2:17 CopyStmt', '3:1-3:9 SelectStmt'],
  },
  {
    name: 'a COPY … FROM stdin that ends the file has no rows',
    text: 'COPY a FROM stdin;\n',
    statements: ['1:1-1:18 CopyStmt'],
  },
  {
    name: '\\copy … from stdin reads its rows from the file too',
    text: '\\copy a from stdin\n1\n\\.\nSELECT 1;',
    statements: ['1:1-1:19 psqlMetaCommand', '2:1-3:3 copyData', '4:1-4:9 SelectStmt'],
  },
  {
    name: 'meta-command lines, indented ones too; the statements after them keep their place',
    text: '\\set ON_ERROR_STOP on\nCREATE TABLE a (x int);\n  \\connect other\n\\i more.sql\nALTER TABLE a ADD COLUMN y int;',
    statements: ['1:1-1:22 psqlMetaCommand', '2:1-2:23 CreateStmt', '3:3-3:17 psqlMetaCommand', '4:1-4:12 psqlMetaCommand', '5:1-5:31 AlterTableStmt'],
  },
  {
    name: 'a meta-command ends at \\\\: psql reads SQL again after it',
    text: "\\echo 'a \\\\ b' \\\\ CREATE TABLE c (x int);",
    statements: ['1:1-1:18 psqlMetaCommand', '1:19-1:41 CreateStmt'],
  },
  {
    name: 'a backslash line inside a string, a dollar quote or a comment is not a meta-command',
    text: "SELECT '\n\\set x';\nDO $$\n\\set y\n$$;\n/*\n\\set z */ SELECT 2;",
    statements: ['1:1-2:8 SelectStmt', '3:1-5:3 DoStmt', '7:11-7:19 SelectStmt'],
  },
  {
    name: 'a NUL byte after a statement: the statements before and after are parsed; the NUL to the end of its line is one piece',
    text: 'CREATE TABLE a (x int);\u0000junk\nCREATE TABLE b (x int);\u0000 CREATE TABLE d (x int);\nCREATE TABLE e (x int);',
    statements: ['1:1-1:23 CreateStmt', '1:24-1:29 binary', '2:1-2:23 CreateStmt', '2:24-2:49 binary', '3:1-3:23 CreateStmt'],
  },
  {
    name: 'other control bytes outside quotes: to the end of their line, the next statement parsed',
    text: 'SELECT 1;\u0001\u0002garbage\nSELECT 2;',
    statements: ['1:1-1:9 SelectStmt', '1:10-1:19 binary', '2:1-2:9 SelectStmt'],
  },
  {
    name: 'a control byte inside a string is the string',
    text: "SELECT '\u0001';\nSELECT 2;",
    statements: ['1:1-1:11 SelectStmt', '2:1-2:9 SelectStmt'],
  },
  {
    name: 'the word copy in a comment changes nothing',
    text: '-- copy of the old table\nSELEC 1;\nSELECT 2;',
    statements: ['2:1-2:8 unparsed', '3:1-3:9 SelectStmt'],
  },
]

describe('psql script pieces', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(brief(c.text)).toEqual(c.statements)
    })
  }

  it('says what each piece is', () => {
    const [, rows, meta, , nul] = parseSql(
      new SourceText('m.sql', 'COPY a FROM stdin;\n1\n2\n\\.\n\\set x 1\nSELECT 1;\u0000\n'),
      { inTransaction: false },
    )
    expect(rows.parseError).toBe('the rows of the COPY … FROM stdin above (2 rows, ended by \\.), not SQL')
    expect(meta.parseError).toBe('the psql meta-command \\set, not SQL')
    expect(nul.parseError).toMatch(/^a NUL byte \(psql silently drops the rest of the line after it/)
  })
})
