// What every tool of the MCP server answers: text for the agent to read, the same facts as
// structuredContent (checked by the SDK against the tool's outputSchema), and failures as tool errors.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { displayText } from '../util/display-text.js'
import { UsageError } from '../util/errors.js'

export function toolResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured }
}

/**
 * A tool error (isError: true) with the one line the CLI would print on stderr, without its
 * `migrate-lint: ` prefix. The server lives on: an agent can read the line and call again. Anything
 * but a UsageError is a bug of ours, said as such (its stack goes to stderr, the server's log).
 */
export function toolError(error: unknown): CallToolResult {
  if (error instanceof UsageError) return { content: [{ type: 'text', text: displayText(error.message) }], isError: true }
  process.stderr.write(`migrate-lint mcp: ${String((error as Error)?.stack ?? error)}\n`)
  const first = String((error as Error)?.message ?? error).split('\n')[0]
  return { content: [{ type: 'text', text: `internal error (please report it): ${displayText(first)}` }], isError: true }
}

/**
 * One tool call at a time: a lint sets process-wide state (the active cache, the parser's file-size
 * limit) for its run, and two at once on two cores would be no faster anyway.
 */
export function oneAtATime(): <T>(job: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve()
  return job => {
    const next = queue.then(job, job)
    queue = next.catch(() => {})
    return next
  }
}
