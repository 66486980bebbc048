// The report formats in one place: which there are, how the outcome of a lint or of `verify` is written
// in each, and what each writes when the run stops with an error (exit code 2). A CI step that reads
// stdout (a SARIF upload, GitLab's code-quality artifact, a pull-request comment) then gets a document
// that says why the run failed instead of an empty file and an error of its own about that.
// Reporters are imported by the format that needs them: a lint loads one.
import fs from 'node:fs'
import type { ChalkInstance } from 'chalk'
import type { LintOutcome } from '../run.js'
import type { VerifyOutcome } from '../verify/verify.js'

export const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown', 'gitlab', 'gcc'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderOptions {
  quiet: boolean
  chalk: ChalkInstance
  env: NodeJS.ProcessEnv
}

/** A large report comes in pieces, to be written as they come (see jsonChunks). */
export async function renderLint(format: Format, outcome: LintOutcome, options: RenderOptions): Promise<string | Iterable<string>> {
  // The text report's code frames and GitLab's fingerprints read the statements a finding is in: a lint
  // answered from the cache has not loaded the parser (runLint's parserOnDemand).
  if ((format === 'text' || format === 'gitlab') && outcome.findings.length) await (await import('../parse/sql.js')).loadParser()
  switch (format) {
    case 'json':
      return (await import('./json.js')).jsonChunks(outcome)
    case 'sarif':
      return (await import('./sarif.js')).formatSarif(outcome)
    case 'github':
      return (await import('./github.js')).formatGithub(outcome, { quiet: options.quiet })
    case 'markdown': {
      const { formatMarkdown, repositoryLinks } = await import('./markdown.js')
      return formatMarkdown(outcome, { quiet: options.quiet, links: repositoryLinks(options.env) })
    }
    case 'gitlab':
      return (await import('./gitlab.js')).formatGitlab(outcome)
    case 'gcc':
      return (await import('./gcc.js')).formatGcc(outcome, { quiet: options.quiet })
    case 'text':
      return (await import('./text.js')).textChunks(outcome, { chalk: options.chalk, quiet: options.quiet })
  }
}

/** `verify` adds its lock table to the text and a `locks` array to the JSON; the other formats are the lint's. */
export async function renderVerify(format: Format, outcome: VerifyOutcome, options: RenderOptions): Promise<string | Iterable<string>> {
  if (format === 'text') return (await import('../verify/report.js')).formatVerifyText(outcome, { chalk: options.chalk, quiet: options.quiet })
  if (format === 'json') return (await import('../verify/report.js')).formatVerifyJson(outcome)
  return renderLint(format, outcome, options)
}

/** In GitHub Actions `--format github` puts the annotations in the log and the whole report in the job summary. */
export async function appendStepSummary(format: Format, outcome: LintOutcome, options: RenderOptions): Promise<void> {
  const summary = format === 'github' ? options.env.GITHUB_STEP_SUMMARY : undefined
  if (!summary) return
  const { formatMarkdown, repositoryLinks } = await import('./markdown.js')
  fs.appendFileSync(summary, formatMarkdown(outcome, { quiet: options.quiet, links: repositoryLinks(options.env) }))
}

/**
 * What stdout gets when the run stops with an error (the one line on stderr is written as well). Text
 * and gcc get nothing: a terminal already shows the stderr line, and gcc itself prints a fatal error on
 * stderr only. `message` is already escaped for display.
 */
export async function renderError(format: Format, message: string, exitCode: number): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./json.js')).formatJsonError(message, exitCode, (await import('./sarif.js')).migrateLintTool().version)
    case 'sarif':
      return (await import('./sarif.js')).formatSarifError(message, exitCode)
    case 'github':
      return (await import('./github.js')).formatGithubError(message)
    case 'markdown':
      return (await import('./markdown.js')).formatMarkdownError(message, exitCode)
    case 'gitlab':
      return (await import('./gitlab.js')).formatGitlabError(message)
    case 'gcc':
    case 'text':
      return ''
  }
}

/**
 * The format the command line asks for, read from the arguments themselves: an error in parsing them
 * (an unknown option) comes before commander has set any option, and still deserves its format.
 */
export function requestedFormat(argv: readonly string[]): Format | null {
  let format: string | null = null
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break
    if (argv[i] === '--format' && i + 1 < argv.length) format = argv[++i]
    else if (argv[i].startsWith('--format=')) format = argv[i].slice('--format='.length)
  }
  return FORMATS.find(f => f === format) ?? null
}
