// The release report in Markdown, for a pull-request comment or a GitHub step summary: the verdict
// first, the migrations with their phase, then the findings of each migration with the safe plan.
import type { Finding, Release, Severity } from '../model.js'
import type { LintOutcome } from '../run.js'
import { displayText } from '../util/display-text.js'
import { displayed } from './displayed.js'
import { countsText, helpLabel, releaseRange, shownFindings, verdictWords } from './plain-text.js'

export interface MarkdownOptions {
  quiet: boolean
  /**
   * Prefix that turns a repository path into a link, e.g. `https://github.com/o/r/blob/<sha>/`.
   * Without it links are relative to the repository root.
   */
  linkBase?: string | null
}

const BADGE: Record<Severity, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 note' }

export function formatMarkdown(raw: LintOutcome, options: MarkdownOptions): string {
  // Paths stay exact for link targets (percent-encoded); the linker escapes the text it shows.
  const outcome = displayed(raw, { exactPaths: true })
  const link = linker(options.linkBase ?? null)
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

function linker(base: string | null): Linker {
  return (file, at, text) => {
    const target = file.split('/').map(encodeURIComponent).join('/')
    const anchor = !at ? '' : at.endLine && at.endLine > at.line ? `#L${at.line}-L${at.endLine}` : `#L${at.line}`
    return `[${escapeMarkdown(displayText(text))}](${base ?? ''}${target}${anchor})`
  }
}

/**
 * Where findings link to when the report is read on GitHub (a step summary or a comment): the blob at
 * the commit that was linted. Null outside GitHub Actions.
 */
export function githubBlobBase(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env
  return server && repo && sha ? `${server}/${repo}/blob/${sha}/` : null
}

/** Messages quote SQL and paths: keep `*`, `_`, `<`, `|`… literal. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>|~]/g, c => `\\${c}`)
}
