// vscode-languageserver is bundled into a chunk that only `migrate-lint lsp` loads: help and a lint
// start as before. Which files a run loads is read from Node's module loader through a hook.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BIN } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

/** The file: URLs one run of the CLI loaded (stdin empty: the server starts, reads nothing and ends). */
function loadedBy(args: string[], cwd: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-loads-'))
  const hooks = path.join(dir, 'hooks.mjs')
  const log = path.join(dir, 'loaded.txt')
  fs.writeFileSync(hooks, "import fs from 'node:fs'\nexport async function load(url, context, next) {\n  fs.appendFileSync(process.env.LOADED_LOG, url + '\\n')\n  return next(url, context)\n}\n")
  fs.writeFileSync(log, '')
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(hooks).href)})`
  spawnSync(process.execPath, ['--import', register, BIN, ...args], { cwd, input: '', encoding: 'utf8', env: { ...process.env, LOADED_LOG: log }, timeout: 60_000 })
  return fs.readFileSync(log, 'utf8').split('\n').filter(url => url.startsWith('file:'))
}

const holdsTheServer = (url: string) =>
  url.includes('/vscode-languageserver') || (url.includes('/dist/bundle/') && fs.readFileSync(new URL(url), 'utf8').includes('textDocument/publishDiagnostics'))

describe('vscode-languageserver is loaded by `migrate-lint lsp` only', () => {
  it('help and a lint load none of it; lsp does', () => {
    const repo = new TestRepo().commit('one', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    expect(loadedBy(['--help'], repo.dir).filter(holdsTheServer)).toEqual([])
    const lint = loadedBy([], repo.dir)
    expect(lint.length).toBeGreaterThan(0)
    expect(lint.filter(holdsTheServer)).toEqual([])
    expect(loadedBy(['lsp'], repo.dir).filter(holdsTheServer).length).toBeGreaterThan(0)
  })
})
