// The MCP server as an agent meets it: `node bin/migrate-lint.js mcp` spawned by the SDK's own client
// over stdio, in a real git repository.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { BIN } from '../cli/helpers.js'

export interface Session {
  client: Client
  /** A tool's answer, as the protocol delivered it. */
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>
  /** Ends the session as a client does (closes the server's stdin); how long the server took to go. */
  close(): Promise<number>
  stderr(): string
}

export async function startServer(cwd: string, args: string[] = []): Promise<Session> {
  // The client passes on only a few variables by default: the test run's cache folder must reach the server.
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined))
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', ...args], cwd, env, stderr: 'pipe' })
  let stderr = ''
  transport.stderr?.on('data', chunk => (stderr += String(chunk)))
  const client = new Client({ name: 'migrate-lint-test', version: '1.0.0' })
  await client.connect(transport)
  return {
    client,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      const started = Date.now()
      await client.close()
      return Date.now() - started
    },
    stderr: () => stderr,
  }
}

/** The text of a tool's answer (one text item). */
export function textOf(result: CallToolResult): string {
  const [first] = result.content
  if (result.content.length !== 1 || first.type !== 'text') throw new Error(`expected one text item, got ${JSON.stringify(result.content)}`)
  return first.text
}
