// What must hold for any text, however broken: statements in file order, none overlapping, each
// either parsed or carrying its error, each location inside the file and pointing at exactly the
// statement's text, and no token of the file left out of every statement. These are the top-level
// statements: a DO block's inner statements (Statement.inner) are parsed and lie inside it.
import { parseSync, scanSync } from 'libpg-query'
import type { Finding, Statement } from '../../src/model.js'
import type { SourceText } from '../../src/parse/source-text.js'
import { splitStatements, splitWithScanner, type ByteRange } from '../../src/parse/split.js'

/** Byte offset of a 1-based line and character column; null when the column lies past the line. */
export function offsetOf(source: SourceText, line: number, column: number): number | null {
  const start = source.lineStart(line)
  const next = line < source.lineCount ? source.lineStart(line + 1) : source.bytes.length
  const lineText = source.slice(start, next)
  // The end column of a statement that ends a line may sit one past its last character.
  if (column - 1 > lineText.length) return null
  return start + Buffer.byteLength(lineText.slice(0, column - 1), 'utf8')
}

function locProblems(source: SourceText, loc: { line: number; column: number; endLine?: number; endColumn?: number }): string[] {
  const problems: string[] = []
  const lines = source.lineCount
  const inside = (line: number) => Number.isInteger(line) && line >= 1 && line <= lines
  if (!inside(loc.line)) problems.push(`line ${loc.line} outside 1..${lines}`)
  if (!(Number.isInteger(loc.column) && loc.column >= 1)) problems.push(`column ${loc.column} < 1`)
  if (loc.endLine !== undefined) {
    if (!inside(loc.endLine)) problems.push(`endLine ${loc.endLine} outside 1..${lines}`)
    const endColumn = loc.endColumn ?? 1
    if (!(Number.isInteger(endColumn) && endColumn >= 1)) problems.push(`endColumn ${endColumn} < 1`)
    if (loc.endLine < loc.line || (loc.endLine === loc.line && endColumn < loc.column)) {
      problems.push(`end ${loc.endLine}:${endColumn} before start ${loc.line}:${loc.column}`)
    }
  }
  return problems
}

/** The byte ranges of the statements, from their locations (which are all a statement gives back). */
export function statementRanges(source: SourceText, statements: readonly Statement[]): (ByteRange | null)[] {
  return statements.map(s => {
    const start = offsetOf(source, s.loc.line, s.loc.column)
    const end = offsetOf(source, s.loc.endLine, s.loc.endColumn)
    return start === null || end === null ? null : { start, end }
  })
}

/**
 * Problems with what parseSql returned for `range` of `source` (empty when all is well). `lexerCoverage`
 * also checks, when Postgres' lexer can read the text, that each of its tokens but comments and `;`
 * lies inside a statement: nothing was silently dropped.
 */
export function statementProblems(source: SourceText, statements: readonly Statement[], range: ByteRange, lexerCoverage = true): string[] {
  const problems: string[] = []
  const ranges = statementRanges(source, statements)
  const nul = source.bytes.subarray(range.start, range.end).includes(0)
  // A text of many NUL bytes is binary as a whole: one statement without text says so.
  const binary = nul && statements.length === 1 && statements[0].sql === '' && statements[0].parseError !== null
  let previousEnd = range.start
  statements.forEach((s, i) => {
    const at = `statement ${i + 1} (${s.loc.line}:${s.loc.column}-${s.loc.endLine}:${s.loc.endColumn})`
    if ((s.ast === null) === (s.parseError === null)) problems.push(`${at}: has ${s.ast ? 'both an ast and a parse error' : 'neither an ast nor a parse error'}`)
    if (s.loc.file !== source.file) problems.push(`${at}: file ${s.loc.file} is not ${source.file}`)
    problems.push(...locProblems(source, s.loc).map(p => `${at}: ${p}`))
    const r = ranges[i]
    if (!r) {
      problems.push(`${at}: a column lies past the end of its line`)
      return
    }
    if (r.start < range.start || r.end > range.end) problems.push(`${at}: bytes ${r.start}..${r.end} outside ${range.start}..${range.end}`)
    for (const inner of s.inner ?? []) {
      const ir = statementRanges(source, [inner])[0]
      if (!ir || ir.start < r.start || ir.end > r.end || !inner.ast) problems.push(`${at}: inner statement at ${inner.loc.line}:${inner.loc.column} is unparsed or outside it`)
    }
    if (r.start < previousEnd) problems.push(`${at}: starts at byte ${r.start}, before the previous statement ends (${previousEnd})`)
    previousEnd = Math.max(previousEnd, r.end)
    const expected = binary ? '' : source.slice(r.start, r.end)
    if (s.sql !== expected) problems.push(`${at}: sql ${JSON.stringify(s.sql.slice(0, 80))} is not the text at its location ${JSON.stringify(expected.slice(0, 80))}`)
  })
  if (binary) return problems
  if (nul) {
    // The lexer reads a C string, up to the first NUL: instead, each NUL lies in a piece that says it is binary.
    const holders = ranges as ByteRange[]
    for (let at = source.bytes.indexOf(0, range.start); at >= 0 && at < range.end; at = source.bytes.indexOf(0, at + 1)) {
      const k = holders.findIndex(r => r.start <= at && at < r.end)
      if (k < 0 || statements[k].notSql !== 'binary') problems.push(`the NUL at byte ${at} is in no binary piece`)
    }
    return problems
  }
  if (!lexerCoverage || problems.length) return problems
  const tokens = lexerTokens(source, range)
  if (tokens) {
    const valid = ranges as ByteRange[]
    let k = 0
    for (const token of tokens) {
      while (k < valid.length && valid[k].end <= token.start) k++
      const holder = valid[k]
      if (!holder || holder.start > token.start || holder.end < token.end) {
        problems.push(`token ${JSON.stringify(source.slice(token.start, token.end).slice(0, 40))} at byte ${token.start} is in no statement`)
        break
      }
    }
  } else if (!statements.some(s => s.notSql) && !parsesWhole(source.slice(range.start, range.end))) {
    // The lexer refuses the text (an unterminated quote or comment, or a control character its JSON
    // output cannot carry) and the parser too: the byte scanner's split is the truth.
    const pieces = splitWithScanner(source.bytes, range)
    const got = JSON.stringify(ranges)
    const want = JSON.stringify(pieces)
    if (got !== want) problems.push(`statements ${got} differ from the byte splitter's ${want}`)
  }
  return problems
}

function parsesWhole(text: string): boolean {
  try {
    parseSync(text)
    return true
  } catch {
    return false
  }
}

/** Postgres' own tokens of the range (absolute byte offsets) minus comments and `;`; null if it refuses. */
export function lexerTokens(source: SourceText, range: ByteRange): ByteRange[] | null {
  let tokens: { tokenName: string; start: number; end: number }[]
  try {
    tokens = scanSync(source.slice(range.start, range.end)).tokens
  } catch {
    return null
  }
  return tokens
    .filter(t => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT' && t.tokenName !== 'ASCII_59')
    .map(t => ({ start: range.start + t.start, end: range.start + t.end }))
}

/**
 * For texts where the splitters are exact (no `$` inside identifiers next to a dollar quote, no `;`
 * inside parentheses — the grammar's output): the statements are the pieces of both fallback
 * splitters, the lexer's and the byte scanner's, except that a last statement without `;` may also
 * hold the comments that follow it.
 */
export function splitterAgreement(source: SourceText, statements: readonly Statement[], range: ByteRange): string[] {
  if (source.bytes.subarray(range.start, range.end).includes(0)) return []
  const ranges = statementRanges(source, statements)
  const problems: string[] = []
  const splitters: [string, ByteRange[]][] = [
    ['byte scanner', splitWithScanner(source.bytes, range)],
    ['lexer splitter', splitStatements(source.bytes, range)],
  ]
  for (const [name, pieces] of splitters) {
    if (pieces.length !== ranges.length) {
      problems.push(`${ranges.length} statements, but the ${name} finds ${pieces.length}: ${JSON.stringify(pieces.map(p => source.slice(p.start, p.end).slice(0, 30)))}`)
      continue
    }
    pieces.forEach((piece, i) => {
      const r = ranges[i]
      if (!r) return
      const tail = r.end > piece.end ? source.slice(piece.end, r.end) : ''
      const onlyTrivia = splitWithScanner(Buffer.from(tail, 'utf8'), { start: 0, end: Buffer.byteLength(tail) }).length === 0
      if (r.start !== piece.start || r.end < piece.end || !onlyTrivia) {
        problems.push(`statement ${i + 1} is bytes ${r.start}..${r.end}, the ${name} says ${piece.start}..${piece.end}`)
      }
    })
  }
  return problems
}

/** Every finding on one of `sources` lies inside that file; findings on other files are not checked here. */
export function findingProblems(findings: readonly Finding[], sources: ReadonlyMap<string, SourceText>): string[] {
  const problems: string[] = []
  for (const f of findings) {
    const source = sources.get(f.file)
    if (!source) continue
    const p = locProblems(source, f)
    if (p.length) problems.push(`${f.ruleId} at ${f.file}:${f.line}:${f.column}: ${p.join('; ')}`)
    if (!f.message || /\{\{\w+\}\}/.test(f.message)) problems.push(`${f.ruleId} at ${f.file}:${f.line}: message ${JSON.stringify(f.message)}`)
  }
  return problems
}

/** Fails with every problem listed, so a counterexample says what broke, not only that something did. */
export function expectNoProblems(problems: readonly string[], text: string | Buffer): void {
  if (!problems.length) return
  const shown = typeof text === 'string' ? JSON.stringify(text) : `bytes ${JSON.stringify(text.toString('latin1'))}`
  throw new Error(`${problems.slice(0, 5).join('\n')}\n--- input (${Buffer.byteLength(text)} bytes): ${shown.slice(0, 2000)}`)
}
