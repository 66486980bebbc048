// `migrate-lint comment`: the Markdown report as the pull request's comment, one comment per pull request
// that each run edits (found by a hidden marker) instead of a new one per push. Talks to the GitHub REST
// API the workflow names (GITHUB_API_URL) with the token it is given (GITHUB_TOKEN).
import fs from 'node:fs'
import { UsageError } from '../util/errors.js'
import { pullRequestOf } from './github-event.js'

/** The first line of every comment migrate-lint writes: how the next run finds it again. */
export const COMMENT_MARKER = '<!-- migrate-lint -->'

/** GitHub refuses a comment body longer than 65,536 characters. */
const MAX_BODY = 65_536

export interface CommentTarget {
  api: string
  repository: string
  pullRequest: number
  token: string
}

/** Where to comment, from the environment of a pull_request workflow run; a usage error that says what is missing. */
export function commentTarget(env: NodeJS.ProcessEnv): CommentTarget {
  const token = env.GITHUB_TOKEN
  if (!token) throw new UsageError('comment: GITHUB_TOKEN is not set: give the step `env: GITHUB_TOKEN: ${{ github.token }}` (and the job `permissions: pull-requests: write`).')
  const repository = env.GITHUB_REPOSITORY
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new UsageError('comment: GITHUB_REPOSITORY (owner/name) is not set: run `migrate-lint comment` in a GitHub Actions workflow.')
  const pr = pullRequestOf(env)
  if (!pr) throw new UsageError(`comment: the ${env.GITHUB_EVENT_NAME || 'run'} event names no pull request (GITHUB_EVENT_PATH): run \`migrate-lint comment\` on pull_request.`)
  return { api: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''), repository, pullRequest: pr.number, token }
}

export interface CommentResult {
  action: 'created' | 'updated'
  url: string
}

/** The report to post: a file written by `--format markdown`, or stdin (`-`, or no file when stdin is a pipe). */
export async function readReport(file: string | undefined, stdin: NodeJS.ReadStream): Promise<string> {
  let text: string
  if (file === undefined || file === '-') {
    if (file === undefined && stdin.isTTY) throw new UsageError('comment: name the report (migrate-lint --format markdown > report.md; migrate-lint comment report.md), or pipe it in.')
    const chunks: Buffer[] = []
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer))
    text = Buffer.concat(chunks).toString('utf8')
  } else {
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (error) {
      throw new UsageError(`comment: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`)
    }
  }
  // An empty report is a run that wrote nothing (it crashed before, or the step wrote elsewhere): posting it would hide that.
  if (!text.trim()) throw new UsageError(`comment: the report ${file && file !== '-' ? file : 'on stdin'} is empty: write it with \`migrate-lint --format markdown\`.`)
  return text
}

/** Edits the pull request's migrate-lint comment, or writes one when there is none yet. */
export async function upsertComment(target: CommentTarget, markdown: string): Promise<CommentResult> {
  const body = commentBody(markdown)
  const issue = `/repos/${target.repository}/issues/${target.pullRequest}`
  const existing = await findComment(target, issue)
  if (existing !== null) {
    const updated = (await request(target, 'PATCH', `/repos/${target.repository}/issues/comments/${existing}`, { body })) as { html_url?: string }
    return { action: 'updated', url: String(updated.html_url ?? '') }
  }
  const created = (await request(target, 'POST', `${issue}/comments`, { body })) as { html_url?: string }
  return { action: 'created', url: String(created.html_url ?? '') }
}

/** The marker first, then the report; a report past GitHub's limit is cut at a line and says so. */
export function commentBody(markdown: string): string {
  const full = `${COMMENT_MARKER}\n${markdown}`
  if (full.length <= MAX_BODY) return full
  const note = '\n\n_The report is longer than a comment may be: the rest is in the job log (run `migrate-lint` or `--format github`)._\n'
  const cut = full.lastIndexOf('\n', MAX_BODY - note.length)
  return `${full.slice(0, cut)}${note}`
}

/** The id of the first comment that starts with the marker, page by page (100 a page, oldest first). */
async function findComment(target: CommentTarget, issue: string): Promise<number | null> {
  for (let page = 1; ; page++) {
    const comments = await request(target, 'GET', `${issue}/comments?per_page=100&page=${page}`)
    if (!Array.isArray(comments)) throw new UsageError(`comment: GET ${issue}/comments did not answer a list of comments.`)
    const ours = comments.find((c: { id?: unknown; body?: unknown }) => typeof c.body === 'string' && c.body.startsWith(COMMENT_MARKER) && Number.isSafeInteger(c.id))
    if (ours) return ours.id as number
    if (comments.length < 100) return null
  }
}

async function request(target: CommentTarget, method: string, route: string, body?: unknown): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`${target.api}${route}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${target.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'migrate-lint',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
    throw new UsageError(`comment: the GitHub API at ${target.api} could not be reached (${cause}).`)
  }
  const text = await response.text()
  if (!response.ok) {
    let detail = ''
    try {
      detail = String((JSON.parse(text) as { message?: unknown }).message ?? '')
    } catch {
      detail = text.slice(0, 200)
    }
    const hint = response.status === 403 || response.status === 404 ? ' — the token needs `permissions: pull-requests: write` (a pull request from a fork gets a read-only token)' : ''
    throw new UsageError(`comment: ${method} ${route.replace(/\?.*$/, '')} answered ${response.status}${detail ? ` (${detail})` : ''}${hint}.`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new UsageError(`comment: ${method} ${route.replace(/\?.*$/, '')} answered with no JSON.`)
  }
}
