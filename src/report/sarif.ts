// SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer): one run, every rule described
// from its docs, one result per finding; suppressed findings stay in, marked as suppressed in source.
import { createHash } from 'node:crypto'
import type { Log, ReportingDescriptor, Result, Run } from 'sarif'
import type { Finding, Severity, Verdict } from '../model.js'
import type { Rule } from '../engine/rule.js'
import type { LintOutcome } from '../run.js'
import { allRules } from '../../rules/index.js'
import { displayed } from './displayed.js'
import { helpLabel, verdictText } from './plain-text.js'
import { ownPackageJson } from '../util/own-package.js'

export interface SarifTool {
  version: string
  /** The tool's home page. */
  informationUri: string
  /** The repository's web address: each rule's help links to its page there (docs/rules/<id>.md); else the home page's "Rules" section. */
  repository?: string
}

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'
const FINGERPRINT_KEY = 'migrateLint/v1'
const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' }
const VERDICT_LEVEL: Record<Verdict, 'note' | 'warning' | 'error'> = { 'revert-safe': 'note', unproven: 'warning', 'not-revert-safe': 'error' }

export function formatSarif(outcome: LintOutcome, tool: SarifTool = migrateLintTool()): string {
  return `${JSON.stringify(toSarifLog(outcome, tool), null, 2)}\n`
}

export function toSarifLog(raw: LintOutcome, tool: SarifTool): Log {
  // Paths are percent-encoded into URIs; the texts a viewer shows are escaped as in every report.
  const outcome = displayed(raw, { exactPaths: true })
  const rules = describedRules(outcome.findings)
  const index = new Map(rules.map((r, i) => [r.id, i]))
  const fingerprints = fingerprintsOf(outcome.findings)
  const run: Run = {
    tool: { driver: driverOf(tool, rules.map(r => describeRule(r, tool))) },
    // Columns are JavaScript string positions (see src/parse/source-text.ts).
    columnKind: 'utf16CodeUnits',
    invocations: [
      {
        executionSuccessful: true,
        // The verdict leads (DESIGN §7), then the notes on how the run was made.
        toolExecutionNotifications: [
          ...(outcome.release ? [{ level: VERDICT_LEVEL[outcome.release.verdict], message: { text: verdictText(outcome.release) } }] : []),
          ...outcome.notes.map(text => ({ level: 'note' as const, message: { text } })),
        ],
      },
    ],
    results: outcome.findings.map((f, i) => toResult(f, index.get(f.ruleId)!, fingerprints[i])),
    ...(outcome.release
      ? {
          properties: {
            verdict: outcome.release.verdict,
            revertSafe: outcome.release.revertSafe,
            base: outcome.release.base,
            head: outcome.release.head,
          },
        }
      : {}),
  }
  return { $schema: SCHEMA_URI, version: '2.1.0', runs: [run] }
}

/**
 * The log of a run that stopped with an error (exit code 2) before it judged anything: the invocation
 * unsuccessful with the error as its notification — GitHub code scanning then processes nothing and
 * closes none of its alerts (an empty successful run would close them all) — and an empty `results`,
 * which the upload action requires of every run.
 */
export function formatSarifError(message: string, exitCode: number, tool: SarifTool = migrateLintTool()): string {
  const run: Run = {
    tool: { driver: driverOf(tool, []) },
    invocations: [{ executionSuccessful: false, exitCode, toolExecutionNotifications: [{ level: 'error', message: { text: message } }] }],
    results: [],
  }
  const log: Log = { $schema: SCHEMA_URI, version: '2.1.0', runs: [run] }
  return `${JSON.stringify(log, null, 2)}\n`
}

function driverOf(tool: SarifTool, rules: ReportingDescriptor[]): Run['tool']['driver'] {
  return { name: 'migrate-lint', version: tool.version, semanticVersion: tool.version, informationUri: tool.informationUri, rules }
}

/** Every registered rule (so rule indexes do not move between runs), then any id only a finding names. */
function describedRules(findings: readonly Finding[]): (Rule | { id: string })[] {
  const known = new Set(allRules.map(r => r.id))
  const extra = [...new Set(findings.map(f => f.ruleId).filter(id => !known.has(id)))].sort()
  return [...allRules, ...extra.map(id => ({ id }))]
}

function describeRule(rule: Rule | { id: string }, tool: SarifTool): ReportingDescriptor {
  if (!('docs' in rule)) return { id: rule.id, name: pascalCase(rule.id), shortDescription: { text: rule.id } }
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.docs.why },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: tool.repository ? `${tool.repository}/blob/main/docs/rules/${rule.id}.md` : `${tool.informationUri}#rules`,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: [rule.category] },
  }
}

function helpText(rule: Rule): string {
  return [
    rule.docs.why,
    ...(rule.docs.setup ? [`Given (an earlier release): ${rule.docs.setup}`] : []),
    `Bad: ${rule.docs.bad}`,
    `Good: ${rule.docs.good}`,
    `Safe alternative: ${rule.docs.fix}`,
    `Disable on one statement: -- migrate-lint-disable-next-line ${rule.id} -- <reason>`,
  ].join('\n\n')
}

function helpMarkdown(rule: Rule): string {
  const lang = rule.docs.examples === 'file-names' ? 'text' : 'sql'
  const block = (code: string) => `\`\`\`${lang}\n${code}\n\`\`\``
  return [
    rule.docs.why,
    ...(rule.docs.setup ? ['**Given** (an earlier release):', block(rule.docs.setup)] : []),
    '**Bad**', block(rule.docs.bad),
    '**Good**', block(rule.docs.good),
    `**Safe alternative:** ${rule.docs.fix}`,
    `Disable on one statement: \`-- migrate-lint-disable-next-line ${rule.id} -- <reason>\``,
  ].join('\n\n')
}

function toResult(f: Finding, ruleIndex: number, fingerprint: string): Result {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: f.help ? `${f.message}\n${helpLabel(f)}: ${f.help}` : f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(f.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: f.line,
            startColumn: f.column,
            ...(f.endLine !== undefined && f.endColumn !== undefined ? { endLine: f.endLine, endColumn: f.endColumn } : {}),
          },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.reason }] } : {}),
    properties: { category: f.category, ...(f.migrationId !== undefined ? { migrationId: f.migrationId } : {}) },
  }
}

/**
 * Stable across unrelated edits: the rule, the file and the message with line numbers taken out, so a
 * finding keeps its identity (and its dismissal on GitHub) when lines above it move. Equal keys in one
 * run are told apart by their order, as GitHub does with its own line hashes.
 */
export function fingerprintsOf(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>()
  return findings.map(f => {
    const key = createHash('sha256').update(`${f.ruleId}\0${f.file}\0${normalizeMessage(f.message)}`).digest('hex').slice(0, 32)
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    return `${key}:${n}`
  })
}

export function normalizeMessage(message: string): string {
  return message
    .replace(/(\.[A-Za-z0-9]+):\d+(:\d+)?/g, '$1')
    .replace(/\bline \d+/g, 'line')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A relative URI reference: `/`-separated, each segment percent-encoded (spaces, `#`, `%`). */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/')
}

const pascalCase = (id: string) => id.split('-').map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('')

/** Name, version, home page and repository from this package's own package.json. */
export function migrateLintTool(): SarifTool {
  const pkg = ownPackageJson()
  const homepage = typeof pkg.homepage === 'string' ? pkg.homepage.replace(/#.*$/, '') : null
  const repository = repositoryWebUrl(pkg.repository)
  return {
    version: String(pkg.version),
    informationUri: homepage ?? repository ?? `https://www.npmjs.com/package/${String(pkg.name)}`,
    ...(repository ? { repository } : {}),
  }
}

/** `{ "url": "git+https://github.com/o/r.git" }` → `https://github.com/o/r` (null for another form). */
function repositoryWebUrl(repository: unknown): string | null {
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url
  if (typeof url !== 'string') return null
  const web = url.replace(/^git\+/, '').replace(/\.git$/, '')
  return /^https:\/\/[^/]+\/[^/]+\/[^/]+$/.test(web) ? web : null
}
