import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defineConfig } from 'vitest/config'

// The CLI's disk cache goes to a folder of this test run, never to the user's ~/.cache.
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-test-cache-'))

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    env: { MIGRATE_LINT_CACHE_DIR: cacheDir },
  },
})
