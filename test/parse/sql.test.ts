import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser, parseSql } from '../../src/parse/sql.js'
import { SourceText } from '../../src/parse/source-text.js'
import { splitWithScanner } from '../../src/parse/split.js'

beforeAll(() => loadParser())

const parse = (text: string, inTransaction = false) => parseSql(new SourceText('m.sql', text), { inTransaction })
const brief = (text: string) =>
  parse(text).map(s => ({ at: `${s.loc.line}:${s.loc.column}-${s.loc.endLine}:${s.loc.endColumn}`, sql: s.sql, ok: s.ast !== null }))

describe('parseSql', () => {
  it('gives each statement its exact location, skipping comments and blank lines', () => {
    expect(brief('-- header\n\nCREATE TABLE a (id int);\n  /* c */ ALTER TABLE a\n    ADD COLUMN b text ;\n')).toEqual([
      { at: '3:1-3:24', sql: 'CREATE TABLE a (id int)', ok: true },
      { at: '4:11-5:22', sql: 'ALTER TABLE a\n    ADD COLUMN b text', ok: true },
    ])
  })

  it('counts columns in characters, not bytes', () => {
    expect(brief("SELECT 'é'; SELECT 2;")[1].at).toBe('1:13-1:21')
  })

  it('keeps the statements around one that does not parse, with the bad one at its line', () => {
    const statements = parse('CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN;\nDROP TABLE a;\n')
    expect(statements.map(s => [s.loc.line, s.ast !== null])).toEqual([[1, true], [2, false], [3, true]])
    expect(statements[1].parseError).toMatch(/syntax error at or near ";"|syntax error/)
    expect(statements[1].parseError).toMatch(/\(at 2:\d+\)/)
  })

  it('splits with the real lexer: semicolons in strings, dollar quotes and comments do not split', () => {
    const text = "SELECT ';';\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n-- a;b\nSELEC 1;\nSELECT 'x;y';"
    const statements = parse(text)
    expect(statements.map(s => [s.loc.line, s.ast !== null])).toEqual([[1, true], [2, true], [4, false], [5, true]])
  })

  it('treats an unterminated quote as one unparsable statement to the end, after the good ones', () => {
    const statements = parse("SELECT 1;\nSELECT 'oops;\nSELECT 2;\n")
    expect(statements.map(s => [s.loc.line, s.ast !== null])).toEqual([[1, true], [2, false]])
    expect(statements[1].parseError).toMatch(/unterminated quoted string/)
  })

  it('treats an unterminated dollar quote the same way', () => {
    const statements = parse('SELECT 1;\nDO $$ BEGIN PERFORM 1;\n')
    expect(statements.map(s => [s.loc.line, s.ast !== null])).toEqual([[1, true], [2, false]])
  })

  it('finds no statements in empty and comment-only texts', () => {
    expect(parse('')).toEqual([])
    expect(parse('  \n\n')).toEqual([])
    expect(parse('-- nothing here\n/* nor here */\n')).toEqual([])
  })

  it('reports a binary file (many NUL bytes) as one unparsable statement at 1:1', () => {
    const statements = parse('SELECT 1;\nSELECT 2;\n'.split('').join('\u0000'))
    expect(statements).toHaveLength(1)
    expect(statements[0].parseError).toMatch(/NUL byte at offset 1/)
    expect(statements[0].loc.line).toBe(1)
  })

  it('marks statements between an explicit BEGIN and COMMIT as in a transaction', () => {
    const statements = parse('SELECT 0;\nBEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;')
    expect(statements.map(s => s.inTransaction)).toEqual([false, true, true, true, false])
    expect(parse('SELECT 1;', true)[0].inTransaction).toBe(true)
  })

  it('accounts for every statement: parsed + unparsed = statements found by the splitter', () => {
    const text = 'SELECT 1;\nSELEC 2;\nALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\nnonsense here;\n'
    const statements = parse(text)
    const pieces = splitWithScanner(Buffer.from(text), { start: 0, end: Buffer.byteLength(text) })
    expect(statements).toHaveLength(pieces.length)
    expect(statements.filter(s => s.ast).length + statements.filter(s => s.parseError).length).toBe(statements.length)
    expect(statements.filter(s => s.parseError).map(s => s.loc.line)).toEqual([2, 5])
  })

  it('parses a 5 MB file', () => {
    const one = 'ALTER TABLE users ADD COLUMN c int;\n'
    const text = one.repeat(Math.ceil((5 * 1024 * 1024) / one.length))
    const statements = parse(text)
    expect(statements.length).toBe(text.split('\n').length - 1)
    expect(statements.at(-1)!.loc.line).toBe(statements.length)
  })
})

describe('splitWithScanner', () => {
  it('knows E-strings, quoted identifiers, nested block comments and dollar tags', () => {
    const text = "SELECT E'\\';'; SELECT \"a;b\"; /* x /* ; */ ; */ SELECT $t$ ; $t$; SELECT $1;"
    const pieces = splitWithScanner(Buffer.from(text), { start: 0, end: text.length }).map(p => text.slice(p.start, p.end))
    expect(pieces).toEqual(["SELECT E'\\';'", 'SELECT "a;b"', 'SELECT $t$ ; $t$', 'SELECT $1'])
  })
})
