import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defineConfig } from 'vitest/config'

// The folders a test run makes (test/cli/helpers.ts tempTree, and every mkdtemp: TMPDIR) go under one folder of the run, which
// test/global-setup.ts removes when the run ends: runs leave nothing behind in the temp folder.
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-test-run-'))
// Enterable by others, as the temp folder is: a test runs the CLI as `nobody` in a tree of its own (0755).
fs.chmodSync(runDir, 0o755)
process.env.MIGRATE_LINT_TEST_RUN_DIR = runDir
// The CLI's disk cache goes to a folder of this test run, never to the user's ~/.cache.
const cacheDir = path.join(runDir, 'cache')
fs.mkdirSync(cacheDir)

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/parser-setup.ts'],
    testTimeout: 30_000,
    // TMPDIR too: what a test or the CLI it runs makes with mkdtemp (os.tmpdir()) goes under the run's folder.
    env: { MIGRATE_LINT_CACHE_DIR: cacheDir, MIGRATE_LINT_TEST_RUN_DIR: runDir, TMPDIR: runDir },
  },
})
