import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const BIN = path.resolve(__dirname, '../../bin/migrate-lint.js')

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0', ...env },
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/**
 * The CLI as a process without blocking this one: for tests that serve it something (a local HTTP
 * server) or run several at once. `input` is written to its stdin, which is then closed.
 */
export function runCliAsync(args: string[], cwd: string, env: Record<string, string> = {}, input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0', ...env } })
    let stdout = ''
    let stderr = ''
    // Decoded as a stream: a chunk may end inside a multi-byte character.
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(input)
  })
}

/** A throw-away folder with the given files (path → content). */
export function tempTree(files: Record<string, string | Buffer>): string {
  // Under the test run's own folder (vitest.config.ts), which the run removes when it ends.
  const dir = fs.mkdtempSync(path.join(process.env.MIGRATE_LINT_TEST_RUN_DIR ?? os.tmpdir(), 'migrate-lint-'))
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), content)
  }
  return dir
}
