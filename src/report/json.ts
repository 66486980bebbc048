// The JSON document of DESIGN §8: exactly one, on stdout, stable field order.
import type { Finding } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayed, displayedFinding } from './displayed.js'
import { inPieces } from './pieces.js'

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
  return [...jsonChunks(outcome)].join('')
}

/**
 * The same document as `JSON.stringify(toJsonDocument(outcome), null, 2)`, byte for byte, in pieces
 * (inPieces): no displayed copy of every finding, no 15 MB string (≈ 70 MB of a 10,000-migration run's peak).
 */
export function jsonChunks(outcome: LintOutcome): Generator<string> {
  return inPieces(jsonParts(outcome))
}

function* jsonParts(outcome: LintOutcome): Generator<string> {
  const head = toJsonDocument({ ...outcome, findings: [] })
  const nested = (value: unknown, indent: string) => JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`)
  const shown = displayedFinding({ exactPaths: true })
  yield `{\n  "version": ${head.version},\n  "release": ${nested(head.release, '  ')},\n  "findings": [`
  for (let i = 0; i < outcome.findings.length; i++) yield `${i ? ',' : ''}\n    ${nested(publicFinding(shown(outcome.findings[i])), '    ')}`
  yield `${outcome.findings.length ? '\n  ' : ''}],\n  "summary": ${nested(head.summary, '  ')}\n}\n`
}

/**
 * The document of a run that stopped with an error (exit code 2) instead of a report: `version` as in
 * the report, no `release`/`findings`/`summary` (nothing was judged), `error` with the stderr line's text.
 */
export function formatJsonError(message: string, exitCode: number, toolVersion: string): string {
  const document = { version: 1, tool: { name: 'migrate-lint', version: toolVersion }, error: { message, exitCode } }
  return `${JSON.stringify(document, null, 2)}\n`
}
