// The plan of one change, as a value: intent + project facts → releases → files with their content,
// and the checklist of what the code must do. Pure: reads no file, writes none (`migrate-lint plan`
// writes, the MCP server's plan_change answers with it).
import type { LayoutName } from '../model.js'
import type { Schema } from '../schema/schema.js'
import { UsageError } from '../util/errors.js'
import { describeIntent, type Intent } from './intent.js'
import { checkOrder, versionPrefixes } from './naming.js'
import { recipeFor, type Stage } from './recipes.js'
import { PLANNED_LAYOUTS, renderStep, type PlanFile } from './render.js'
import type { Phase, PlannedStep, Release } from './steps.js'

export interface PlanFacts {
  /** Repository-relative folder of the migrations (`.` for the root). */
  folder: string
  layout: LayoutName
  /** The folder's migrations in their order: file names without extension (diesel: folder names). */
  existing: readonly string[]
  /** The schema the existing migrations build. */
  schema: Schema
  kysely: { extension: string; transactions: boolean }
  now: Date
}

export interface PlannedMigration {
  release: Release
  phase: Phase
  name: string
  summary: string
  outsideTransaction: boolean
  files: PlanFile[]
  /** A migration of the plan that exists already (an earlier run wrote it). */
  exists: boolean
}

export interface ReleasePlan {
  release: Release
  /** What this release's migrations do, and what its code must do. */
  migrations: PlannedMigration[]
  checklist: string[]
}

export interface ChangePlan {
  intent: Intent
  /** `rename-column users.name full_name` */
  title: string
  /** Which release's migrations are written now: release N ('expand') or release N+1 ('contract'). */
  stage: Stage
  layout: LayoutName
  folder: string
  releases: ReleasePlan[]
}

/** Stage 'contract' plans against a schema in which release N has run (its migrations are in the folder). */
export function planChange(intent: Intent, facts: PlanFacts, stage: Stage = 'expand'): ChangePlan {
  if (!PLANNED_LAYOUTS.includes(facts.layout)) {
    throw new UsageError(`plan writes ${PLANNED_LAYOUTS.join(', ')} migrations, and ${facts.folder} holds ${facts.layout} migrations, which plan does not write yet.`)
  }
  const recipe = recipeFor(intent, facts.schema, stage)
  const title = describeIntent(intent)
  const names = stepNames(recipe.steps, facts)
  const releases: ReleasePlan[] = (['N', 'N+1'] as const)
    .map(release => {
      const steps = recipe.steps.filter(s => s.release === release)
      const checklist = recipe.checklist.find(c => c.release === release)?.items ?? []
      const migrations = steps.map((step, i) => {
        const { name, exists } = names.get(step)!
        const header = [
          `migrate-lint plan: ${title}`,
          `Release ${release} (${step.phase}), migration ${i + 1} of ${steps.length} of this release: ${step.summary}.`,
          ...step.why,
          ...(i === 0 && checklist.length ? ['', `Checklist for release ${release}:`, ...checklist.map(item => `- ${item}`)] : []),
        ]
        const files = renderStep(step, facts.layout, { folder: facts.folder, name, header, kysely: facts.kysely })
        return { release, phase: step.phase, name, summary: step.summary, outsideTransaction: step.outsideTransaction, files, exists }
      })
      return { release, migrations, checklist }
    })
    .filter(r => r.migrations.length || r.checklist.length)
  return { intent, title, stage, layout: facts.layout, folder: facts.folder, releases }
}

/**
 * A step an earlier run wrote keeps its file (found by the name after the version); the others get
 * new versions after the newest migration, in plan order.
 */
function stepNames(steps: readonly PlannedStep[], facts: PlanFacts): Map<PlannedStep, { name: string; exists: boolean }> {
  const names = new Map<PlannedStep, { name: string; exists: boolean }>()
  const fresh = steps.filter(step => {
    const found = facts.existing.find(n => n.endsWith(`_${step.slug}`) && /^\d/.test(n))
    if (found) names.set(step, { name: found, exists: true })
    return !found
  })
  const prefixes = versionPrefixes(facts.existing, facts.layout, facts.now, fresh.length)
  fresh.forEach((step, i) => names.set(step, { name: `${prefixes[i]}_${step.slug}`, exists: false }))
  checkOrder(facts.existing, fresh.map(s => names.get(s)!.name), facts.layout)
  return names
}

/** The plan as text: the releases, their migrations and their checklists (what `plan` prints). */
export function formatPlan(plan: ChangePlan, written: ReadonlyMap<string, string> = new Map()): string {
  const out: string[] = [`Plan: ${plan.title} (${plan.layout} migrations in ${plan.folder})`]
  for (const release of plan.releases) {
    out.push('', `Release ${release.release}${release.release === 'N' ? ' (expand)' : ' (contract, once release N is deployed)'}:`)
    for (const m of release.migrations) {
      out.push(`  ${m.name}  [${m.phase}${m.outsideTransaction ? ', outside a transaction' : ''}] ${m.summary}`)
      for (const file of m.files) {
        const what = written.get(file.path)
        if (what) out.push(`    ${what} ${file.path}`)
      }
    }
    if (release.checklist.length) out.push(`  Code checklist for release ${release.release}:`, ...release.checklist.map(item => `  - ${item}`))
  }
  return `${out.join('\n')}\n`
}
