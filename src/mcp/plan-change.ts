// The plan_change tool: `migrate-lint plan` (src/plan/) asked with named fields instead of words on a
// command line. It answers with every file of the plan and its content, and writes nothing unless
// `write: true` — then release N's files (release N+1's with `contract: true`) as the CLI writes them:
// a file that exists is never replaced without `force: true`.
import path from 'node:path'
import * as z from 'zod'
import { rulesById } from '../../rules/index.js'
import { loadConfig } from '../config.js'
import { INTENT_KINDS, parseIntent, type Intent, type IntentKind } from '../plan/intent.js'
import { runPlan } from '../plan/run-plan.js'
import { UsageError } from '../util/errors.js'
import type { ServerContext } from './check-release.js'
import { toolResult } from './tool-result.js'

export const planChangeInput = {
  intent: z.enum(INTENT_KINDS as [IntentKind, ...IntentKind[]]).describe('the change to make'),
  table: z.string().min(1).describe('the table (schema.table allowed)'),
  column: z.string().min(1).optional().describe('the column; every intent but rename-table'),
  to: z.string().min(1).optional().describe('rename-column / rename-table: the new name'),
  type: z.string().min(1).optional().describe('change-type: the new type, e.g. bigint or numeric(12,2)'),
  newColumn: z.string().min(1).optional().describe('change-type: the new column (default: <column>_new)'),
  fill: z.string().min(1).optional().describe("set-not-null: the SQL value a batched backfill gives rows that are NULL, e.g. 'unknown'"),
  references: z.string().min(1).optional().describe('add-foreign-key: the referenced table.column, e.g. users.id'),
  contract: z.boolean().optional().describe("plan release N+1's migrations (once release N is deployed) as the ones to write now"),
  dir: z.string().min(1).optional().describe("the migrations folder, relative to the server's folder (default: the config's, else the one found)"),
  write: z.boolean().optional().describe("write this release's files into the repository (default false: only answer with them)"),
  force: z.boolean().optional().describe('with write: replace files that exist'),
}

type PlanChangeArgs = { intent: IntentKind; table: string } & Partial<Record<'column' | 'to' | 'type' | 'newColumn' | 'fill' | 'references', string>> & {
  contract?: boolean
  dir?: string
  write?: boolean
  force?: boolean
}

const file = z.object({ path: z.string(), content: z.string() })

export const planChangeOutput = {
  title: z.string().describe('the intent as `migrate-lint plan` takes it'),
  stage: z.enum(['expand', 'contract']),
  layout: z.string(),
  folder: z.string(),
  now: z.enum(['N', 'N+1']).describe('the release whose files go into the repository now'),
  releases: z.array(
    z.object({
      release: z.enum(['N', 'N+1']),
      checklist: z.array(z.string()).describe('what the application code of this release must do'),
      migrations: z.array(
        z.object({
          name: z.string(),
          phase: z.enum(['expand', 'backfill', 'contract']),
          summary: z.string(),
          outsideTransaction: z.boolean(),
          exists: z.boolean().describe('an earlier plan wrote it already'),
          files: z.array(file),
        }),
      ),
    }),
  ),
  written: z
    .array(z.object({ path: z.string(), action: z.enum(['wrote', 'replaced', 'skipped']), why: z.string().optional() }))
    .describe('with write: true, what happened to each file of the release written now; else empty'),
}

/** The fields each intent takes besides `table` (the first ones required), as the CLI's arguments. */
const FIELDS: Record<IntentKind, { required: (keyof PlanChangeArgs)[]; optional: (keyof PlanChangeArgs)[] }> = {
  'drop-column': { required: ['column'], optional: [] },
  'rename-column': { required: ['column', 'to'], optional: [] },
  'rename-table': { required: ['to'], optional: [] },
  'change-type': { required: ['column', 'type'], optional: ['newColumn'] },
  'set-not-null': { required: ['column'], optional: ['fill'] },
  'add-foreign-key': { required: ['column', 'references'], optional: [] },
  'add-unique': { required: ['column'], optional: [] },
}
const INTENT_FIELDS = ['column', 'to', 'type', 'newColumn', 'fill', 'references'] as const

export async function planChange(context: ServerContext, args: PlanChangeArgs) {
  const intent = intentOf(args)
  const config = loadConfig(context.root, context.configFile, new Set(rulesById.keys()), context.cwd)
  const dir = args.dir === undefined ? undefined : path.relative(context.root, path.resolve(context.cwd, args.dir)).split(path.sep).join('/') || '.'
  if (dir?.startsWith('..')) throw new UsageError(`dir "${args.dir}" is outside the repository (${context.root}).`)
  const contract = args.contract ?? false
  const result = await runPlan({ root: context.root, config, intent, contract, dryRun: !args.write, force: args.force ?? false, dir })
  const { plan } = result
  const written = result.steps.map(step => ({
    path: path.relative(context.root, step.file).split(path.sep).join('/'),
    ...(step.action === 'write' ? { action: step.verb === 'replaced' ? ('replaced' as const) : ('wrote' as const) } : { action: 'skipped' as const, why: step.why }),
  }))
  return toolResult(result.text, {
    title: plan.title,
    stage: plan.stage,
    layout: plan.layout,
    folder: plan.folder,
    now: contract ? 'N+1' : 'N',
    releases: plan.releases.map(r => ({
      release: r.release,
      checklist: r.checklist,
      migrations: r.migrations.map(m => ({ name: m.name, phase: m.phase, summary: m.summary, outsideTransaction: m.outsideTransaction, exists: m.exists, files: m.files })),
    })),
    written,
  })
}

/** The named fields → the CLI's words → parseIntent, which checks names and types as `plan` does. */
function intentOf(args: PlanChangeArgs): Intent {
  const { required, optional } = FIELDS[args.intent]
  const missing = required.filter(f => args[f] === undefined)
  if (missing.length) throw new UsageError(`plan_change ${args.intent} needs ${missing.map(f => `"${f}"`).join(' and ')} (it takes table, ${[...required, ...optional].join(', ')}).`)
  const extra = INTENT_FIELDS.filter(f => args[f] !== undefined && !required.includes(f) && !optional.includes(f))
  if (extra.length) throw new UsageError(`plan_change ${args.intent} takes no ${extra.map(f => `"${f}"`).join(' or ')} (it takes table, ${[...required, ...optional].join(', ')}).`)
  // The CLI's `table.column` splits at the last dot: a dot in the column would move it into the table.
  if (args.column?.includes('.')) throw new UsageError(`column "${args.column}" is not a plain name: give the table (schema.table allowed) in table.`)
  const target = args.intent === 'rename-table' ? args.table : `${args.table}.${args.column}`
  const second = args.to ?? args.type ?? args.references
  return parseIntent(args.intent, second === undefined ? [target] : [target, second], { newColumn: args.newColumn, fill: args.fill })
}
