// GitHub Actions workflow commands: each finding becomes an annotation on its line of the pull
// request (`::error file=…,line=…::message`), the verdict an annotation of its own; the rest is log.
import type { Finding, Severity } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayText } from '../util/display-text.js'
import { displayed } from './displayed.js'
import { countsText, helpLabel, shownFindings, verdictText } from './plain-text.js'

export interface GithubOptions {
  quiet: boolean
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' }

export function formatGithub(raw: LintOutcome, { quiet }: GithubOptions): string {
  // An annotation's file= is the exact path (escapeProperty makes it safe), so it lands on the file;
  // a path in a log line is escaped like every text.
  const outcome = displayed(raw, { exactPaths: true })
  const out: string[] = []
  const { release } = outcome
  if (release) {
    out.push(release.revertSafe ? logLine(verdictText(release)) : command(release.verdict === 'unproven' ? 'warning' : 'error', { title: 'migrate-lint' }, verdictText(release)))
    for (const m of release.migrations) out.push(logLine(`  ${displayText(m.file)}  ${m.phase}`))
  }
  const shown = shownFindings(outcome, quiet)
  for (const f of shown) out.push(annotation(f))
  if (!quiet) for (const note of outcome.notes) out.push(logLine(note))
  out.push(`migrate-lint: ${countsText(outcome, shown)}`)
  return `${out.join('\n')}\n`
}

/** A run that stopped with an error: an annotation of its own, so the check's summary says why. */
export function formatGithubError(message: string): string {
  return `${command('error', { title: 'migrate-lint' }, message)}\n`
}

/**
 * A line of plain log that the runner must not read as a command: it takes `::name::` after leading
 * white space, and the old `##[name]` form anywhere in the line.
 */
export function logLine(line: string): string {
  return line.replace(/^(\s*):(?=:)/, '$1\\:').replace(/##\[/g, '#\\#[')
}

function annotation(f: Finding): string {
  const end: Record<string, number> = f.endLine !== undefined && f.endColumn !== undefined ? { endLine: f.endLine, endColumn: f.endColumn } : {}
  const message = f.help ? `${f.message}\n${helpLabel(f)}: ${f.help}` : f.message
  return command(COMMAND[f.severity], { file: f.file, line: f.line, col: f.column, ...end, title: f.ruleId }, message)
}

function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

/** GitHub's rules (toolkit `command.ts`): in the message `%`, CR and LF are encoded… */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** …and in a property also `:` and `,`, which would end the property. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
