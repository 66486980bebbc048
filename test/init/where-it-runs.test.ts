// The copy-paste snippets of the README's "where it runs" sections are checked: YAML parses with the keys each place
// needs, every migrate-lint command line names commands and flags the CLI has, and the workflow shown
// is the one `init` writes.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { FRAMEWORK_LOCAL_HOOK, HOOK_COMMAND, NOT_INSTALLED, renderWorkflow } from '../../src/init/plan.js'
import { runCli } from '../cli/helpers.js'

const root = path.resolve(__dirname, '../..')
const doc = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

interface Snippet {
  section: string
  lang: string
  code: string
}

function snippets(markdown: string): Snippet[] {
  const out: Snippet[] = []
  let section = ''
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm
  const headings = [...markdown.matchAll(/^## (.+)$/gm)].map(m => ({ at: m.index, title: m[1] }))
  for (const m of markdown.matchAll(fence)) {
    section = headings.filter(h => h.at < m.index).at(-1)?.title ?? ''
    out.push({ section, lang: m[1], code: m[2] })
  }
  return out
}

const all = snippets(doc)
const inSection = (section: string, lang: string) => all.filter(s => s.section === section && s.lang === lang)

/** Commands and flags as `--help` lists them, so the check follows the CLI. */
function cliSurface() {
  const flags = (help: string) => new Set([...help.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/gm)].map(m => m[1]))
  const main = runCli(['--help'], root).stdout
  const commands = [...main.split('Commands:')[1].matchAll(/^ {2}([a-z]+)/gm)].map(m => m[1])
  const formats = [.../choices: ([^)]*?)(?:, default|\))/.exec(main.replace(/\s+/g, ' '))![1].matchAll(/"([a-z]+)"/g)].map(m => m[1])
  return {
    formats,
    flags: new Map([['', flags(main)], ...commands.map(c => [c, flags(runCli([c, '--help'], root).stdout)] as const)]),
  }
}

const surface = cliSurface()

/** Every `migrate-lint …` invocation in a piece of text, up to a pipe, redirect, comment or quote end. */
function invocations(text: string): string[][] {
  // `--` ends the options: what follows is another program's (`claude mcp add migrate-lint -- npx migrate-lint mcp`).
  return [...text.matchAll(/\bmigrate-lint((?: +(?!--(?:\s|$))[^\s|>#&;]+)*)/g)]
    .map(m => m[1].trim().split(/ +/).filter(Boolean))
}

function expectValidInvocation(args: string[]): void {
  const command = args[0] && surface.flags.has(args[0]) ? args[0] : ''
  const known = surface.flags.get(command)!
  args.forEach((arg, i) => {
    if (!arg.startsWith('--')) return
    expect(known, `migrate-lint ${args.join(' ')}: ${arg}`).toContain(arg)
    if (arg === '--format') expect(surface.formats).toContain(args[i + 1])
  })
}

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : []

describe('README: where it runs', () => {
  it('has the four sections, each with snippets', () => {
    const sections = [...new Set(all.map(s => s.section))]
    const places = ['Pre-commit', 'GitHub Actions', 'GitLab CI', 'Before a release']
    expect(sections.filter(s => places.includes(s))).toEqual(places)
  })

  it('every YAML and JSON snippet parses', () => {
    for (const s of all.filter(s => s.lang === 'yaml')) expect(() => parse(s.code), s.code).not.toThrow()
    for (const s of all.filter(s => s.lang === 'json')) expect(() => JSON.parse(s.code), s.code).not.toThrow()
  })

  it('every migrate-lint command line names commands and flags the CLI has', () => {
    const lines = [
      ...all.filter(s => s.lang === 'sh').map(s => s.code),
      ...all.filter(s => s.lang === 'yaml').flatMap(s => strings(parse(s.code))),
      ...all.filter(s => s.lang === 'json').flatMap(s => strings(JSON.parse(s.code))),
    ]
    const found = lines.flatMap(invocations)
    expect(found.length).toBeGreaterThan(10)
    expect(surface.formats).toEqual(expect.arrayContaining(['text', 'json', 'sarif', 'github', 'markdown']))
    for (const args of found) expectValidInvocation(args)
  })

  it('Pre-commit: the hook command of init, in lefthook and pre-commit framework shape; the framework\'s remote hook', () => {
    const [sh] = inSection('Pre-commit', 'sh').slice(1)
    expect(sh.code).toContain(`\n${HOOK_COMMAND}\n`)
    const [lefthook, local, remote] = inSection('Pre-commit', 'yaml').map(s => parse(s.code))
    expect(lefthook['pre-commit'].commands['migrate-lint'].run).toBe(HOOK_COMMAND)
    expect(local.repos[0]).toEqual({ repo: 'local', hooks: [FRAMEWORK_LOCAL_HOOK] })
    // The framework clones the repository package.json names, at a tag of this version.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
    expect(remote.repos[0]).toEqual({ repo: pkg.homepage.replace(/#.*$/, ''), rev: `v${pkg.version}`, hooks: [{ id: 'migrate-lint' }] })
    expect(pkg.repository.url).toBe(`git+${remote.repos[0].repo}.git`)
    expect(doc).toContain(`\`${NOT_INSTALLED}\``)
  })

  it('GitHub Actions: the workflow is the one init writes, word for word; the SARIF one uploads what it wrote', () => {
    const [shown] = inSection('GitHub Actions', 'yaml')
    expect(shown.code).toBe(renderWorkflow({ nodeVersionFile: null, npmLockfile: true }))
    const [, sarif] = inSection('GitHub Actions', 'yaml').map(s => parse(s.code))
    expect(Object.keys(sarif.on)).toEqual(['pull_request'])
    expect(sarif.permissions['security-events']).toBe('write')
    const steps = sarif.jobs['migrate-lint'].steps as Record<string, any>[]
    expect(steps[0]).toEqual({ uses: 'actions/checkout@v6', with: { 'fetch-depth': 0, 'persist-credentials': false } })
    const lint = steps.find(s => typeof s.run === 'string' && s.run.includes('migrate-lint'))!
    // The release, not the pull request: the base is the newest release tag, never the base branch.
    expect(lint.run).not.toContain('--since')
    const output = /--format sarif > (\S+)$/.exec(lint.run)![1]
    const upload = steps.find(s => String(s.uses).startsWith('github/codeql-action/upload-sarif@'))!
    expect(upload.with.sarif_file).toBe(output)
    expect(upload.if).toBe('always()')
  })

  it('GitLab CI: a merge-request job with full history (and so the tags) that judges the release, not the merge request', () => {
    const [ci] = inSection('GitLab CI', 'yaml').map(s => parse(s.code))
    const job = ci['migrate-lint']
    const keywords = ['image', 'rules', 'variables', 'script', 'before_script', 'stage', 'cache', 'artifacts', 'needs', 'allow_failure', 'interruptible']
    for (const key of Object.keys(job)) expect(keywords).toContain(key)
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }])
    expect(job.variables.GIT_DEPTH).toBe('0')
    expect(job.script).toEqual(['npm ci', 'npx migrate-lint'])
  })

  it('Before a release: --since a tag, and a preversion gate', () => {
    const [sh] = inSection('Before a release', 'sh')
    expect(sh.code).toContain('npx migrate-lint --since v1.4\n')
    const [pkg] = inSection('Before a release', 'json').map(s => JSON.parse(s.code))
    expect(pkg.scripts.preversion).toBe('migrate-lint')
  })
})

describe('.pre-commit-hooks.yaml', () => {
  it('offers the migrate-lint hook to the pre-commit framework', () => {
    const hooks = parse(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8'))
    expect(hooks).toEqual([
      expect.objectContaining({ id: 'migrate-lint', name: 'migrate-lint', entry: 'migrate-lint --staged', language: 'node', pass_filenames: false }),
    ])
    for (const args of invocations(hooks[0].entry)) expectValidInvocation(args)
  })
})
