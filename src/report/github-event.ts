// What a GitHub Actions run says about its pull request, from the event payload the runner writes to
// GITHUB_EVENT_PATH (the same JSON as the webhook). Read by the Markdown links and by `comment`.
import fs from 'node:fs'

export interface PullRequestEvent {
  number: number
  /** The pull request's head commit (not the merge commit GITHUB_SHA names in a pull_request run). */
  headSha: string | null
}

/** The pull request the run is for, or null (another event, no payload, a payload without one). */
export function pullRequestOf(env: NodeJS.ProcessEnv): PullRequestEvent | null {
  if (!env.GITHUB_EVENT_PATH) return null
  let event: unknown
  try {
    event = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
  } catch {
    return null
  }
  const pr = (event as { pull_request?: { number?: unknown; head?: { sha?: unknown } } } | null)?.pull_request
  if (!pr || !Number.isSafeInteger(pr.number) || (pr.number as number) <= 0) return null
  const sha = pr.head?.sha
  return { number: pr.number as number, headSha: typeof sha === 'string' && /^[0-9a-f]{40,64}$/.test(sha) ? sha : null }
}
