// The smallest inputs behind the bugs the fuzz properties found, kept as plain examples so that each
// stays fixed whatever the seed. Before each fix the result was the one in the comment.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser, parseSql } from '../../src/parse/sql.js'
import { SourceText } from '../../src/parse/source-text.js'
import { splitWithScanner } from '../../src/parse/split.js'

beforeAll(() => loadParser())

const brief = (text: string) =>
  parseSql(new SourceText('m.sql', text), { inTransaction: false }).map(s => ({
    at: `${s.loc.line}:${s.loc.column}`,
    kind: s.ast ? Object.keys(s.ast)[0] : 'unparsed',
  }))

describe('found by fuzzing', () => {
  it('a text of characters JavaScript calls blank but Postgres rejects is one unparsed statement', () => {
    // Was []: trim() dropped U+2028, U+00A0 and the BOM, so the file counted as empty.
    expect(brief('\u2028')).toEqual([{ at: '1:1', kind: 'unparsed' }])
    expect(brief('\u00a0\n')).toEqual([{ at: '1:1', kind: 'unparsed' }])
    expect(brief('\ufeff')).toEqual([{ at: '1:1', kind: 'unparsed' }])
  })

  it('a vertical tab is whitespace, as in Postgres', () => {
    // Was two statements: the tab before `;` became an unparsed statement "no statement found".
    expect(brief("\v;SELECT 'oops")).toEqual([{ at: '1:3', kind: 'unparsed' }])
  })

  it('does not split a BEGIN ATOMIC body when another statement of the file is broken', () => {
    // Was: a broken CREATE FUNCTION, a phantom `SELECT 2` and `END` read as COMMIT.
    const text = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\nSELEC 3;'
    expect(brief(text)).toEqual([
      { at: '1:1', kind: 'CreateFunctionStmt' },
      { at: '6:1', kind: 'unparsed' },
    ])
  })

  it('reads `$` inside an identifier as part of it, not as a dollar quote, when the lexer gives up', () => {
    // Was two statements: `$b$` inside a$b$c opened a dollar quote that the next `$b$` closed.
    expect(brief("SELECT a$b$c FROM t;\nSELECT 1;\nSELECT 'oops")).toEqual([
      { at: '1:1', kind: 'SelectStmt' },
      { at: '2:1', kind: 'SelectStmt' },
      { at: '3:1', kind: 'unparsed' },
    ])
  })

  it('keeps a dollar quote whose closing tag straddles the end of the range inside the range', () => {
    // Was { start: 0, end: 16 }, one byte past the range.
    expect(splitWithScanner(Buffer.from('SELECT $a$ x $a$'), { start: 0, end: 15 })).toEqual([{ start: 0, end: 15 }])
  })
})
