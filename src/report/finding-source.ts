// The migration text a finding points at, from the sources the lint judged (never read again from the
// disk: a report shows what was judged). For the code frame of the text report and GitLab's fingerprints.
import type { Finding, Location } from '../model.js'
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
  const linesOf = new Map<string, string[]>()
  return f => {
    const text = texts.get(f.file)
    if (text === undefined) return null
    let lines = linesOf.get(f.file)
    if (!lines) linesOf.set(f.file, (lines = text.split(/\r\n|\r|\n/)))
    if (f.line < 1 || f.line > lines.length) return null
    const statement = (migrationsOf.get(f.file) ?? []).flatMap(m => [...m.up, ...(m.down ?? [])]).find(s => s.loc.file === f.file && contains(s.loc, f))
    // A finding about the file as a whole (an empty down migration at 1:1) points at no text.
    if (!statement && f.endLine === undefined) return null
    const region = statement ? { line: statement.loc.line, endLine: Math.min(statement.loc.endLine, lines.length) } : { line: f.line, endLine: Math.min(Math.max(f.endLine ?? f.line, f.line), lines.length) }
    return { lines, region, text: statement ? statement.sql : lines.slice(region.line - 1, region.endLine).join('\n') }
  }
}

function contains(loc: Location, f: Finding): boolean {
  const after = f.line > loc.line || (f.line === loc.line && f.column >= loc.column)
  const before = f.line < loc.endLine || (f.line === loc.endLine && f.column < loc.endColumn)
  return after && before
}
