// The CLI is tested as a process through bin/migrate-lint.js, which runs the built bundle: build once,
// as `npm run build` does (tsc, then the bundle: scripts/build.mjs).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

export default function setup(): () => void {
  // The run's folder of temporary trees and cache (vitest.config.ts): gone when the run ends.
  const teardown = (): void => {
    const runDir = process.env.MIGRATE_LINT_TEST_RUN_DIR
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true })
  }
  // Unit-test loops may skip the build when no CLI test runs (MIGRATE_LINT_SKIP_BUILD=1).
  if (process.env.MIGRATE_LINT_SKIP_BUILD === '1') return teardown
  const root = path.resolve(__dirname, '..')
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  })
  return teardown
}
