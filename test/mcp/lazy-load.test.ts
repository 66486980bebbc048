// The MCP SDK (and zod) are bundled into a chunk of their own that only `migrate-lint mcp` loads: help
// and a lint start as fast as before. Which files of dist/bundle/ a run loads is read from Node's own
// module loader through a hook (module.register), not guessed from the bundle's import graph.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadedBy } from '../cli/loaded-modules.js'
import { TestRepo } from '../release/git-repo.js'

const holdsTheSdk = (url: string) => url.includes('@modelcontextprotocol') || url.includes('/zod/') || (url.includes('/dist/bundle/') && fs.readFileSync(new URL(url), 'utf8').includes('modelcontextprotocol'))

describe('the MCP SDK is loaded by `migrate-lint mcp` only', () => {
  it('help and a lint load none of it; mcp does', () => {
    const repo = new TestRepo().commit('one', { 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' })
    const help = loadedBy(['--help'], repo.dir)
    const lint = loadedBy([], repo.dir)
    expect(help.length).toBeGreaterThan(0)
    // The lint's own chunks (its result may come from the disk cache, without the parser).
    expect(lint.length).toBeGreaterThan(help.length)
    expect(help.filter(holdsTheSdk)).toEqual([])
    expect(lint.filter(holdsTheSdk)).toEqual([])
    // The server reads requests until stdin ends: an empty stdin starts it and ends it.
    expect(loadedBy(['mcp'], repo.dir).filter(holdsTheSdk).length).toBeGreaterThan(0)
  })
})
