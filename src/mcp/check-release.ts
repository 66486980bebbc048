// The check_release tool: the lint the CLI runs (src/run.ts), answered with the CLI's text report and,
// as structured content, the JSON report's document (src/report/json.ts) — one shape for both faces.
import { Chalk } from 'chalk'
import * as z from 'zod'
import { rulesById } from '../../rules/index.js'
import type { CacheStore } from '../cache/store.js'
import { loadConfig } from '../config.js'
import { toJsonDocument } from '../report/json.js'
import { formatText } from '../report/text.js'
import { runLint } from '../run.js'
import type { KeptBase } from './kept-base.js'
import { toolResult } from './tool-result.js'

export interface ServerContext {
  /** The repository root (the nearest folder holding .git), or the start folder outside git. */
  root: string
  /** Where the server was started (or --root): relative paths and the nearest config start here. */
  cwd: string
  /** --config of `migrate-lint mcp`. */
  configFile?: string
  /** Opened once for the server's life, not once a call. */
  cache: CacheStore
  /** The release's base and the migrations shipped at it, between two calls of the same refs. */
  kept: KeptBase
}

export const checkReleaseInput = {
  since: z.string().min(1).optional().describe('judge the release since this git ref (default: the newest tag matching the config\'s tagPattern)'),
  staged: z.boolean().optional().describe('judge only the staged migration files, as the pre-commit hook does'),
  paths: z.array(z.string().min(1)).optional().describe('migration files or folders, relative to the server\'s folder (default: the config\'s "migrations", or the usual folders)'),
}

const finding = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  category: z.string(),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int().optional(),
  endColumn: z.number().int().optional(),
  message: z.string(),
  help: z.string(),
  migrationId: z.string().optional(),
  suppressed: z.object({ reason: z.string() }).optional(),
})

/** The JSON report's document (`migrate-lint --format json`), field for field. */
export const checkReleaseOutput = {
  version: z.literal(1),
  release: z
    .object({
      base: z.string().nullable(),
      head: z.string(),
      verdict: z.enum(['revert-safe', 'not-revert-safe', 'unproven']),
      revertSafe: z.boolean(),
      unproven: z.array(z.object({ reason: z.string(), file: z.string(), line: z.number().int() })),
      migrations: z.array(z.object({ id: z.string(), file: z.string(), phase: z.string(), findings: z.number().int() })),
    })
    .nullable()
    .describe('null outside a git repository: each migration was checked on its own'),
  findings: z.array(finding),
  summary: z.object({ files: z.number().int(), statements: z.number().int(), errors: z.number().int(), warnings: z.number().int(), unparsed: z.number().int() }),
}

export interface CheckReleaseArgs {
  since?: string
  staged?: boolean
  paths?: string[]
}

export async function checkRelease(context: ServerContext, args: CheckReleaseArgs) {
  // Read at each call: the agent may edit the config between two calls.
  const config = loadConfig(context.root, context.configFile, new Set(rulesById.keys()), context.cwd)
  const keep = context.kept.forCall(context.root, args, config)
  const outcome = await runLint({ root: context.root, cwd: context.cwd, paths: args.paths ?? [], config, since: args.since, staged: args.staged ?? false, cache: context.cache, keep })
  const text = formatText(outcome, { chalk: new Chalk({ level: 0 }), quiet: false })
  return toolResult(text, toJsonDocument(outcome))
}
