// Verify's report: the lint report (text or the JSON document of DESIGN §8) plus the lock trace, as a
// table in text and as `locks` in JSON.
import type { ChalkInstance } from 'chalk'
import { toJsonDocument } from '../report/json.js'
import { formatText, type TextOptions } from '../report/text.js'
import { displayText } from '../util/display-text.js'
import type { StatementLocks } from './locks.js'
import type { VerifyOutcome } from './verify.js'

export function formatVerifyJson(outcome: VerifyOutcome): string {
  const locks = outcome.locks.map(s => ({
    file: s.file,
    line: s.line,
    statement: s.statement,
    locks: s.locks.map(l => ({ relation: l.relation, mode: l.mode, blocksReads: l.blocksReads, blocksWrites: l.blocksWrites })),
  }))
  return `${JSON.stringify({ ...toJsonDocument(outcome), server: outcome.server, locks }, null, 2)}\n`
}

/** The lock table first: the verdict, findings and summary end the output, where the eye lands. */
export function formatVerifyText(outcome: VerifyOutcome, options: TextOptions): string {
  return `${lockTable(outcome.locks, options.chalk)}${formatText(outcome, options)}`
}

export function lockTable(statements: readonly StatementLocks[], chalk: ChalkInstance): string {
  if (!statements.length) return ''
  const rows: string[][] = []
  for (const s of statements) {
    // File names, SQL and relation names come from the pull request: escaped as every report does.
    const where = displayText(`${s.file}:${s.line}`)
    const sql = clip(displayText(s.statement.replace(/\s+/g, ' ')), 48)
    if (!s.locks.length) rows.push([where, sql, s.untraced ? '(outside a transaction: not traced)' : '(no lock)', '', ''])
    s.locks.forEach((l, i) => {
      const blocks = [l.blocksReads ? 'reads' : '', l.blocksWrites ? 'writes' : ''].filter(Boolean).join(', ') || '-'
      rows.push([i === 0 ? where : '', i === 0 ? sql : '', displayText(l.relation), l.mode, blocks])
    })
  }
  const header = ['statement', 'sql', 'relation', 'lock mode', 'blocks']
  // A row without locks says why in the relation column, its last: it does not widen the table.
  // A loop, not Math.max(...): a release of many statements would pass one argument per row.
  const widths = header.map((h, i) => rows.filter(r => i < 2 || r[3]).reduce((width, r) => Math.max(width, r[i].length), h.length))
  const line = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd()
  const paint = (r: string[], text: string) => (r[4].includes('reads') ? chalk.red(text) : r[4].includes('writes') ? chalk.yellow(text) : text)
  return [
    chalk.bold('Locks taken by the release (pg_locks, read before each statement commits):'),
    chalk.dim(line(header)),
    ...rows.map(r => paint(r, line(r))),
    '',
    '',
  ].join('\n')
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
