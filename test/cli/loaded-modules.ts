// Which files one run of the CLI loads, read from Node's own module loader through a hook
// (module.register), not guessed from the bundle's import graph: the lazy-load tests of mcp and lsp.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { BIN } from './helpers.js'

const HOOKS = `import fs from 'node:fs'
export async function load(url, context, next) {
  fs.appendFileSync(process.env.LOADED_LOG, url + '\\n')
  return next(url, context)
}
`

/** The file: URLs one run of the CLI loaded (stdin `input`: empty starts a server, which reads nothing and ends). */
export function loadedBy(args: string[], cwd: string, input = ''): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-loads-'))
  const hooks = path.join(dir, 'hooks.mjs')
  const log = path.join(dir, 'loaded.txt')
  fs.writeFileSync(hooks, HOOKS)
  fs.writeFileSync(log, '')
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(hooks).href)})`
  spawnSync(process.execPath, ['--import', register, BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, LOADED_LOG: log }, timeout: 60_000 })
  return fs.readFileSync(log, 'utf8').split('\n').filter(url => url.startsWith('file:'))
}
