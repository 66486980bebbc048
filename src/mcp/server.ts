// `migrate-lint mcp`: a Model Context Protocol server over stdio for coding agents, with the tools an
// agent calls before it opens a pull request. Each call runs in this one long-lived process: the disk
// cache is opened once, and the process-wide memos (base schemas, markers, code scans, parses) stay
// warm between calls, so a second check_release costs what a warm CLI run costs, minus the start.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { openCache } from '../cache/open-cache.js'
import { ownPackageJson } from '../util/own-package.js'
import { checkRelease, checkReleaseInput, checkReleaseOutput, type ServerContext } from './check-release.js'
import { KeptBase } from './kept-base.js'
import { explainRule, explainRuleInput, explainRuleOutput } from './explain-rule.js'
import { planChange, planChangeInput, planChangeOutput } from './plan-change.js'
import { oneAtATime, toolError } from './tool-result.js'

export interface ServerOptions {
  root: string
  cwd: string
  configFile?: string
}

export function createServer(options: ServerOptions): McpServer {
  const context: ServerContext = { ...options, cache: openCache(process.env), kept: new KeptBase() }
  const server = new McpServer({ name: 'migrate-lint', version: String(ownPackageJson().version) })
  const serial = oneAtATime()
  const guarded =
    <A>(tool: (args: A) => CallToolResult | Promise<CallToolResult>) =>
    (args: A): Promise<CallToolResult> =>
      serial(async () => {
        try {
          return await tool(args)
        } catch (error) {
          return toolError(error)
        }
      })

  server.registerTool(
    'check_release',
    {
      title: 'Is this release revert-safe?',
      description:
        'Lint the migrations of the release being written (since the newest release tag, or `since`; only the staged files with `staged`) against the previous release\'s code: the verdict (revert-safe, not-revert-safe, unproven) and each finding with file:line, rule id, message and the safe alternative. Call it before opening a pull request that touches migrations.',
      inputSchema: checkReleaseInput,
      outputSchema: checkReleaseOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(args => checkRelease(context, args)),
  )
  server.registerTool(
    'explain_rule',
    {
      title: 'Explain a migrate-lint rule',
      description: 'Why a rule of migrate-lint exists, a bad and a good migration, the safe alternative and how to suppress it on one statement.',
      inputSchema: explainRuleInput,
      outputSchema: explainRuleOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(args => explainRule(args)),
  )
  server.registerTool(
    'plan_change',
    {
      title: 'Plan a schema change as safe releases',
      description:
        'The expand-and-contract sequence of one schema change (drop-column, rename-column, rename-table, change-type, set-not-null, add-foreign-key, add-unique) as migration files in the project\'s own layout, release by release, with the checklist of what the code must do in each. Writes nothing unless write is true; then writes release N\'s files (release N+1\'s with contract), never replacing a file without force.',
      inputSchema: planChangeInput,
      outputSchema: planChangeOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guarded(args => planChange(context, args)),
  )
  return server
}

/** Serves on stdin/stdout until the client closes them. */
export async function serveStdio(options: ServerOptions): Promise<void> {
  const server = createServer(options)
  const transport = new StdioServerTransport()
  const closed = new Promise<void>(resolve => {
    transport.onclose = () => resolve()
    process.stdin.once('end', () => resolve())
  })
  await server.connect(transport)
  await closed
  await server.close()
}
