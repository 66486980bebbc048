// The terminal report (DESIGN §11): location, severity, rule id; the message; the safe alternative.
import type { ChalkInstance } from 'chalk'
import type { Finding, Phase, Release, Severity } from '../model.js'
import { isBlocking } from '../release/verdict.js'
import type { LintOutcome } from '../run.js'

export interface TextOptions {
  chalk: ChalkInstance
  quiet: boolean
}

export function formatText(outcome: LintOutcome, { chalk, quiet }: TextOptions): string {
  const out: string[] = []
  if (outcome.release) out.push(...releaseHeader(outcome.release, chalk))
  const shown = outcome.findings.filter(f => !f.suppressed && (!quiet || f.severity === 'error'))
  const paint: Record<Severity, (s: string) => string> = {
    error: s => chalk.red.bold(s),
    warning: s => chalk.yellow(s),
    info: s => chalk.blue(s),
  }
  for (const f of shown) {
    out.push(`${chalk.underline(`${f.file}:${f.line}:${f.column}`)}  ${paint[f.severity](f.severity)}  ${chalk.bold(f.ruleId)}`)
    out.push(`  ${f.message}`)
    if (f.help) out.push(chalk.dim(`  ${isBlocking(f) ? 'Safe plan' : 'Safe alternative'}: ${f.help}`))
    out.push('')
  }
  if (!quiet) for (const note of outcome.notes) out.push(chalk.dim(note))
  out.push(summaryLine(outcome, chalk, shown))
  return `${out.join('\n')}\n`
}

/** The verdict first (DESIGN §7), then each migration of the release with its phase. */
function releaseHeader(release: Release, chalk: ChalkInstance): string[] {
  const range = `${release.base ?? '(no base)'}..${release.head}`
  const verdict = release.revertSafe
    ? chalk.green.bold(`Release ${range}: revert-safe`)
    : chalk.red.bold(`Release ${range}: NOT revert-safe (${release.blocking.length} blocking)`)
  const lines = [verdict]
  if (release.migrations.length) {
    const width = Math.max(...release.migrations.map(m => m.file.length))
    const paint: Record<Phase, (s: string) => string> = {
      expand: s => chalk.green(s),
      migrate: s => chalk.cyan(s),
      contract: s => chalk.magenta(s),
      breaking: s => chalk.red.bold(s),
    }
    for (const m of release.migrations) lines.push(`  ${m.file.padEnd(width)}  ${paint[m.phase](m.phase)}`)
  } else lines.push(chalk.dim('  (no migrations in this release)'))
  lines.push('')
  return lines
}

function summaryLine(outcome: LintOutcome, chalk: ChalkInstance, shown: Finding[]): string {
  const { summary } = outcome
  const suppressed = outcome.findings.filter(f => f.suppressed).length
  const infos = shown.filter(f => f.severity === 'info').length
  const scope = `${summary.statements} statement${plural(summary.statements)} in ${summary.files} file${plural(summary.files)}`
  const extra = [
    summary.unparsed ? `${summary.unparsed} unparsed` : '',
    suppressed ? `${suppressed} suppressed` : '',
  ].filter(Boolean)
  const tail = extra.length ? `; ${extra.join(', ')}` : ''
  const counts = `${summary.errors} error${plural(summary.errors)}, ${summary.warnings} warning${plural(summary.warnings)}${infos ? `, ${infos} note${plural(infos)}` : ''}`
  if (summary.errors) return chalk.red.bold(`✖ ${counts} (${scope}${tail})`)
  if (summary.warnings) return chalk.yellow.bold(`⚠ ${counts} (${scope}${tail})`)
  return chalk.green.bold(`✔ ${counts} (${scope}${tail})`)
}

const plural = (n: number) => (n === 1 ? '' : 's')
