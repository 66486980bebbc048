// `migrate-lint init`: the config, a pre-commit hook and the pull-request workflow, in one go. Detect,
// plan (pure), apply; never replaces a file without --force, and says what it did and did not do.
import fs from 'node:fs'
import path from 'node:path'
import { detectProject, type ProjectFacts } from './detect.js'
import { configStep, hookStep, workflowStep, type Step } from './plan.js'

export interface InitRequest {
  root: string
  force: boolean
}

export interface InitResult {
  steps: Step[]
  notes: string[]
}

export async function runInit({ root, force }: InitRequest): Promise<InitResult> {
  const facts = await detectProject(root)
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null)
  const hook = hookStep(facts, read, force)
  const workflow = workflowStep(facts, read, force)
  const steps = [configStep(facts, read, force), hook, workflow]
  for (const step of steps) if (step.action === 'write') writeStep(step)
  const notes = notesFor(facts)
  if (facts.hooks.kind === 'git' && hook.action === 'write') {
    notes.push('.git/hooks is not shared through the repository: each clone runs `migrate-lint init` once (or use husky, lefthook or pre-commit).')
  }
  if (!facts.npmLockfile && workflow.action === 'write') {
    notes.push('The workflow installs with `npm ci`, which needs a package-lock.json: commit one, or change that step for your package manager.')
  }
  return { steps, notes }
}

export function writeStep(step: Extract<Step, { action: 'write' }>): void {
  fs.mkdirSync(path.dirname(step.file), { recursive: true })
  fs.writeFileSync(step.file, step.content)
  if (step.executable) fs.chmodSync(step.file, 0o755)
}

function notesFor(facts: ProjectFacts): string[] {
  const notes = [...facts.migrationNotes]
  if (!facts.migrations) {
    notes.push('No migrations found: set "migrations" in migrate-lint.config.json (globs) once the project has some.')
  }
  if (facts.missingDependency) {
    notes.push('The hook and the workflow run the project\'s own copy: npm i -D migrate-lint')
  }
  return notes
}

export function formatInit(result: InitResult, root: string): string {
  const rel = (file: string) => (path.isAbsolute(file) ? path.relative(root, file).split(path.sep).join('/') : file)
  const lines = result.steps.map(step =>
    step.action === 'write' ? `${step.verb} ${rel(step.file)}: ${step.what}` : `skipped ${rel(step.file)}: ${step.why}`,
  )
  lines.push(...result.notes.map(n => `note: ${n}`))
  lines.push(closingLine(result.steps))
  return `${lines.join('\n')}\n`
}

/** What to do next, true to what was written: no hook is promised where none was written (outside git). */
function closingLine([config, hook, workflow]: Step[]): string {
  const committed = [config, workflow].filter(s => s.action === 'write').map(s => (s === config ? 'the config' : 'the workflow'))
  const next = committed.length ? `Commit ${committed.join(' and ')}` : ''
  if (hook.action === 'write') return `${next ? `${next}; the` : 'The'} hook runs on your next commit.`
  if (next) return `${next}.`
  return 'Nothing changed: migrate-lint is already set up here (--force replaces the files it owns).'
}
