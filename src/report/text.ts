// The terminal report (DESIGN §11): location, severity, rule id; the message; the safe alternative.
import type { ChalkInstance } from 'chalk'
import type { Finding, Phase, Release, Severity } from '../model.js'
import type { LintOutcome } from '../run.js'
import { codeFrame } from './code-frame.js'
import { displayed, displayedFinding } from './displayed.js'
import { findingSources } from './finding-source.js'
import { inPieces } from './pieces.js'
import { countsText, helpLabel, shownFindings, verdictText } from './plain-text.js'

export interface TextOptions {
  chalk: ChalkInstance
  quiet: boolean
}

export function formatText(raw: LintOutcome, options: TextOptions): string {
  return [...textChunks(raw, options)].join('')
}

/**
 * The report in pieces (inPieces), each finding escaped as it is written: a run with 22,000 findings
 * never holds the whole report, nor a displayed copy of every finding, at once.
 */
export function textChunks(raw: LintOutcome, options: TextOptions): Generator<string> {
  return inPieces(textParts(raw, options))
}

/** The header, then each finding's lines, then the notes and the summary: a part each. */
function* textParts(raw: LintOutcome, { chalk, quiet }: TextOptions): Generator<string> {
  const outcome = displayed({ ...raw, findings: [] })
  let out = ''
  const line = (text: string) => (out += `${text}\n`)
  if (outcome.release) for (const header of releaseHeader(outcome.release, chalk, committedOf(raw))) line(header)
  const shown = shownFindings(raw, quiet)
  const paint: Record<Severity, (s: string) => string> = {
    error: s => chalk.red.bold(s),
    warning: s => chalk.yellow(s),
    info: s => chalk.blue(s),
  }
  // The frame is cut from the text the lint read, found by the finding's exact (unescaped) path.
  const source = findingSources(raw)
  const display = displayedFinding()
  for (const exact of shown) {
    const f = display(exact)
    line(`${chalk.underline(`${f.file}:${f.line}:${f.column}`)}  ${paint[f.severity](f.severity)}  ${chalk.bold(f.ruleId)}`)
    line(`  ${f.message}`)
    const frame = source(exact)
    if (frame) for (const frameLine of codeFrame(frame, exact, { gutter: s => chalk.dim(s), mark: paint[f.severity] })) line(frameLine)
    if (f.help) {
      // Further lines of a multi-line alternative keep their own indentation, under the label's.
      const [first, ...rest] = f.help.split('\n')
      line(chalk.dim(`  ${helpLabel(f)}: ${first}`))
      for (const more of rest) line(chalk.dim(`    ${more}`.trimEnd()))
    }
    line('')
    yield out
    out = ''
  }
  if (!quiet) for (const note of outcome.notes) line(chalk.dim(note))
  line(summaryLine(raw, chalk, shown))
  yield out
}

/**
 * --staged judges the staged migrations only; the release's committed ones are replayed before them,
 * not judged again. Counted so that the header never says the release holds no migrations when it does.
 */
function committedOf(outcome: LintOutcome): number {
  if (outcome.release?.head !== 'staged' || !outcome.replay) return 0
  const judged = new Set(outcome.migrations.map(m => m.id))
  return outcome.replay.added.filter(m => !judged.has(m.id)).length
}

/** The verdict first (DESIGN §7), then each migration judged with its phase. */
function releaseHeader(release: Release, chalk: ChalkInstance, committed: number): string[] {
  const paintVerdict = { 'revert-safe': chalk.green.bold, 'not-revert-safe': chalk.red.bold, unproven: chalk.yellow.bold }[release.verdict]
  const lines = [paintVerdict(verdictText(release))]
  if (release.migrations.length) {
    const width = release.migrations.reduce((max, m) => Math.max(max, m.file.length), 0)
    const paint: Record<Phase, (s: string) => string> = {
      expand: s => chalk.green(s),
      migrate: s => chalk.cyan(s),
      contract: s => chalk.magenta(s),
      breaking: s => chalk.red.bold(s),
      unproven: s => chalk.yellow.bold(s),
    }
    for (const m of release.migrations) lines.push(`  ${m.file.padEnd(width)}  ${paint[m.phase](m.phase)}`)
  } else if (release.head !== 'staged') lines.push(chalk.dim('  (no migrations in this release)'))
  else lines.push(chalk.dim('  (no staged migration to judge)'))
  if (committed) lines.push(chalk.dim(`  (and ${committed} committed migration${committed === 1 ? '' : 's'} of this release, replayed, not judged again)`))
  lines.push('')
  return lines
}

function summaryLine(outcome: LintOutcome, chalk: ChalkInstance, shown: Finding[]): string {
  const counts = countsText(outcome, shown)
  if (outcome.summary.errors) return chalk.red.bold(`✖ ${counts}`)
  if (outcome.summary.warnings) return chalk.yellow.bold(`⚠ ${counts}`)
  return chalk.green.bold(`✔ ${counts}`)
}
