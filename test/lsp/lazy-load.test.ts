// vscode-languageserver is bundled into a chunk that only `migrate-lint lsp` loads: help and a lint
// start as before. Which files a run loads is read from Node's module loader through a hook.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadedBy } from '../cli/loaded-modules.js'
import { TestRepo } from '../release/git-repo.js'

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
