#!/usr/bin/env node
// CI (.ci/run): the npm package is what runs, nothing else, and installs through the pre-commit framework.
// - `npm pack` prints the tarball's name and nothing else on stdout: the pre-commit framework 2.9 to 4.3
//   installed a `language: node` hook with `npm install`, then `npm pack`, and took that stdout as the
//   file name (4.4 and later install from git: see scripts/prepare.mjs).
// - The tarball holds bin, dist/bundle (no source maps, no dist/src), docs/rules, README, LICENSE and
//   package.json, within a file-count bound.
// - The CLI unpacked from it runs: --version, and a lint that finds its rule at file:line.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const tarball = `${pkg.name}-${pkg.version}.tgz`
/** ≈ 65 bundle files, 64 rule pages today: room for growth, not for dist/src (≈ 200 files) or maps. */
const MAX_FILES = 250
const ALLOWED = [/^bin\/migrate-lint\.js$/, /^dist\/bundle\/[\w.-]+\.(js|txt)$/, /^docs\/rules\/[\w-]+\.md$/, /^(README\.md|LICENSE|package\.json)$/]

const problems = []
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-pack-'))
try {
  // As the framework runs it: prepare (the build) included, stdout captured.
  const pack = spawnSync('npm', ['pack', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' })
  if (pack.status !== 0) throw new Error(`npm pack failed (exit ${pack.status}):\n${pack.stderr}`)
  if (pack.stdout !== `${tarball}\n`) problems.push(`npm pack's stdout is not just the tarball name: ${JSON.stringify(pack.stdout)}`)

  const [listing] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
  const files = listing.files.map(f => f.path)
  if (files.length > MAX_FILES) problems.push(`the tarball holds ${files.length} files (bound ${MAX_FILES})`)
  const maps = files.filter(f => f.endsWith('.map'))
  if (maps.length) problems.push(`source maps in the tarball: ${maps.slice(0, 3).join(', ')}${maps.length > 3 ? ', …' : ''}`)
  const stray = files.filter(f => !ALLOWED.some(re => re.test(f)))
  if (stray.length) problems.push(`files that do not run nor document: ${stray.slice(0, 5).join(', ')}${stray.length > 5 ? ', …' : ''}`)
  for (const needed of ['bin/migrate-lint.js', 'dist/bundle/migrate-lint.js', 'dist/bundle/build-id.txt', 'LICENSE', 'docs/rules/drop-column-still-read.md']) {
    if (!files.includes(needed)) problems.push(`the tarball lacks ${needed}`)
  }

  // The unpacked package with this checkout's dependencies beside it (an install would fetch the same).
  execFileSync('tar', ['-xzf', path.join(scratch, tarball), '-C', scratch])
  const unpacked = path.join(scratch, 'package')
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(unpacked, 'node_modules'))
  const bin = path.join(unpacked, 'bin/migrate-lint.js')
  const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })
  if (version.stdout !== `${pkg.version}\n`) problems.push(`the packed CLI's --version printed ${JSON.stringify(version.stdout)} (exit ${version.status}): ${version.stderr}`)
  const project = path.join(scratch, 'project')
  fs.mkdirSync(path.join(project, 'migrations'), { recursive: true })
  fs.writeFileSync(path.join(project, 'migrations/001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY);\n')
  fs.writeFileSync(path.join(project, 'migrations/002_email.sql'), "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN email text NOT NULL;\n")
  const lint = spawnSync(process.execPath, [bin, '--no-cache'], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  if (lint.status !== 1 || !lint.stdout.includes('migrations/002_email.sql:2:1  error  not-null-without-default')) {
    problems.push(`the packed CLI's lint (exit ${lint.status}) did not report not-null-without-default at migrations/002_email.sql:2:1:\n${lint.stdout}${lint.stderr}`)
  }
  if (problems.length) throw new Error(`the npm package:\n- ${problems.join('\n- ')}`)
  console.log(`npm package: ${files.length} files, ${(listing.size / 1024).toFixed(0)} kB packed; npm pack prints only ${tarball}; the packed CLI runs.`)
} finally {
  fs.rmSync(scratch, { recursive: true, force: true })
}
