// The JSON document of DESIGN §8: exactly one, on stdout, stable field order.
import type { Finding } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayed } from './displayed.js'

/** Paths exact (JSON-escaped), messages and notes as every report shows them (src/report/displayed.ts). */
export function toJsonDocument(raw: LintOutcome) {
  const outcome = displayed(raw, { exactPaths: true })
  return {
    version: 1,
    release: outcome.release
      ? {
          base: outcome.release.base,
          head: outcome.release.head,
          verdict: outcome.release.verdict,
          revertSafe: outcome.release.revertSafe,
          unproven: outcome.release.unproven,
          migrations: outcome.release.migrations,
        }
      : null,
    findings: outcome.findings.map(publicFinding),
    summary: outcome.summary,
  }
}

function publicFinding(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    category: f.category,
    file: f.file,
    line: f.line,
    column: f.column,
    ...(f.endLine !== undefined ? { endLine: f.endLine, endColumn: f.endColumn } : {}),
    message: f.message,
    help: f.help,
    ...(f.migrationId !== undefined ? { migrationId: f.migrationId } : {}),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  }
}

export function formatJson(outcome: LintOutcome): string {
  return `${JSON.stringify(toJsonDocument(outcome), null, 2)}\n`
}

/**
 * The document of a run that stopped with an error (exit code 2) instead of a report: `version` as in
 * the report, no `release`/`findings`/`summary` (nothing was judged), `error` with the stderr line's text.
 */
export function formatJsonError(message: string, exitCode: number, toolVersion: string): string {
  const document = { version: 1, tool: { name: 'migrate-lint', version: toolVersion }, error: { message, exitCode } }
  return `${JSON.stringify(document, null, 2)}\n`
}
