// The quick fix on a finding: a suppression comment above its line (src/engine/suppressions.ts), in the
// file's own comment syntax, with a reason for the author to write over.
import type { CodeAction, Diagnostic } from 'vscode-languageserver'
import { CodeActionKind } from 'vscode-languageserver'
import type { TextDocument } from 'vscode-languageserver-textdocument'
import { SOURCE, type DiagnosticData } from './diagnostics.js'

/** Visible in review and in `git grep`: the directive takes any text as its reason, so the placeholder says it is one. */
export const REASON_PLACEHOLDER = 'TODO: say why this is safe'

export function suppressionActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const sql = !/\.[cm]?[jt]s$/.test(document.uri)
  return diagnostics
    .filter(d => d.source === SOURCE && (d.data as DiagnosticData | undefined)?.suppressible)
    .map(d => {
      const { ruleId } = d.data as DiagnosticData
      const line = d.range.start.line
      const indent = /^[ \t]*/.exec(document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }))![0]
      const comment = `${indent}${sql ? '--' : '//'} migrate-lint-disable-next-line ${ruleId} -- ${REASON_PLACEHOLDER}\n`
      return {
        title: `Suppress ${ruleId} on this line (migrate-lint-disable-next-line, with a reason)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [document.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: comment }] } },
      }
    })
}
