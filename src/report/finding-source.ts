// The migration text a finding points at, from the sources the lint judged (never read again from the
// disk: a report shows what was judged). For the code frame of the text report and GitLab's fingerprints.
import type { Finding, Location, Statement } from '../model.js'
import type { LintOutcome } from '../run.js'

export interface FindingSource {
  /** The file's lines, without their line breaks. */
  lines: string[]
  /** The statement the finding starts in, or the finding's own range when it starts in none (a file-level finding). */
  region: { line: number; endLine: number }
  /** The statement's text (or the finding's lines): what GitLab's fingerprint hashes. */
  text: string
}

/** Looks findings up by file; a finding of a file the lint did not read as a migration, or of a whole file, has no source. */
export function findingSources(outcome: LintOutcome): (f: Finding) => FindingSource | null {
  const texts = new Map<string, string>()
  const migrationsOf = new Map<string, LintOutcome['migrations']>()
  for (const m of outcome.migrations) {
    for (const s of m.sources) {
      texts.set(s.path, s.text)
      migrationsOf.set(s.path, [...(migrationsOf.get(s.path) ?? []), m])
    }
  }
  // The file of the last finding: its lines, and its statements in text order (a file of thousands of
  // statements with a finding on each is looked up by binary search, not scanned per finding). Findings
  // come file by file: the one before is let go, and its migrations' statements with it (parsed again
  // for the report, 10,000 migrations' syntax trees would otherwise all be alive by its end).
  let current: { file: string; lines: string[]; statements: Statement[] } | null = null
  const fileOf = (file: string, text: string) => {
    if (current?.file === file) return current
    if (current) for (const m of migrationsOf.get(current.file) ?? []) m.forgetStatements?.()
    const statements = (migrationsOf.get(file) ?? []).flatMap(m => [...m.up, ...(m.down ?? [])]).filter(s => s.loc.file === file)
    statements.sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column)
    return (current = { file, lines: text.split(/\r\n|\r|\n/), statements })
  }
  return f => {
    const text = texts.get(f.file)
    if (text === undefined) return null
    const { lines, statements } = fileOf(f.file, text)
    if (f.line < 1 || f.line > lines.length) return null
    const statement = statementAt(statements, f)
    // A finding about the file as a whole (an empty down migration, at 1:1 with no end or an empty span:
    // the engine's fileStart) points at no text.
    const emptySpan = f.endLine === undefined || (f.endLine === f.line && f.endColumn === f.column)
    if (!statement && emptySpan) return null
    const region = statement ? { line: statement.loc.line, endLine: Math.min(statement.loc.endLine, lines.length) } : { line: f.line, endLine: Math.min(Math.max(f.endLine ?? f.line, f.line), lines.length) }
    return { lines, region, text: statement ? statement.sql : lines.slice(region.line - 1, region.endLine).join('\n') }
  }
}

/** The last statement that starts at or before the finding, if the finding lies inside it. */
function statementAt(statements: readonly Statement[], f: Finding): Statement | null {
  let low = 0
  let high = statements.length - 1
  let found = -1
  while (low <= high) {
    const mid = (low + high) >> 1
    const loc = statements[mid].loc
    if (loc.line < f.line || (loc.line === f.line && loc.column <= f.column)) {
      found = mid
      low = mid + 1
    } else high = mid - 1
  }
  return found >= 0 && contains(statements[found].loc, f) ? statements[found] : null
}

function contains(loc: Location, f: Finding): boolean {
  const after = f.line > loc.line || (f.line === loc.line && f.column >= loc.column)
  const before = f.line < loc.endLine || (f.line === loc.endLine && f.column < loc.endColumn)
  return after && before
}
