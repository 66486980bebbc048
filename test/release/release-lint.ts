// `migrate-lint --format json --since v1.0` on a test repository, with the findings as `rule file:line:column`.
import { runCli } from '../cli/helpers.js'
import type { TestRepo } from './git-repo.js'

export interface ReleaseDoc {
  release: { verdict: string; revertSafe: boolean; unproven: { reason: string; file: string; line: number }[] }
  findings: { ruleId: string; file: string; line: number; column: number; message: string }[]
}

export function lintSinceV1(repo: TestRepo) {
  const run = runCli(['--format', 'json', '--since', 'v1.0'], repo.dir)
  const doc = JSON.parse(run.stdout) as ReleaseDoc
  return { code: run.code, doc, found: doc.findings.map(f => `${f.ruleId} ${f.file}:${f.line}:${f.column}`) }
}
