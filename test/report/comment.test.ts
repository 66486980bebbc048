// `migrate-lint comment` against a local HTTP server standing in for the GitHub API (the network is
// not reachable from tests): it finds its earlier comment by the marker and edits it, writes one when
// there is none, and stops with one clear line (exit 2) when the API refuses or cannot be reached.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { COMMENT_MARKER, commentBody } from '../../src/report/comment.js'
import { runCli, runCliAsync, tempTree } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

interface Seen {
  method: string
  url: string
  authorization: string | undefined
  body: { body?: string } | null
}

type Handler = (method: string, url: string) => { status: number; json: unknown }

let server: http.Server | null = null
afterEach(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())))

/** An API on 127.0.0.1 that answers with `handler` and records every request. */
async function fakeApi(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = []
  server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', chunk => (raw += chunk))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : null })
      const { status, json } = handler(req.method!, req.url!)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    })
  })
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen }
}

/** A pull_request run's environment: the event payload in a file, as the runner writes it. */
function actionsEnv(api: string, extra: Record<string, string> = {}): Record<string, string> {
  const event = path.join(tempTree({}), 'event.json')
  fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 42, head: { sha: 'a'.repeat(40) } } }))
  return { GITHUB_API_URL: api, GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_TOKEN: 'ghs_test', ...extra }
}

const report = '## ❌ migrate-lint · Release `v1.4..HEAD`: NOT revert-safe (1 blocking)\n'
const comment = (id: number, body: string) => ({ id, body, html_url: `https://github.com/acme/shop/pull/42#issuecomment-${id}` })

describe('migrate-lint comment', () => {
  it('edits its own earlier comment, found by the marker on a later page', async () => {
    const others = Array.from({ length: 100 }, (_, i) => comment(i + 1, i === 5 ? `quoting ${COMMENT_MARKER}` : 'LGTM'))
    const api = await fakeApi((method, url) => {
      if (method === 'GET' && url.endsWith('page=1')) return { status: 200, json: others }
      if (method === 'GET' && url.endsWith('page=2')) return { status: 200, json: [comment(101, 'nice'), comment(102, `${COMMENT_MARKER}\nold report`)] }
      if (method === 'PATCH') return { status: 200, json: comment(102, 'new') }
      return { status: 500, json: { message: 'unexpected' } }
    })
    const dir = tempTree({ 'report.md': report })
    const run = await runCliAsync(['comment', 'report.md'], dir, actionsEnv(api.url))
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('migrate-lint: updated the comment on pull request #42: https://github.com/acme/shop/pull/42#issuecomment-102\n')
    expect(api.seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'GET /repos/acme/shop/issues/42/comments?per_page=100&page=1',
      'GET /repos/acme/shop/issues/42/comments?per_page=100&page=2',
      'PATCH /repos/acme/shop/issues/comments/102',
    ])
    expect(api.seen.every(s => s.authorization === 'Bearer ghs_test')).toBe(true)
    expect(api.seen[2].body).toEqual({ body: `${COMMENT_MARKER}\n${report}` })
  })

  it('writes a new comment when there is none; the report can come on stdin', async () => {
    const api = await fakeApi(method => (method === 'GET' ? { status: 200, json: [comment(7, 'LGTM')] } : { status: 201, json: comment(8, 'x') }))
    const run = await runCliAsync(['comment', '-'], tempTree({}), actionsEnv(api.url), report)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('migrate-lint: created the comment on pull request #42: https://github.com/acme/shop/pull/42#issuecomment-8\n')
    expect(api.seen.map(s => `${s.method} ${s.url}`)).toEqual(['GET /repos/acme/shop/issues/42/comments?per_page=100&page=1', 'POST /repos/acme/shop/issues/42/comments'])
    expect(api.seen[1].body).toEqual({ body: `${COMMENT_MARKER}\n${report}` })
  })

  it('end to end: the --format markdown report of a real repository, with links to the head commit, posted', async () => {
    const repo = new TestRepo()
      .commit('v1.4', {
        'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
        'src/mailer.ts': "export const recipients = (c) => c.query('SELECT email FROM users')\n",
      })
      .tag('v1.4')
      .commit('drop', { 'migrations/002_drop.sql': "SET lock_timeout = '5s'; SET statement_timeout = '60s';\nALTER TABLE users DROP COLUMN email;\n" })
    const api = await fakeApi(method => (method === 'GET' ? { status: 200, json: [] } : { status: 201, json: comment(9, 'x') }))
    const env = actionsEnv(api.url, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_SHA: 'b'.repeat(40) })
    const lint = runCli(['--format', 'markdown'], repo.dir, env)
    expect(lint.code).toBe(1)
    fs.writeFileSync(path.join(repo.dir, '..', `${path.basename(repo.dir)}.md`), lint.stdout)
    const run = await runCliAsync(['comment', path.join(repo.dir, '..', `${path.basename(repo.dir)}.md`)], repo.dir, env)
    expect(run.code).toBe(0)
    const posted = api.seen[1].body!.body!
    expect(posted.split('\n').slice(0, 2)).toEqual([COMMENT_MARKER, '## ❌ migrate-lint · Release `v1.4..HEAD`: NOT revert-safe (1 blocking)'])
    expect(posted).toContain(`](https://github.com/acme/shop/blob/${'a'.repeat(40)}/migrations/002_drop.sql#L2)`)
  })

  it('an API that refuses: one line that says what to do, exit 2, nothing posted twice', async () => {
    const api = await fakeApi(method => (method === 'GET' ? { status: 200, json: [] } : { status: 403, json: { message: 'Resource not accessible by integration' } }))
    const run = await runCliAsync(['comment', 'report.md'], tempTree({ 'report.md': report }), actionsEnv(api.url))
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(
      'migrate-lint: comment: POST /repos/acme/shop/issues/42/comments answered 403 (Resource not accessible by integration) — the token needs `permissions: pull-requests: write` (a pull request from a fork gets a read-only token).\n',
    )
    expect(api.seen.filter(s => s.method === 'POST')).toHaveLength(1)
  })

  it('an API that cannot be reached, a missing token, a run that is no pull request, an empty report: exit 2, one line', async () => {
    const api = await fakeApi(() => ({ status: 200, json: [] }))
    const closed = api.url
    await new Promise<void>(resolve => server!.close(() => resolve()))
    server = null
    const dir = tempTree({ 'report.md': report, 'empty.md': '\n' })
    const cases: [Record<string, string>, string, RegExp][] = [
      [actionsEnv(closed), 'report.md', /^migrate-lint: comment: the GitHub API at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)\.\n$/],
      [actionsEnv(closed, { GITHUB_TOKEN: '' }), 'report.md', /^migrate-lint: comment: GITHUB_TOKEN is not set: give the step `env: GITHUB_TOKEN: \$\{\{ github\.token \}\}`/],
      [actionsEnv(closed, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '' }), 'report.md', /^migrate-lint: comment: the push event names no pull request/],
      [actionsEnv(closed), 'empty.md', /^migrate-lint: comment: the report empty\.md is empty: write it with `migrate-lint --format markdown`\.\n$/],
      [actionsEnv(closed), 'missing.md', /^migrate-lint: comment: cannot read missing\.md \(ENOENT\)\.\n$/],
    ]
    for (const [env, file, stderr] of cases) {
      const run = await runCliAsync(['comment', file], dir, env)
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toMatch(stderr)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
    }
  })

  it('a report longer than GitHub allows is cut at a line and says so', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `- finding ${i} ${'x'.repeat(20)}`).join('\n')
    const body = commentBody(long)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body.startsWith(`${COMMENT_MARKER}\n- finding 0 `)).toBe(true)
    expect(body).toMatch(/x\n\n_The report is longer than a comment may be: the rest is in the job log/)
    expect(commentBody('short')).toBe(`${COMMENT_MARKER}\nshort`)
  })
})
