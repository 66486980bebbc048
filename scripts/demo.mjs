#!/usr/bin/env node
// `npm run demo`: replays fixtures/demo into a throw-away git repository (tags v1.3 and v1.4, then the
// release being judged) and runs `migrate-lint --since v1.4` on it — first as written (NOT revert-safe),
// then with the drop moved out of the release (revert-safe).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const steps = path.join(project, 'fixtures/demo')
const bin = path.join(project, 'bin/migrate-lint.js')
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-demo-'))
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
}
const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' })

function commitStep(step, message, tag) {
  fs.cpSync(path.join(steps, step), repo, { recursive: true })
  git('add', '-A')
  git('commit', '-q', '-m', message)
  if (tag) git('tag', tag)
}

function lint(title) {
  console.log(`\n$ migrate-lint --since v1.4        # ${title}\n`)
  const run = spawnSync(process.execPath, [bin, '--since', 'v1.4'], { cwd: repo, env, encoding: 'utf8' })
  process.stdout.write(run.stdout)
  process.stderr.write(run.stderr)
  console.log(`(exit code ${run.status})`)
  return run.status
}

try {
  git('init', '-q', '-b', 'main')
  commitStep('v1.3', 'v1.3: users', 'v1.3')
  commitStep('v1.4', 'v1.4: add contact_email, dual write', 'v1.4')
  commitStep('release', 'switch reads to contact_email, drop email')
  console.log(`Demo repository: ${repo}`)
  const unsafe = lint('the release as written')
  git('rm', '-q', 'src/db/migrations/2026_11_21_drop_email.ts')
  git('commit', '-q', '-m', 'move the drop of users.email to the next release')
  const safe = lint('after moving the drop to the next release')
  if (unsafe !== 1 || safe !== 0) {
    console.error(`\nUnexpected exit codes: ${unsafe} then ${safe} (expected 1, then 0).`)
    process.exitCode = 1
  }
} finally {
  fs.rmSync(repo, { recursive: true, force: true })
}
