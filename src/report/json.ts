// The JSON document of DESIGN §8: exactly one, on stdout, stable field order.
import type { Finding } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayed, displayedFinding } from './displayed.js'

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
 * The same document as `JSON.stringify(toJsonDocument(outcome), null, 2)`, byte for byte, in pieces of
 * about CHUNK characters: written as they come, 22,000 findings never exist as one 15 MB string, its
 * 15 MB Buffer and a displayed copy of every finding at once (≈ 70 MB of a 10,000-migration run's peak).
 */
export function* jsonChunks(outcome: LintOutcome): Generator<string> {
  const head = toJsonDocument({ ...outcome, findings: [] })
  const nested = (value: unknown, indent: string) => JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`)
  const shown = displayedFinding({ exactPaths: true })
  let chunk = `{\n  "version": ${head.version},\n  "release": ${nested(head.release, '  ')},\n  "findings": [`
  for (let i = 0; i < outcome.findings.length; i++) {
    chunk += `${i ? ',' : ''}\n    ${nested(publicFinding(shown(outcome.findings[i])), '    ')}`
    if (chunk.length < CHUNK) continue
    yield chunk
    chunk = ''
  }
  yield `${chunk}${outcome.findings.length ? '\n  ' : ''}],\n  "summary": ${nested(head.summary, '  ')}\n}\n`
}

const CHUNK = 1 << 16

/**
 * The document of a run that stopped with an error (exit code 2) instead of a report: `version` as in
 * the report, no `release`/`findings`/`summary` (nothing was judged), `error` with the stderr line's text.
 */
export function formatJsonError(message: string, exitCode: number, toolVersion: string): string {
  const document = { version: 1, tool: { name: 'migrate-lint', version: toolVersion }, error: { message, exitCode } }
  return `${JSON.stringify(document, null, 2)}\n`
}
