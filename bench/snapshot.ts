// A private copy of the built CLI for one benchmark run. Other work rebuilds dist/ while a long run is
// under way; without the copy, one run could time two different builds. node_modules is linked, not
// copied: dependencies do not change under a run, and their real paths stay those of the project.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '..')

export interface BuildSnapshot {
  dir: string
  /** The CLI entry inside the copy. */
  bin: string
  remove(): void
}

export function snapshotBuild(): BuildSnapshot {
  if (!fs.existsSync(path.join(ROOT, 'dist/bundle/migrate-lint.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-bench-build-'))
  for (const part of ['bin', 'dist', 'package.json']) fs.cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true })
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  return { dir, bin: path.join(dir, 'bin/migrate-lint.js'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) }
}
