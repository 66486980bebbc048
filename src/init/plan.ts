// What `init` would do to each file, as values: pure functions of the project facts and of what the
// files hold now. Nothing here writes; init.ts applies the plan.
import path from 'node:path'
import type { HookManager, ProjectFacts } from './detect.js'
import { addToYaml, hasSequence } from './yaml-edit.js'

/**
 * The project's own copy (`npm i -D migrate-lint`), called by its path: `npx --no-install` added ≈ 0.5 s
 * to every commit, and in a clone without node_modules it failed each one with npm's 404 text. git,
 * husky, lefthook and the pre-commit framework all run hooks at the repository root.
 */
export const HOOK_BIN = 'node_modules/.bin/migrate-lint'
/**
 * Without node_modules the hook says so and lets the commit through: blocking every commit of a fresh
 * clone teaches `--no-verify`, and the pull request's CI job judges the release anyway.
 */
export const NOT_INSTALLED = 'migrate-lint: not installed — run npm install (commit not checked)'
/** One shell line (husky, lefthook, the framework's local hook, by hand): no `exit`, so the lines after it run. */
export const HOOK_COMMAND = `if [ -x ${HOOK_BIN} ]; then ${HOOK_BIN} --staged; else echo '${NOT_INSTALLED}' >&2; fi`
/** What the hook runs, as init reports it. */
const HOOK_RUNS = `${HOOK_BIN} --staged`
export const CONFIG_FILE = 'migrate-lint.config.json'
export const WORKFLOW_FILE = '.github/workflows/migrate-lint.yml'

export type Step =
  | { action: 'write'; file: string; content: string; executable: boolean; verb: 'wrote' | 'replaced' | 'added migrate-lint to'; what: string }
  | { action: 'skip'; file: string; why: string }

/** Reads a file's text, or null when it does not exist. */
export type ReadFile = (file: string) => string | null

/** A file init owns entirely: written when absent, replaced only with --force. */
export function ownFile(file: string, content: string, existing: string | null, force: boolean, what: string, executable = false): Step {
  if (existing === null) return { action: 'write', file, content, executable, verb: 'wrote', what }
  if (existing === content) return { action: 'skip', file, why: 'it is up to date' }
  if (!force) return { action: 'skip', file, why: 'it exists; --force replaces it' }
  return { action: 'write', file, content, executable, verb: 'replaced', what }
}

export function configStep(facts: ProjectFacts, read: ReadFile, force: boolean): Step {
  const file = path.join(facts.root, CONFIG_FILE)
  return ownFile(file, renderConfig(facts), read(file), force, configSummary(facts))
}

export function renderConfig(facts: ProjectFacts): string {
  const config: Record<string, unknown> = {}
  // A folder the lint finds by itself is left out: naming it as globs would also make the lint stop
  // telling migrations apart from application code.
  if (facts.migrations && !facts.migrations.automatic) config.migrations = [migrationGlob(facts.migrations.folder, facts.migrations.layout)]
  config.code = facts.code
  config.tagPattern = facts.tagPattern
  config.postgresVersion = facts.postgresVersion?.major ?? 15
  return `${JSON.stringify(config, null, 2)}\n`
}

/** Kysely's Migrator reads only the folder's own files; SQL layouts may nest (diesel's `<version>/up.sql`). */
function migrationGlob(folder: string, layout: string): string {
  return layout === 'kysely' ? `${folder}/*` : `${folder}/**/*`
}

function configSummary(facts: ProjectFacts): string {
  const m = facts.migrations
  const migrations = m
    ? `migrations: ${m.folder} (${m.layout}, ${m.count} migration${m.count === 1 ? '' : 's'}${m.automatic ? ', found without config' : ''})`
    : 'no migrations found yet'
  const code = facts.codeFound ? `code: ${facts.code.join(', ')}` : `code: ${facts.code.join(', ')} (default: no application code found)`
  const pg = facts.postgresVersion ? `Postgres ${facts.postgresVersion.major} (from ${facts.postgresVersion.from})` : 'Postgres 15 (default: set your production version)'
  return [migrations, code, pg].join('; ')
}

export function workflowStep(facts: ProjectFacts, read: ReadFile, force: boolean): Step {
  const file = path.join(facts.root, WORKFLOW_FILE)
  return ownFile(file, renderWorkflow(facts), read(file), force, 'runs on every pull request, findings as annotations')
}

export function renderWorkflow(facts: Pick<ProjectFacts, 'nodeVersionFile' | 'npmLockfile'>): string {
  const node = facts.nodeVersionFile ? `node-version-file: ${facts.nodeVersionFile}` : 'node-version: lts/*'
  return `# Written by \`migrate-lint init\`: is the release each pull request belongs to revert-safe?
name: migrate-lint

on:
  pull_request:

permissions:
  contents: read

jobs:
  migrate-lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
        with:
          # The whole history, tags included: the pull request is judged with the rest of its release,
          # against the newest release tag reachable from it, and the code of that release.
          fetch-depth: 0
          # The job runs the pull request's code (npm ci's install scripts, its Kysely migrations): leave
          # no token in .git/config for it to read.
          persist-credentials: false
      - uses: actions/setup-node@v6
        with:
          ${node}${facts.npmLockfile ? '\n          cache: npm' : ''}
      - run: npm ci
      # Annotations on the pull request, and the report in the job summary.
      - run: npx migrate-lint --format github
`
}

/** What init wrote before the hook called the binary by its path. */
const NPX_HOOK_COMMAND = 'npx --no-install migrate-lint --staged'

export function hookStep(facts: ProjectFacts, read: ReadFile, force: boolean): Step {
  const { hooks } = facts
  if (hooks.kind === 'none') return { action: 'skip', file: 'pre-commit hook', why: hooks.reason }
  const existing = read(hooks.file)
  const throughNpx = existing?.includes(NPX_HOOK_COMMAND) ?? false
  if (hooks.kind === 'git') {
    if (existing !== null && existing.includes('migrate-lint') && !force) {
      return { action: 'skip', file: hooks.file, why: throughNpx ? `it runs \`${NPX_HOOK_COMMAND}\` (≈ 0.5 s a commit); --force rewrites it to call ${HOOK_BIN}` : 'it already runs migrate-lint' }
    }
    return ownFile(hooks.file, PLAIN_HOOK, existing, force, `runs \`${HOOK_RUNS}\` before each commit`, true)
  }
  // The manager's file is the user's: the faster line is said, not written over theirs.
  if (throughNpx) return { action: 'skip', file: hooks.file, why: `it runs \`${NPX_HOOK_COMMAND}\` (≈ 0.5 s a commit, and npm's 404 without node_modules); replace it with \`${HOOK_COMMAND}\`` }
  if (existing?.includes('migrate-lint')) return { action: 'skip', file: hooks.file, why: 'it already runs migrate-lint' }
  if (existing === null && hooks.kind === 'husky') {
    return { action: 'write', file: hooks.file, content: huskyHook(hooks), executable: true, verb: 'wrote', what: `runs \`${HOOK_RUNS}\` before each commit (husky)` }
  }
  // A lefthook or pre-commit file exists: that is how the manager was detected.
  const added = addHook(hooks, existing ?? '')
  if (added instanceof Error) return { action: 'skip', file: hooks.file, why: `could not edit it (${added.message.split('\n')[0]}); add \`${HOOK_COMMAND}\` by hand` }
  if (typeof added !== 'string') return { action: 'skip', file: hooks.file, why: added.why }
  return { action: 'write', file: hooks.file, content: added, executable: hooks.kind === 'husky', verb: 'added migrate-lint to', what: `runs \`${HOOK_RUNS}\` before each commit (${hooks.kind})` }
}

const PLAIN_HOOK = `#!/bin/sh
# Written by \`migrate-lint init\`: judges the staged migrations before each commit (silent when none is
# staged). Skip it once with \`git commit --no-verify\`.
if [ -x ${HOOK_BIN} ]; then
  exec ${HOOK_BIN} --staged
fi
# A clone without node_modules: said, and the commit goes through (the pull request's CI job still judges it).
echo '${NOT_INSTALLED}' >&2
`

/**
 * The pre-commit framework runs a `system` entry as a program, not through a shell: the line goes
 * through `sh -c`. (The framework shows a passing hook's output only with `verbose: true`.)
 */
export const FRAMEWORK_LOCAL_HOOK = {
  id: 'migrate-lint',
  name: 'migrate-lint',
  entry: `sh -c "${HOOK_COMMAND}"`,
  language: 'system',
  pass_filenames: false,
}

function huskyHook(hooks: Extract<HookManager, { kind: 'husky' }>): string {
  // husky 4–8 hooks source its helper; husky 9 runs the file as plain sh.
  const prelude = hooks.legacy ? '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\n' : ''
  return `${prelude}${HOOK_COMMAND}\n`
}

function addHook(hooks: Exclude<HookManager, { kind: 'none' | 'git' }>, existing: string): string | { why: string } | Error {
  try {
    return addHookTo(hooks, existing)
  } catch (error) {
    // Not valid YAML, or `pre-commit:` is not a mapping: the user's file, the user's call.
    return error as Error
  }
}

function addHookTo(hooks: Exclude<HookManager, { kind: 'none' | 'git' }>, existing: string): string | { why: string } {
  switch (hooks.kind) {
    case 'husky':
      // A line after an `exit` would never run.
      if (/^\s*exit\b/m.test(existing)) return { why: `it has an \`exit\`; add \`${HOOK_COMMAND}\` above it` }
      return `${existing}${existing.endsWith('\n') || !existing ? '' : '\n'}${HOOK_COMMAND}\n`
    case 'lefthook':
      return hasSequence(existing, ['pre-commit', 'jobs'])
        ? addToYaml(existing, { path: ['pre-commit', 'jobs'], mode: 'push', value: { name: 'migrate-lint', run: HOOK_COMMAND } })
        : addToYaml(existing, { path: ['pre-commit', 'commands', 'migrate-lint'], mode: 'set', value: { run: HOOK_COMMAND } })
    case 'pre-commit':
      return addToYaml(existing, {
        path: ['repos'],
        mode: 'push',
        value: {
          repo: 'local',
          hooks: [FRAMEWORK_LOCAL_HOOK],
        },
      })
  }
}
