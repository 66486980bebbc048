// The command line (DESIGN §8). Parses arguments, calls the job, prints one report, returns the exit code.
import fs from 'node:fs'
import path from 'node:path'
import { Chalk, supportsColor, type ChalkInstance } from 'chalk'
import { Command, CommanderError, Option } from 'commander'
import { loadConfig, postgresVersion } from './config.js'
import { UsageError } from './util/errors.js'
import { formatJson } from './report/json.js'
import { formatText } from './report/text.js'
import { exitCodeOf, runLint } from './run.js'
import { explainRule, listRules } from './report/rule-docs.js'
import { rulesById } from '../rules/index.js'

const FORMATS = ['text', 'json'] as const

interface LintFlags {
  format: (typeof FORMATS)[number]
  since?: string
  staged: boolean
  config?: string
  postgresVersion?: string
  color: boolean
  quiet: boolean
}

export async function main(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  let exitCode = 0
  const write = (s: string): void => {
    io.stdout.write(s)
  }
  const program = new Command('migrate-lint')
    .description('Revert-safety linter for Postgres migrations.')
    .argument('[paths...]', 'migration files or folders (default: config "migrations", or the usual folders)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--config <file>', 'config file (default: migrate-lint.config.json, or "migrate-lint" in package.json)')
    .option('--since <ref>', 'judge the release since this git ref (default: the newest tag matching tagPattern)')
    .option('--staged', 'judge only the staged files (pre-commit)', false)
    .option('--postgres-version <n>', 'major version of the production Postgres (default 15)')
    .option('--no-color', 'plain output')
    .option('--quiet', 'report errors only', false)
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: s => void io.stderr.write(s) })
    .action(async (paths: string[], flags: LintFlags) => {
      const root = findRoot(process.cwd())
      const config = loadConfig(root, flags.config, new Set(rulesById.keys()))
      if (flags.postgresVersion !== undefined) {
        config.postgresVersion = postgresVersion(flags.postgresVersion, what => {
          throw new UsageError(`--postgres-version: ${what.replace(/^"postgresVersion" /, '')}`)
        })
      }
      const outcome = await runLint({ root, cwd: process.cwd(), paths, config, since: flags.since, staged: flags.staged })
      write(flags.format === 'json' ? formatJson(outcome) : formatText(outcome, { chalk: chalkFor(flags.color, io.stdout), quiet: flags.quiet }))
      exitCode = exitCodeOf(outcome)
    })

  program
    .command('rules')
    .description('list the rules: id, category, default severity, what it flags')
    .action(() => write(listRules()))
  program
    .command('explain')
    .description('print a rule\'s documentation with examples')
    .argument('<rule-id>')
    .action((id: string) => write(explainRule(id)))

  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    if (error instanceof UsageError) {
      io.stderr.write(`migrate-lint: ${error.message}\n`)
      return 2
    }
    io.stderr.write(`migrate-lint: internal error (please report it): ${(error as Error).stack ?? error}\n`)
    return 2
  }
}

/** Colour only on a terminal (or with FORCE_COLOR), never with --no-color or NO_COLOR. */
function chalkFor(color: boolean, stream: NodeJS.WritableStream): ChalkInstance {
  const forced = Boolean(process.env.FORCE_COLOR) && process.env.FORCE_COLOR !== '0'
  const tty = (stream as { isTTY?: boolean }).isTTY === true
  const wanted = color && !process.env.NO_COLOR && (tty || forced)
  return new Chalk({ level: wanted ? (supportsColor ? supportsColor.level : 1) || 1 : 0 })
}

/** The repository root (nearest folder holding .git), else the current folder. */
export function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir
    if (path.dirname(dir) === dir) return start
  }
}
