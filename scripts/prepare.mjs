#!/usr/bin/env node
// `prepare` (npm install in a checkout, npm pack, an install from git): the build, on stderr only.
// npm installing this package from git for a global install — as the pre-commit framework 4.4+ does,
// `npm install -g git+file://<clone>` — runs prepare in the clone before any dependency is there
// (npm/cli#8440: the clone's own `npm install` inherits --global). The build's dependencies are then
// installed here first, in the clone, and the build runs as in a checkout.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))

/** Whether a package resolves from the checkout's own node_modules. */
function installed(name) {
  try {
    return require.resolve(`${name}/package.json`, { paths: [root] }).startsWith(path.join(root, 'node_modules') + path.sep)
  } catch {
    return false
  }
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 2, 2], env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (!installed('esbuild') || !installed('typescript')) {
  // Local, whatever npm passed down (npm_config_global), and without scripts: this prepare is running.
  const env = { ...process.env, npm_config_global: 'false' }
  run('npm', ['install', '--prefix', root, '--include=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--global=false'], env)
}
run(process.execPath, [path.join(root, 'scripts/build.mjs')])
