import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runCli } from '../cli/helpers.js'

export const FIXTURES = path.resolve(__dirname, '../../fixtures/kysely')

/**
 * A copy of fixtures/kysely/<name> in a throw-away folder outside any git repository: the CLI then
 * judges each migration as if it shipped alone (earlier tables exist, with data).
 */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migrate-lint-${name}-`))
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true })
  return dir
}

export interface JsonFinding {
  ruleId: string
  severity: string
  file: string
  line: number
  column: number
  endLine?: number
  endColumn?: number
  message: string
  suppressed?: { reason: string }
}

export interface JsonRun {
  code: number
  stderr: string
  findings: JsonFinding[]
  summary: { files: number; statements: number; errors: number; warnings: number; unparsed: number }
}

export function lintJson(args: string[], cwd: string): JsonRun {
  const run = runCli(['--format', 'json', ...args], cwd)
  if (run.code === 2 || !run.stdout) throw new Error(`migrate-lint exited ${run.code}: ${run.stderr}`)
  const doc = JSON.parse(run.stdout) as { findings: JsonFinding[]; summary: JsonRun['summary'] }
  return { code: run.code, stderr: run.stderr, findings: doc.findings, summary: doc.summary }
}

/** `file:line ruleId` for the findings of the given rules, the shape most assertions compare. */
export function where(findings: readonly JsonFinding[], rules: readonly string[]): string[] {
  return findings.filter(f => rules.includes(f.ruleId) && !f.suppressed).map(f => `${path.posix.basename(f.file)}:${f.line} ${f.ruleId}`)
}
