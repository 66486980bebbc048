// `migrate-lint plan`: the project's facts, the plan (pure), and the files of the release being
// written now — each written only when absent, replaced only with --force (init's rule, init's code).
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.js'
import { writeStep } from '../init/init.js'
import { ownFile, type Step } from '../init/plan.js'
import { describeIntent, type Intent } from './intent.js'
import { formatPlan, planChange, type ChangePlan } from './plan-change.js'
import { projectFacts } from './project-facts.js'

export interface PlanRequest {
  root: string
  config: Config
  intent: Intent
  /** Write release N+1's migrations (release N has shipped), not release N's. */
  contract: boolean
  dryRun: boolean
  force: boolean
  dir?: string
  now?: Date
}

export interface PlanResult {
  plan: ChangePlan
  /** What happened to each file of the release written now; none on a dry run. */
  steps: Step[]
  text: string
}

export async function runPlan(request: PlanRequest): Promise<PlanResult> {
  const writing = { title: describeIntent(request.intent), release: request.contract ? ('N+1' as const) : ('N' as const) }
  const facts = await projectFacts({ root: request.root, config: request.config, dir: request.dir, now: request.now ?? new Date(), writing })
  const plan = planChange(request.intent, facts, request.contract ? 'contract' : 'expand')
  const now = plan.releases.find(r => r.release === (request.contract ? 'N+1' : 'N'))
  const files = now?.migrations.flatMap(m => m.files) ?? []
  if (request.dryRun) return { plan, steps: [], text: formatDryRun(plan, files.map(f => f.path)) }
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null)
  const steps = files.map(file => ownFile(path.join(request.root, file.path), file.content, read(path.join(request.root, file.path)), request.force, 'plan'))
  for (const step of steps) if (step.action === 'write') writeStep(step)
  const done = new Map(
    steps.map(step => [
      path.relative(request.root, step.file).split(path.sep).join('/'),
      step.action === 'write' ? step.verb : `skipped (${step.why}):`,
    ]),
  )
  return { plan, steps, text: formatPlan(plan, done) + nextStep(plan, request.contract, files.length) }
}

function nextStep(plan: ChangePlan, contract: boolean, written: number): string {
  const later = plan.releases.some(r => r.release === 'N+1' && r.migrations.length)
  if (!written) return contract ? '' : 'Release N needs no migration: ship the code changes above first.\n' + contractLine(plan)
  if (contract || !later) return ''
  return contractLine(plan)
}

function contractLine(plan: ChangePlan): string {
  return `Release N+1's migrations are not written yet (they would ship with release N): once release N is deployed, run \`migrate-lint plan ${plan.title} --contract\`.\n`
}

/** Every file of every release, with its content: what would be written, and when. */
function formatDryRun(plan: ChangePlan, writtenNow: readonly string[]): string {
  const out = [formatPlan(plan).trimEnd(), '']
  for (const release of plan.releases) {
    for (const m of release.migrations) {
      for (const file of m.files) {
        const when = writtenNow.includes(file.path) ? 'would write now' : release.release === 'N+1' ? 'written by --contract after release N' : 'release N, exists or written by plan without --contract'
        out.push(`==> ${file.path} (${when})`, file.content.trimEnd(), '')
      }
    }
  }
  return `${out.join('\n')}\n`
}
