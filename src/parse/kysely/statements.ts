// What a Kysely migration did, as the Statements every rule reads: the recorded SQL, parameters
// inlined, parsed like SQL files are, located at the .ts code that ran it.
import type { LoadProblem, Location, Statement } from '../../model.js'
import { SourceText } from '../source-text.js'
import { parseSql } from '../sql.js'
import type { Capture } from './capture.js'
import { inlineParameters } from './inline-parameters.js'
import type { Frame, RecordedQuery } from './protocol.js'
import { StatementSpans } from './statement-spans.js'
import { uncapturedProblems } from './uncaptured.js'

/** The migration's text, and the statements in it that locations are widened to. */
export class KyselySource {
  readonly text: SourceText
  readonly spans: StatementSpans

  constructor(path: string, text: string) {
    this.text = new SourceText(path, text)
    this.spans = new StatementSpans(path, text)
  }
}

/** `runnerTransaction`: the Migrator wraps each migration in a transaction (config kysely.transactions). */
export function toStatements(queries: readonly RecordedQuery[], source: KyselySource, runnerTransaction: boolean): Statement[] {
  return queries.flatMap(query => {
    const sql = inlineParameters(query.sql, query.parameters)
    const loc = queryLocation(query, source)
    const inTransaction = runnerTransaction || query.inTransaction
    // A DO block's inner statements are located in the recorded SQL: they point at the .ts line too.
    return parseSql(new SourceText(source.text.file, sql), { inTransaction }).map(statement =>
      statement.inner ? { ...statement, loc, inner: statement.inner.map(inner => ({ ...inner, loc })) } : { ...statement, loc },
    )
  })
}

/**
 * Everything that kept the migration from being seen whole: what the capture ran into, then the query
 * sites of its text that never reached the recorder (computed here, after the capture cache: a cached
 * capture is cross-checked too).
 */
export function loadProblemsOf(capture: Capture, source: KyselySource): LoadProblem[] {
  const captured = capture.problems.length ? toLoadProblems(capture, source) : []
  return [...captured, ...uncapturedProblems(capture, source.text.file, source.text.text)]
}

/**
 * At the statement that threw (or read), so that a suppression above it applies; a part that never
 * finished at its declaration (`export async function up`); else the start of the file.
 */
export function toLoadProblems(capture: Capture, source: KyselySource): LoadProblem[] {
  return capture.problems.map(({ stage, problem }) => {
    const { frame } = problem
    const declared = stage === 'module' ? null : source.spans.declarationOf(stage)
    const loc = frame
      ? statementRange(source, frame, { line: frame.line, column: frame.column + 1 })
      : declared
        ? pointAt(source.text, declared)
        : fileStart(source.text.file)
    return { kind: problem.kind, part: stage, reason: problem.reason, loc }
  })
}

/**
 * From the start of the statement that ran the query (`await db.schema…`) to the end of its
 * `.execute()` call, so a multi-line builder chain is covered and a suppression comment goes above
 * the statement. Without the call's frame (a query run by hand through `db.executeQuery`), the first
 * frame of the migration in the stack at execution is used.
 */
export function queryLocation(query: RecordedQuery, source: KyselySource): Location {
  const { statement, call } = query
  if (call) return statementRange(source, call, callEnd(source.text, call))
  return statement ? pointAt(source.text, statement) : fileStart(source.text.file)
}

/** From the start of the statement holding `frame` (or the frame itself) to `end`. */
function statementRange(source: KyselySource, frame: Frame, end: Frame): Location {
  const found = source.spans.statementStart(frame)
  const start = found && !after(found, frame) ? found : frame
  return { file: source.text.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column }
}

const after = (a: Frame, b: Frame) => a.line > b.line || (a.line === b.line && a.column > b.column)

function pointAt(source: SourceText, frame: Frame): Location {
  return { file: source.file, line: frame.line, column: frame.column, endLine: frame.line, endColumn: frame.column + 1 }
}

function fileStart(file: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 }
}

/** The frame names the method (`execute`); its call ends at the matching `)` when that is on the same line. */
export function callEnd(source: SourceText, call: Frame): Frame {
  const line = lineText(source, call.line)
  let i = call.column - 1
  while (i < line.length && /[\w$]/.test(line[i])) i++
  if (line[i] !== '(') return { line: call.line, column: call.column + 1 }
  let depth = 0
  for (; i < line.length; i++) {
    if (line[i] === '(') depth++
    else if (line[i] === ')' && --depth === 0) return { line: call.line, column: i + 2 }
  }
  return { line: call.line, column: call.column + 1 }
}

function lineText(source: SourceText, line: number): string {
  const start = source.lineStart(line)
  const next = line < source.lineCount ? source.lineStart(line + 1) : source.bytes.length
  return source.slice(start, next).replace(/\r?\n$/, '')
}
