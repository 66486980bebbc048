// The CLI is tested as a process through bin/migrate-lint.js, which runs the built bundle: build once,
// as `npm run build` does (tsc, then the bundle: scripts/build.mjs).
import { execFileSync } from 'node:child_process'
import path from 'node:path'

export default function setup(): void {
  // Unit-test loops may skip the build when no CLI test runs (MIGRATE_LINT_SKIP_BUILD=1).
  if (process.env.MIGRATE_LINT_SKIP_BUILD === '1') return
  const root = path.resolve(__dirname, '..')
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  })
}
