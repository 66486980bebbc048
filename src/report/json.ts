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
