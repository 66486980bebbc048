// The release report in Markdown, for a pull-request comment or a GitHub step summary: the verdict
// first, the migrations with their phase, then the findings of each migration with the safe plan.
import type { Finding, Release, Severity } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayText } from '../util/display-text.js'
import { displayed } from './displayed.js'
import { pullRequestOf } from './github-event.js'
import { countsText, helpLabel, releaseRange, shownFindings, verdictWords } from './plain-text.js'

export interface MarkdownOptions {
  quiet: boolean
  /** Where the report is read (a pull-request comment, a job summary): links to the linted commit. Without it links are relative to the repository root. */
  links?: RepositoryLinks | null
}

export interface RepositoryLinks {
  /** Turns a repository path into a URL by appending it: `https://github.com/o/r/blob/<sha>/`. */
  base: string
  /** The fragment for a finding's lines: GitHub's `#L2-L4`, GitLab's `#L2-4`. */
  lines: (start: number, end: number | undefined) => string
}

const BADGE: Record<Severity, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 note' }

export function formatMarkdown(raw: LintOutcome, options: MarkdownOptions): string {
  // Paths stay exact for link targets (percent-encoded); the linker escapes the text it shows.
  const outcome = displayed(raw, { exactPaths: true })
  const link = linker(options.links ?? null)
  const shown = shownFindings(outcome, options.quiet)
  const blocks: string[] = []
  if (outcome.release) blocks.push(verdictHeading(outcome.release), migrationTable(outcome.release, link))
  else blocks.push('## migrate-lint')
  if (shown.length) for (const group of groupFindings(shown, outcome.release)) blocks.push(findingGroup(group, link))
  else blocks.push('No findings.')
  blocks.push(`<sub>migrate-lint: ${escapeMarkdown(countsText(outcome, shown))}</sub>`)
  if (!options.quiet && outcome.notes.length) blocks.push(outcome.notes.map(n => `> ${escapeMarkdown(n)}`).join('\n>\n'))
  return `${blocks.join('\n\n')}\n`
}

function verdictHeading(release: Release): string {
  const range = `\`${releaseRange(release)}\``
  const icon = { 'revert-safe': '✅', 'not-revert-safe': '❌', unproven: '⚠️' }[release.verdict]
  return `## ${icon} migrate-lint · Release ${range}: ${escapeMarkdown(verdictWords(release))}`
}

function migrationTable(release: Release, link: Linker): string {
  if (!release.migrations.length) return '_No migrations in this release._'
  const rows = release.migrations.map(m => {
    const phase = m.phase === 'breaking' ? '**breaking**' : m.phase
    return `| ${link(m.file, null, m.file)} | ${phase} | ${m.findings} |`
  })
  return ['| migration | phase | findings |', '|---|---|---:|', ...rows].join('\n')
}

interface Group {
  title: string
  findings: Finding[]
}

/** By migration (a migration may span an up and a down file), in the order the findings come. */
function groupFindings(findings: readonly Finding[], release: Release | null): Group[] {
  const files = new Map(release?.migrations.map(m => [m.id, m.file]) ?? [])
  const groups = new Map<string, Group>()
  for (const f of findings) {
    const key = f.migrationId ?? f.file
    const group = groups.get(key) ?? { title: files.get(key) ?? key, findings: [] }
    group.findings.push(f)
    groups.set(key, group)
  }
  return [...groups.values()]
}

function findingGroup(group: Group, link: Linker): string {
  const items = group.findings.map(f => {
    const head = `- ${BADGE[f.severity]} \`${f.ruleId}\` at ${link(f.file, f, `${f.file}:${f.line}`)}`
    const body = [escapeMarkdown(f.message), ...(f.help ? [`**${helpLabel(f)}:** ${escapeMarkdown(f.help)}`] : [])]
    // Two trailing spaces: a line break inside the list item.
    return [head, ...body.map(line => `  ${line}`)].join('  \n')
  })
  return `### ${link(group.title, null, group.title)}\n\n${items.join('\n')}`
}

type Linker = (file: string, at: Pick<Finding, 'line' | 'endLine'> | null, text: string) => string

function linker(links: RepositoryLinks | null): Linker {
  const lines = links?.lines ?? GITHUB_LINES
  return (file, at, text) => {
    const target = file.split('/').map(encodeURIComponent).join('/')
    const anchor = at ? lines(at.line, at.endLine) : ''
    return `[${escapeMarkdown(displayText(text))}](${links?.base ?? ''}${target}${anchor})`
  }
}

const GITHUB_LINES = (start: number, end: number | undefined) => (end && end > start ? `#L${start}-L${end}` : `#L${start}`)
const GITLAB_LINES = (start: number, end: number | undefined) => (end && end > start ? `#L${start}-${end}` : `#L${start}`)

/**
 * Where findings link to when the report is read in a pull-request comment or a job summary, where a
 * relative link resolves against the page's own URL and leads nowhere: the files at the linted commit
 * on GitHub (Actions) or GitLab (CI). Null elsewhere: links relative to the repository root.
 */
export function repositoryLinks(env: NodeJS.ProcessEnv): RepositoryLinks | null {
  const github = githubBlobBase(env)
  if (github) return { base: github, lines: GITHUB_LINES }
  const gitlab = gitlabBlobBase(env)
  if (gitlab) return { base: gitlab, lines: GITLAB_LINES }
  return null
}

/**
 * In a pull_request run GITHUB_SHA is the merge commit GitHub makes for the run, replaced on the next
 * push and then garbage-collected, and a link to it dies with it: the pull request's head commit
 * (from the event payload) stays. The migrations a pull request adds read the same in both.
 */
export function githubBlobBase(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = env
  const head = env.GITHUB_EVENT_NAME === 'pull_request' ? pullRequestOf(env)?.headSha : null
  const sha = head ?? env.GITHUB_SHA
  return server && repo && sha ? `${server.replace(/\/+$/, '')}/${repo}/blob/${sha}/` : null
}

/** GitLab CI: the merge request's own head in a merged-results pipeline, else the commit of the pipeline. */
function gitlabBlobBase(env: NodeJS.ProcessEnv): string | null {
  const sha = env.CI_MERGE_REQUEST_SOURCE_BRANCH_SHA || env.CI_COMMIT_SHA
  return env.CI_PROJECT_URL && sha ? `${env.CI_PROJECT_URL.replace(/\/+$/, '')}/-/blob/${sha}/` : null
}

/** A run that stopped with an error: a comment or summary that says so, not an empty one. */
export function formatMarkdownError(message: string, exitCode: number): string {
  return `## ⚠️ migrate-lint could not run\n\n${escapeMarkdown(message)}\n\n<sub>migrate-lint: exit code ${exitCode}</sub>\n`
}

/** Messages quote SQL and paths: keep `*`, `_`, `<`, `|`… literal. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|~]/g, c => `\\${c}`)
}
