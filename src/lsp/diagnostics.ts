// Findings and pending drops as LSP diagnostics: a migration file gets the lint's findings (rule id as
// the code, linked to the rule's page); a code file gets its lines that read a column a migration of
// the release drops or renames — the lines drop-column-still-read names in "this release's code still reads it".
import type { Diagnostic } from 'vscode-languageserver'
import { DiagnosticSeverity } from 'vscode-languageserver'
import type { TextDocument } from 'vscode-languageserver-textdocument'
import { rulesById } from '../../rules/index.js'
import type { CodeUsage } from '../engine/rule.js'
import type { Finding, Migration, Severity } from '../model.js'
import { migrateLintTool } from '../report/sarif.js'
import { droppedColumns, renamedColumn } from '../sql/breaking-ddl.js'
import { usagesOf } from '../usage/usage-query.js'

export const SOURCE = 'migrate-lint'

/** What a diagnostic carries for its code actions. */
export interface DiagnosticData {
  ruleId: string
  /** A finding in a migration (a suppression can go above it), not a line of code that reads a column. */
  suppressible: boolean
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
}

/** The rule's page (docs/rules/<id>.md, written for every registered rule by `npm run docs`), else the README's rule list. */
export function ruleHref(ruleId: string): string {
  const tool = migrateLintTool()
  return tool.repository && rulesById.has(ruleId) ? `${tool.repository}/blob/main/docs/rules/${ruleId}.md` : `${tool.informationUri}#rules`
}

export function findingDiagnostics(findings: readonly Finding[], file: string, document: TextDocument): Diagnostic[] {
  return findings
    .filter(f => f.file === file && !f.suppressed)
    .map(f => {
      const start = { line: f.line - 1, character: Math.max(0, f.column - 1) }
      const end = f.endLine !== undefined && f.endColumn !== undefined ? { line: f.endLine - 1, character: Math.max(0, f.endColumn - 1) } : endOfLine(document, start.line)
      const data: DiagnosticData = { ruleId: f.ruleId, suppressible: !SUPPRESSION_RULES.has(f.ruleId) }
      return {
        range: { start, end },
        severity: SEVERITY[f.severity],
        code: f.ruleId,
        codeDescription: { href: ruleHref(f.ruleId) },
        source: SOURCE,
        message: f.help ? `${f.message}\n${f.help}` : f.message,
        data,
      }
    })
}

/** Findings about the suppression comments themselves: another suppression above them would only hide them. */
const SUPPRESSION_RULES: ReadonlySet<string> = new Set(['suppression-without-reason', 'unused-suppression'])

/** A column the release's migrations take away from the code: dropped, or renamed (the old name). */
export interface TakenColumn {
  table: string
  column: string
  ruleId: 'drop-column-still-read' | 'rename-column'
  /** `db/migrations/0042_drop.sql:3`. */
  where: string
  what: string
}

export function takenColumns(migrations: readonly Migration[]): TakenColumn[] {
  const taken: TakenColumn[] = []
  for (const migration of migrations) {
    for (const statement of migration.up) {
      const where = `${statement.loc.file}:${statement.loc.line}`
      for (const drop of droppedColumns(statement.ast)) {
        taken.push({ ...drop, ruleId: 'drop-column-still-read', where, what: 'drops' })
      }
      const rename = renamedColumn(statement.ast)
      if (rename) taken.push({ table: rename.table, column: rename.from, ruleId: 'rename-column', where, what: `renames to ${rename.to}` })
    }
  }
  return taken
}

/** The lines of `file` (working-tree code, as last saved) that name a column the release takes away. */
export function codeDiagnostics(code: CodeUsage | null, taken: readonly TakenColumn[], file: string, document: TextDocument): Diagnostic[] {
  if (!code || !taken.length) return []
  const head = code.head
  return taken.flatMap(t =>
    usagesOf(head, t.table, t.column)
      .filter(u => u.loc.file === file && u.column === t.column)
      .map(u => {
        const start = { line: u.loc.line - 1, character: Math.max(0, u.loc.column - 1) }
        const data: DiagnosticData = { ruleId: t.ruleId, suppressible: false }
        return {
          range: { start, end: endOfLine(document, start.line) },
          severity: DiagnosticSeverity.Warning,
          code: t.ruleId,
          codeDescription: { href: ruleHref(t.ruleId) },
          source: SOURCE,
          message:
            `${t.table}.${t.column}: the migration ${t.where} ${t.what} it, and this query fails as soon as that migration runs. ` +
            'Stop using the column in this release, and take it away in the next.',
          data,
        }
      }),
  )
}

function endOfLine(document: TextDocument, line: number) {
  const next = document.offsetAt({ line: line + 1, character: 0 })
  const text = document.getText().slice(document.offsetAt({ line, character: 0 }), next).replace(/\r?\n$/, '')
  return { line, character: text.length }
}
