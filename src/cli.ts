// The command line (DESIGN §8). Parses arguments, calls the job, prints one report, returns the exit code.
import fs from 'node:fs'
import path from 'node:path'
import { Chalk, supportsColor, type ChalkInstance } from 'chalk'
import { Command, CommanderError, Option } from 'commander'
import type { Config } from './config.js'
import { findConfigFile } from './config-file.js'
import { migrationFolders } from './discover/folders.js'
import { EarlyGit } from './git.js'
import { FORMATS, renderError, requestedFormat, type Format, type RenderOptions } from './report/formats.js'
import { closest } from './util/closest.js'
import { displayText } from './util/display-text.js'
import { UsageError } from './util/errors.js'
import { writePieces } from './util/write-pieces.js'
import { ownPackageJson } from './util/own-package.js'

// Everything past argument parsing is imported by the command that needs it: `--help`, `rules` and
// `explain` never load the parser (libpg-query), oxc-parser or PGlite, and a lint loads one reporter.

interface LintFlags {
  format: Format
  since?: string
  staged: boolean
  config?: string
  postgresVersion?: string
  color: boolean
  quiet: boolean
  cache: boolean
  maxWarnings?: string
  stdinFilename?: string
}

export async function main(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream } = process,
): Promise<number> {
  let exitCode = 0
  // A run that stopped with an error writes its error document only when no report was written.
  let wrote = false
  const write = (output: string | Iterable<string>): Promise<void> => {
    const pieces = typeof output === 'string' ? [output] : output
    return writePieces(io.stdout, pieces, s => (wrote ||= s.length > 0))
  }
  const program = new Command('migrate-lint')
    .description('Revert-safety linter for Postgres migrations.')
    .argument('[paths...]', 'migration files or folders (default: config "migrations", or the usual folders); - reads one SQL migration from stdin')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--config <file>', 'config file (default: the nearest migrate-lint.config.json, or "migrate-lint" in package.json, from the current folder up)')
    .option('--since <ref>', 'judge the release since this git ref (default: the newest tag matching tagPattern)')
    .option('--staged', 'judge only the staged files (pre-commit)', false)
    .option('--postgres-version <n>', 'major version of the production Postgres (default 15)')
    .option('--no-color', 'plain output')
    .option('--quiet', 'report errors only', false)
    .option('--no-cache', 'neither read nor write the cache (~/.cache/migrate-lint, or MIGRATE_LINT_CACHE_DIR)')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings (as ESLint)')
    .option('--stdin-filename <path>', 'the name findings give the migration read from stdin (-) (default: <stdin>)')
    .version(String(ownPackageJson().version), '-V, --version', 'print the version')
    .helpCommand('help [command]', 'print the help of a command')
    // `verify --format json`: options after a subcommand are the subcommand's, not the lint's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: s => void io.stderr.write(s) })
    .action(async (paths: string[], flags: LintFlags) => {
      const maxWarnings = warningLimit(flags.maxWarnings)
      if (paths.includes('-') || flags.stdinFilename !== undefined) {
        const { code, warnings } = await lintStdin(paths, flags, io.stdin ?? process.stdin, io.stdout, write)
        exitCode = overWarningLimit(code, maxWarnings, io.stderr, warnings)
        return
      }
      // libpg-query (its WASM read and compiled) is loaded by the first step that parses: a run answered
      // from the cache loads none of it, and the reports that show statements load it (parserOnDemand).
      const root = findRoot(process.cwd())
      // git runs while the modules below load: a pre-commit run does not wait for it twice. The usual
      // folders are looked for under the config's folder (a package of a monorepo).
      const base = findConfigFile(root, process.cwd(), flags.config)?.dir
      const early = fs.existsSync(path.join(root, '.git'))
        ? EarlyGit.startLint(root, { staged: flags.staged, since: flags.since, folders: migrationFolders(root, process.cwd(), paths, base).folders })
        : undefined
      const { runLint, exitCodeOf } = await import('./run.js')
      const config = await lintConfig(root, flags)
      const cache = flags.cache ? undefined : (await import('./cache/store.js')).NO_CACHE
      const outcome = await runLint({ root, cwd: process.cwd(), paths, config, since: flags.since, staged: flags.staged, cache, early, parserOnDemand: true })
      const { renderLint, appendStepSummary } = await import('./report/formats.js')
      const options = renderOptions(flags, io.stdout)
      // Most commits stage no migration: the pre-commit hook then prints nothing, as ESLint on a clean run.
      const nothingJudged = flags.staged && flags.format === 'text' && !outcome.migrations.length && !outcome.findings.length
      if (!nothingJudged) await write(await renderLint(flags.format, outcome, options))
      await appendStepSummary(flags.format, outcome, options)
      exitCode = overWarningLimit(exitCodeOf(outcome), maxWarnings, io.stderr, outcome.summary.warnings)
    })

  program
    .command('init')
    .description('write migrate-lint.config.json, a pre-commit hook and a GitHub Actions workflow')
    .option('--force', 'replace files that exist', false)
    .action(async (flags: { force: boolean }) => {
      // Loaded on demand: the YAML library is for init only.
      const { formatInit, runInit } = await import('./init/init.js')
      const root = findRoot(process.cwd())
      write(formatInit(await runInit({ root, force: flags.force }), root))
    })
  program
    .command('verify')
    .description('replay the release on a real Postgres (embedded PGlite, or --database-url): locks, old queries on the new schema, up/down/up')
    .argument('[paths...]', 'migration files or folders (default: as for lint)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--config <file>', 'config file (default: the nearest migrate-lint.config.json, or "migrate-lint" in package.json, from the current folder up)')
    .option('--since <ref>', 'judge the release since this git ref (default: the newest tag matching tagPattern)')
    .option('--database-url <url>', 'a server to create a throw-away database on (never migrates the database in the URL); or MIGRATE_LINT_DATABASE_URL')
    .option('--no-color', 'plain output')
    .option('--no-cache', 'neither read nor write the cache')
    .action(async (paths: string[], flags: { format: Format; config?: string; since?: string; databaseUrl?: string; color: boolean; cache: boolean }) => {
      // Loaded on demand: PGlite and pg are for verify only.
      const { databaseUrlFromEnv, progressFor, runVerify } = await import('./verify/index.js')
      // Taken out of the environment even when --database-url wins: no worker gets a copy.
      const fromEnv = databaseUrlFromEnv()
      const databaseUrl = flags.databaseUrl ?? fromEnv
      const { exitCodeOf } = await import('./run.js')
      const root = findRoot(process.cwd())
      const config = await configFor(root, flags.config)
      const cache = flags.cache ? undefined : (await import('./cache/store.js')).NO_CACHE
      const request = { root, cwd: process.cwd(), paths, config, since: flags.since, databaseUrl, cache }
      const outcome = await runVerify({ ...request, progress: progressFor(io.stderr) })
      const { renderVerify, appendStepSummary } = await import('./report/formats.js')
      const options = renderOptions({ ...flags, quiet: false }, io.stdout)
      await write(await renderVerify(flags.format, outcome, options))
      await appendStepSummary(flags.format, outcome, options)
      exitCode = exitCodeOf(outcome)
    })
  program
    .command('comment')
    .description('post a --format markdown report as the pull request\'s comment, editing the one an earlier run wrote (GitHub Actions: GITHUB_TOKEN, pull_request)')
    .argument('[report]', 'the Markdown report (default: stdin)')
    .action(async (report: string | undefined) => {
      const { commentTarget, readReport, upsertComment } = await import('./report/comment.js')
      const target = commentTarget(process.env)
      const result = await upsertComment(target, await readReport(report, process.stdin))
      write(`migrate-lint: ${result.action} the comment on pull request #${target.pullRequest}${result.url ? `: ${displayText(result.url)}` : ''}\n`)
    })
  program
    .command('rules')
    .description('list the rules: id, category, default severity, what it flags')
    .action(async () => write((await import('./report/rule-docs.js')).listRules()))
  program
    .command('explain')
    .description('print a rule\'s documentation with examples')
    .argument('<rule-id>')
    .action(async (id: string) => write((await import('./report/rule-docs.js')).explainRule(id)))
  program
    .command('mcp')
    .description('serve coding agents the tools check_release, explain_rule and plan_change: a Model Context Protocol server on stdin/stdout')
    .option('--root <folder>', 'the project the tools work on (default: the current folder)')
    .option('--config <file>', 'config file (default: the nearest migrate-lint.config.json, or "migrate-lint" in package.json, from --root up)')
    .action(async (flags: { root?: string; config?: string }) => {
      const start = path.resolve(flags.root ?? '.')
      if (!fs.statSync(start, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--root ${flags.root}: no such folder.`)
      // Loaded on demand: the MCP SDK is for this command only.
      const { serveStdio } = await import('./mcp/server.js')
      await serveStdio({ root: findRoot(start), cwd: start, configFile: flags.config === undefined ? undefined : path.resolve(flags.config) })
    })
  program
    .command('lsp')
    .description('serve editors diagnostics and quick fixes on migrations, in release context: a Language Server on stdin/stdout')
    .option('--config <file>', 'config file (default: the nearest migrate-lint.config.json, or "migrate-lint" in package.json, from the workspace folder up)')
    .option('--stdio', 'talk over stdin/stdout (the only transport; editors pass it)')
    .action(async (flags: { config?: string }) => {
      // Loaded on demand: vscode-languageserver is for this command only.
      const { serveStdio } = await import('./lsp/server.js')
      const cwd = process.cwd()
      await serveStdio({ root: findRoot(cwd), cwd, configFile: flags.config === undefined ? undefined : path.resolve(flags.config), findRoot })
    })
  program
    .command('plan')
    .description('write the expand-and-contract migrations of one change: drop-column, rename-column, rename-table, change-type, set-not-null, add-foreign-key, add-unique')
    .argument('<change>', 'drop-column | rename-column | rename-table | change-type | set-not-null | add-foreign-key | add-unique')
    .argument('[args...]', 'e.g. users.legacy_email; users.name full_name; orders.amount numeric(12,2); orders.user_id users.id')
    .option('--contract', "write release N+1's migrations (after release N is deployed)", false)
    .option('--dry-run', 'print the plan and every file instead of writing', false)
    .option('--force', 'replace files that exist', false)
    .option('--dir <folder>', 'the migrations folder (default: the config\'s, else the one found)')
    .option('--new-column <name>', 'change-type: the new column (default: <column>_new)')
    .option('--fill <sql>', 'set-not-null: the value a batched backfill gives rows that are NULL')
    .option('--config <file>', 'config file (default: the nearest migrate-lint.config.json, or "migrate-lint" in package.json, from the current folder up)')
    .action(async (change: string, args: string[], flags: { contract: boolean; dryRun: boolean; force: boolean; dir?: string; newColumn?: string; fill?: string; config?: string }) => {
      // Loaded on demand, as init's: the planner, its recipes and renderers are for plan only.
      const [{ parseIntent }, { runPlan }] = await Promise.all([import('./plan/intent.js'), import('./plan/run-plan.js')])
      const intent = parseIntent(change, args, { newColumn: flags.newColumn, fill: flags.fill })
      const root = findRoot(process.cwd())
      const config = await configFor(root, flags.config)
      const dir = flags.dir === undefined ? undefined : path.relative(root, path.resolve(flags.dir)).split(path.sep).join('/') || '.'
      write((await runPlan({ root, config, intent, contract: flags.contract, dryRun: flags.dryRun, force: flags.force, dir })).text)
    })

  try {
    // commander answers `help <unknown>` with the whole help on stderr: one line says more.
    if (argv[0] === 'help' && argv[1] !== undefined && !argv[1].startsWith('-') && !program.commands.some(c => c.name() === argv[1])) {
      const names = program.commands.map(c => c.name())
      const guess = closest(argv[1], names)
      throw new UsageError(`help: no command "${argv[1]}"${guess ? ` (did you mean "${guess}"?)` : ''}; the commands are ${names.join(', ')}.`)
    }
    // `help --help` (which commander takes for an unknown option of help) is the help.
    await program.parseAsync(argv[0] === 'help' && ['--help', '-h'].includes(argv[1]) ? ['--help'] : argv, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0
    // Error lines quote file names, git's words and URLs: escaped and redacted as the reports are.
    const message =
      error instanceof CommanderError ? displayText(error.message.replace(/^error: /, ''))
      : error instanceof UsageError ? displayText(error.message)
      : `internal error (please report it): ${String((error as Error).stack ?? error).split('\n').map(displayText).join('\n')}`
    // commander has written its own line to stderr.
    if (!(error instanceof CommanderError)) io.stderr.write(`migrate-lint: ${message}\n`)
    // --format sarif|json|…: stdout gets a document that says the run failed (src/report/formats.ts).
    // Writing it must not turn exit code 2 into a crash: a reporter that cannot load leaves stdout empty.
    const format = requestedFormat(argv)
    if (format && !wrote) await renderError(format, message, 2).then(doc => io.stdout.write(doc), () => {})
    return 2
  }
}

/** The config with --postgres-version applied. */
async function lintConfig(root: string, flags: LintFlags): Promise<Config> {
  const config = await configFor(root, flags.config)
  if (flags.postgresVersion !== undefined) {
    const { postgresVersion } = await import('./config.js')
    config.postgresVersion = postgresVersion(flags.postgresVersion, what => {
      throw new UsageError(`--postgres-version: ${what.replace(/^"postgresVersion" /, '')}`)
    })
  }
  return config
}

/**
 * `migrate-lint -`: one SQL migration from stdin, named <stdin> or --stdin-filename in the findings (as
 * ESLint's --stdin and --stdin-filename). Alone: it belongs to no release, so no --since or --staged.
 */
async function lintStdin(
  paths: string[],
  flags: LintFlags,
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  write: (output: string | Iterable<string>) => Promise<void>,
): Promise<{ code: number; warnings: number }> {
  if (!paths.includes('-')) throw new UsageError('--stdin-filename names the migration read from stdin: pass - as the path too (migrate-lint - --stdin-filename <path>).')
  if (paths.length > 1) throw new UsageError('- reads one migration from stdin: name no other path with it.')
  if (flags.staged || flags.since !== undefined) throw new UsageError(`${flags.staged ? '--staged' : '--since'} judges a release of the repository; a migration read from stdin (-) is checked on its own: leave the option out.`)
  const [{ lintStdinText, readStdin, STDIN_NAME }, { exitCodeOf }, { renderLint }] = await Promise.all([import('./stdin-lint.js'), import('./run.js'), import('./report/formats.js')])
  const root = findRoot(process.cwd())
  const config = await lintConfig(root, flags)
  const name = flags.stdinFilename === undefined ? STDIN_NAME : flags.stdinFilename.split(path.sep).join('/')
  const outcome = await lintStdinText(await readStdin(stdin), name, config)
  await write(await renderLint(flags.format, outcome, renderOptions(flags, stdout)))
  return { code: exitCodeOf(outcome), warnings: outcome.summary.warnings }
}

/** --max-warnings <n>: a whole number, 0 or more (ESLint's; squawk users fail a run on warnings with it). */
function warningLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings: "${value}" is not a whole number (0 fails a run with any warning).`)
  return Number(value)
}

/** Exit 1 when the run was clean but has more warnings than --max-warnings allows; the reason on stderr. */
function overWarningLimit(code: number, limit: number | undefined, stderr: NodeJS.WritableStream, warnings: number): number {
  if (code !== 0 || limit === undefined || warnings <= limit) return code
  stderr.write(`migrate-lint: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${limit} allows.\n`)
  return 1
}

/** `--config`, else the nearest config from the current folder up to the repository root (config-file.ts). */
async function configFor(root: string, file: string | undefined): Promise<Config> {
  const [{ loadConfig }, { rulesById }] = await Promise.all([import('./config.js'), import('../rules/index.js')])
  return loadConfig(root, file, new Set(rulesById.keys()), process.cwd())
}

function renderOptions(flags: { color: boolean; quiet: boolean }, stdout: NodeJS.WritableStream): RenderOptions {
  return { quiet: flags.quiet, chalk: chalkFor(flags.color, stdout), env: process.env }
}

/**
 * Colour on a terminal, or wherever FORCE_COLOR asks for it; never with --no-color, NO_COLOR, or
 * FORCE_COLOR=0 / false (which also turns it off on a terminal, as in chalk, Node and npm).
 */
function chalkFor(color: boolean, stream: NodeJS.WritableStream): ChalkInstance {
  const force = forcedColorLevel(process.env.FORCE_COLOR)
  if (!color || process.env.NO_COLOR || force === 0) return new Chalk({ level: 0 })
  if (force !== undefined) return new Chalk({ level: force })
  const tty = (stream as { isTTY?: boolean }).isTTY === true
  return new Chalk({ level: tty ? (supportsColor ? supportsColor.level : 1) || 1 : 0 })
}

/** FORCE_COLOR as supports-color reads it: unset → undefined; 0/false → 0; empty/true → 1; 1–3 → that level. */
function forcedColorLevel(value: string | undefined): 0 | 1 | 2 | 3 | undefined {
  if (value === undefined) return undefined
  if (value === '' || value === 'true') return 1
  if (value === 'false') return 0
  const level = Number.parseInt(value, 10)
  return Number.isNaN(level) ? undefined : (Math.min(Math.max(level, 0), 3) as 0 | 1 | 2 | 3)
}

/** The repository root (nearest folder holding .git), else the current folder. */
export function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir
    if (path.dirname(dir) === dir) return start
  }
}
