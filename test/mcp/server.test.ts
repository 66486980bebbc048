// `migrate-lint mcp` spoken to for real: initialize → tools/list → tools/call, in a real git repository
// whose release drops a column the tagged code still reads.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { startServer, textOf, type Session } from './helpers.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const readsEmail = "import { db } from '../db'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select(['id', 'email']).where('id', '=', id).execute()\n"
const readsName = "import { db } from '../db'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select(['id', 'name']).where('id', '=', id).execute()\n"

/** v1.4 reads users.email; the release after it drops the column and stops reading it: not revert-safe. */
function unsafeRelease(): TestRepo {
  return new TestRepo()
    .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users.ts': readsEmail })
    .tag('v1.4')
    .commit('drop email', { 'migrations/002_drop_email.sql': 'ALTER TABLE users DROP COLUMN email;\n', 'src/users.ts': readsName })
}

interface Document {
  release: { base: string | null; verdict: string; revertSafe: boolean; migrations: { file: string }[] } | null
  findings: { ruleId: string; file: string; line: number; severity: string; message: string; help: string }[]
  summary: { errors: number }
}

const located = (doc: Document) => doc.findings.map(f => `${f.ruleId} ${f.file}:${f.line}`)

describe('migrate-lint mcp', () => {
  let repo: TestRepo
  let server: Session

  beforeAll(async () => {
    repo = unsafeRelease()
    server = await startServer(repo.dir)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('initialize: names itself and offers tools', () => {
    expect(server.client.getServerVersion()?.name).toBe('migrate-lint')
    expect(server.client.getServerVersion()?.version).toBe(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version)
    expect(server.client.getServerCapabilities()?.tools).toBeDefined()
  })

  it('tools/list: the three tools with their input and output schemas', async () => {
    const { tools } = await server.client.listTools()
    expect(tools.map(t => t.name)).toEqual(['check_release', 'explain_rule', 'plan_change'])
    const byName = new Map(tools.map(t => [t.name, t]))
    const check = byName.get('check_release')!
    expect(Object.keys(check.inputSchema.properties ?? {})).toEqual(['since', 'staged', 'paths'])
    expect(check.inputSchema.required ?? []).toEqual([])
    expect(check.outputSchema?.required).toEqual(['version', 'release', 'findings', 'summary'])
    expect(check.annotations?.readOnlyHint).toBe(true)
    expect(byName.get('explain_rule')!.inputSchema.required).toEqual(['ruleId'])
    const plan = byName.get('plan_change')!
    expect(plan.inputSchema.required).toEqual(['intent', 'table'])
    expect((plan.inputSchema.properties?.intent as { enum: string[] }).enum).toEqual([
      'drop-column', 'rename-column', 'rename-table', 'change-type', 'set-not-null', 'add-foreign-key', 'add-unique',
    ])
    expect(plan.outputSchema?.required).toEqual(expect.arrayContaining(['releases', 'written']))
  })

  it('check_release: the release is not revert-safe, with the finding at its file:line — the JSON report\'s document and the text report', async () => {
    const result = await server.call('check_release', {})
    expect(result.isError).toBeFalsy()
    const doc = result.structuredContent as unknown as Document
    expect(doc.release).toMatchObject({ base: 'v1.4', verdict: 'not-revert-safe', revertSafe: false, migrations: [{ file: 'migrations/002_drop_email.sql' }] })
    expect(located(doc)).toContain('drop-column-still-read migrations/002_drop_email.sql:1')
    const drop = doc.findings.find(f => f.ruleId === 'drop-column-still-read')!
    expect(drop.severity).toBe('error')
    expect(drop.message).toContain('src/users.ts:4 selects users.email')
    expect(drop.help).toMatch(/release N\+1: ALTER TABLE users DROP COLUMN email/)
    // One shape for both faces: exactly what `migrate-lint --format json` prints.
    const cli = runCli(['--format', 'json'], repo.dir)
    expect(cli.code).toBe(1)
    expect(doc).toEqual(JSON.parse(cli.stdout))
    const text = textOf(result)
    expect(text).toMatch(/^Release v1\.4\.\.HEAD: NOT revert-safe/)
    expect(text).toContain('migrations/002_drop_email.sql:1:1  error  drop-column-still-read')
    expect(text).not.toMatch(/\u001b\[/)
  })

  it('check_release: since, paths and staged are the CLI\'s --since, paths and --staged', async () => {
    const sinceHead = (await server.call('check_release', { since: 'HEAD' })).structuredContent as unknown as Document
    expect(sinceHead.release).toMatchObject({ base: 'HEAD', verdict: 'revert-safe', revertSafe: true, migrations: [] })
    expect(sinceHead.findings).toEqual([])

    const named = (await server.call('check_release', { paths: ['migrations/002_drop_email.sql'] })).structuredContent as unknown as Document
    expect(located(named)).toContain('drop-column-still-read migrations/002_drop_email.sql:1')

    repo.write({ 'migrations/003_age.sql': 'ALTER TABLE users ADD COLUMN age int NOT NULL;\n' })
    repo.git('add', 'migrations/003_age.sql')
    try {
      const staged = (await server.call('check_release', { staged: true })).structuredContent as unknown as Document
      expect(located(staged)).toContain('not-null-without-default migrations/003_age.sql:1')
      expect(staged.findings.every(f => f.file === 'migrations/003_age.sql')).toBe(true)
      // The working tree, not only the index: the server reads what the agent just wrote, at each call.
      expect(located((await server.call('check_release', {})).structuredContent as unknown as Document)).toContain('not-null-without-default migrations/003_age.sql:1')
    } finally {
      repo.git('rm', '-q', '-f', '--cached', 'migrations/003_age.sql')
      repo.remove('migrations/003_age.sql')
    }
  })

  it('check_release: a new tag moves the base at the next call (the base is kept only while the refs stay)', async () => {
    const before = (await server.call('check_release', {})).structuredContent as unknown as Document
    expect(before.release).toMatchObject({ base: 'v1.4', verdict: 'not-revert-safe' })
    repo.tag('v1.5')
    try {
      const after = (await server.call('check_release', {})).structuredContent as unknown as Document
      expect(after.release).toMatchObject({ base: 'v1.5', verdict: 'revert-safe', migrations: [] })
      expect(after).toEqual(JSON.parse(runCli(['--format', 'json'], repo.dir).stdout))
    } finally {
      repo.git('tag', '-d', 'v1.5')
    }
    const again = (await server.call('check_release', {})).structuredContent as unknown as Document
    expect(again.release).toMatchObject({ base: 'v1.4', verdict: 'not-revert-safe' })
    // A tag in a folder of its own (release/2.0) moves it too.
    repo.tag('release/2.0')
    try {
      repo.write({ 'migrate-lint.config.json': '{ "tagPattern": "release/*" }\n' })
      const nested = (await server.call('check_release', {})).structuredContent as unknown as Document
      expect(nested.release?.base).toBe('release/2.0')
      repo.git('tag', '-d', 'release/2.0')
      repo.git('tag', 'release/2.1', 'HEAD~1')
      const moved = (await server.call('check_release', {})).structuredContent as unknown as Document
      expect(moved.release).toMatchObject({ base: 'release/2.1', verdict: 'not-revert-safe' })
    } finally {
      repo.remove('migrate-lint.config.json')
      for (const tag of repo.git('tag', '--list', 'release/*').split('\n').filter(Boolean)) repo.git('tag', '-d', tag)
    }
  })

  it('check_release: an error is a tool error with the CLI\'s one line, and the server goes on answering', async () => {
    const unknownRef = await server.call('check_release', { since: 'v9.9' })
    expect(unknownRef.isError).toBe(true)
    expect(textOf(unknownRef)).toBe(runCli(['--since', 'v9.9'], repo.dir).stderr.replace(/^migrate-lint: /, '').trimEnd())
    expect(textOf(unknownRef)).toMatch(/^unknown git ref "v9\.9"/)

    const missing = await server.call('check_release', { paths: ['migrations/404.sql'] })
    expect(missing.isError).toBe(true)
    expect(textOf(missing)).toContain('migrations/404.sql')

    const badArgs = await server.call('check_release', { staged: 'yes' })
    expect(badArgs.isError).toBe(true)
    expect(textOf(badArgs)).toMatch(/staged/)

    // The config is read at each call: a broken one is the CLI's file:line:column line, until it is fixed.
    repo.write({ 'migrate-lint.config.json': '{\n  "rules": {\n' })
    try {
      const badConfig = await server.call('check_release', {})
      expect(badConfig.isError).toBe(true)
      expect(textOf(badConfig)).toBe(runCli([], repo.dir).stderr.replace(/^migrate-lint: /, '').trimEnd())
      expect(textOf(badConfig)).toMatch(/migrate-lint\.config\.json:3:1: not valid JSON/)
    } finally {
      repo.remove('migrate-lint.config.json')
    }

    const again = (await server.call('check_release', {})).structuredContent as unknown as Document
    expect(again.release?.verdict).toBe('not-revert-safe')
  })

  it('explain_rule: explain\'s text, and why, bad, good and the safe alternative as fields', async () => {
    const result = await server.call('explain_rule', { ruleId: 'drop-column-still-read' })
    expect(result.isError).toBeFalsy()
    expect(textOf(result)).toBe(runCli(['explain', 'drop-column-still-read'], repo.dir).stdout)
    const doc = result.structuredContent as Record<string, unknown>
    expect(doc).toMatchObject({ ruleId: 'drop-column-still-read', category: 'revert-safety', severity: 'error', onByDefault: true })
    expect(doc.bad).toMatch(/DROP COLUMN/)
    expect(doc.good).not.toBe(doc.bad)
    expect(String(doc.why).length).toBeGreaterThan(50)
    expect(String(doc.safeAlternative).length).toBeGreaterThan(20)
    expect(doc.disable).toBe('-- migrate-lint-disable-next-line drop-column-still-read -- <reason>')
  })

  it('explain_rule: an unknown id is a tool error naming the closest ids', async () => {
    const result = await server.call('explain_rule', { ruleId: 'drop-colum-still-read' })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toMatch(/^unknown rule "drop-colum-still-read"; the closest ids: drop-column-still-read, [a-z-]+, [a-z-]+\.$/)
  })

  it('plan_change: every file of the plan with its content, release by release; nothing written', async () => {
    const before = fs.readdirSync(path.join(repo.dir, 'migrations'))
    const result = await server.call('plan_change', { intent: 'rename-column', table: 'users', column: 'name', to: 'full_name' })
    expect(result.isError).toBeFalsy()
    const plan = result.structuredContent as {
      title: string
      layout: string
      now: string
      releases: { release: string; checklist: string[]; migrations: { name: string; phase: string; files: { path: string; content: string }[] }[] }[]
      written: unknown[]
    }
    expect(plan).toMatchObject({ title: 'rename-column users.name full_name', layout: 'sql', now: 'N', written: [] })
    expect(plan.releases.map(r => r.release)).toEqual(['N', 'N+1'])
    expect(plan.releases.map(r => r.migrations.map(m => m.phase))).toEqual([['expand', 'backfill'], ['contract']])
    const files = plan.releases.flatMap(r => r.migrations.flatMap(m => m.files))
    expect(files.map(f => f.path)).toEqual([
      'migrations/003_rename_users_name_expand.sql',
      'migrations/004_rename_users_name_backfill.sql',
      'migrations/005_rename_users_name_contract.sql',
    ])
    expect(files[0].content).toMatch(/^-- migrate-lint plan: rename-column users\.name full_name\n-- Release N \(expand\)/)
    expect(files[0].content).toMatch(/ADD COLUMN full_name/)
    expect(plan.releases[0].checklist.join('\n')).toMatch(/users\.full_name instead of users\.name/)
    // The CLI's dry run prints the same files.
    const dryRun = runCli(['plan', 'rename-column', 'users.name', 'full_name', '--dry-run'], repo.dir)
    for (const file of files) expect(dryRun.stdout).toContain(file.content.trimEnd())
    expect(textOf(result)).toContain('==> migrations/003_rename_users_name_expand.sql (would write now)')
    expect(fs.readdirSync(path.join(repo.dir, 'migrations'))).toEqual(before)
  })

  it('plan_change with write: writes release N\'s files, and never replaces one without force', async () => {
    const args = { intent: 'rename-column', table: 'users', column: 'name', to: 'full_name', write: true }
    try {
      const first = await server.call('plan_change', args)
      expect(first.isError).toBeFalsy()
      const plan = first.structuredContent as { written: { path: string; action: string }[]; releases: { release: string; migrations: { files: { path: string; content: string }[] }[] }[] }
      const releaseN = plan.releases.find(r => r.release === 'N')?.migrations.flatMap(m => m.files) ?? []
      expect(releaseN.map(f => f.path)).toEqual(['migrations/003_rename_users_name_expand.sql', 'migrations/004_rename_users_name_backfill.sql'])
      expect(plan.written).toEqual(releaseN.map(f => ({ path: f.path, action: 'wrote' })))
      for (const file of releaseN) expect(fs.readFileSync(path.join(repo.dir, file.path), 'utf8')).toBe(file.content)
      const contract = plan.releases.find(r => r.release === 'N+1')?.migrations.flatMap(m => m.files) ?? []
      expect(contract.length).toBeGreaterThan(0)
      for (const file of contract) expect(fs.existsSync(path.join(repo.dir, file.path))).toBe(false)

      const edited = releaseN[0].path
      fs.appendFileSync(path.join(repo.dir, edited), '-- edited by hand\n')
      const again = (await server.call('plan_change', args)).structuredContent as { written: { path: string; action: string; why?: string }[] }
      expect(again.written).toEqual([
        { path: edited, action: 'skipped', why: 'it exists; --force replaces it' },
        { path: releaseN[1].path, action: 'skipped', why: 'it is up to date' },
      ])
      expect(fs.readFileSync(path.join(repo.dir, edited), 'utf8')).toMatch(/-- edited by hand\n$/)
      const forced = (await server.call('plan_change', { ...args, force: true })).structuredContent as { written: { path: string; action: string }[] }
      expect(forced.written.find(w => w.path === edited)?.action).toBe('replaced')
      expect(fs.readFileSync(path.join(repo.dir, edited), 'utf8')).toBe(releaseN[0].content)
    } finally {
      for (const file of fs.readdirSync(path.join(repo.dir, 'migrations'))) if (!['001_users.sql', '002_drop_email.sql'].includes(file)) repo.remove(`migrations/${file}`)
    }
  })

  it('plan_change: a missing or misplaced field, and a bad name, are tool errors', async () => {
    const missing = await server.call('plan_change', { intent: 'rename-column', table: 'users', column: 'name' })
    expect(missing.isError).toBe(true)
    expect(textOf(missing)).toBe('plan_change rename-column needs "to" (it takes table, column, to).')
    const extra = await server.call('plan_change', { intent: 'drop-column', table: 'users', column: 'name', fill: "'x'" })
    expect(textOf(extra)).toBe('plan_change drop-column takes no "fill" (it takes table, column).')
    const badName = await server.call('plan_change', { intent: 'drop-column', table: 'users; DROP TABLE x', column: 'name' })
    expect(badName.isError).toBe(true)
    expect(textOf(badName)).toMatch(/is not a plain name/)
    const unknownTable = await server.call('plan_change', { intent: 'drop-column', table: 'nobody', column: 'name' })
    expect(unknownTable.isError).toBe(true)
    expect(textOf(unknownTable)).toMatch(/nobody/)
    const unknownIntent = await server.call('plan_change', { intent: 'drop-everything', table: 'users' })
    expect(unknownIntent.isError).toBe(true)
  })
})

describe('migrate-lint mcp as a process', () => {
  it('ends when the client closes its stdin, without being killed', async () => {
    const session = await startServer(unsafeRelease().dir)
    expect((await session.call('check_release', {})).isError).toBeFalsy()
    // The SDK's client waits 2 s for the server to go before it sends SIGTERM.
    expect(await session.close()).toBeLessThan(1500)
  })

  it('--root serves another folder, as the README\'s mcpServers entry starts it; one that does not exist is exit 2 with one line', async () => {
    const repo = unsafeRelease()
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')
    const entry = JSON.parse(/```json\n(\{\n  "mcpServers"[\s\S]*?)```/.exec(readme)![1]).mcpServers['migrate-lint'] as { command: string; args: string[] }
    expect(entry.command).toBe('npx')
    expect(entry.args[0]).toBe('migrate-lint')
    const args = entry.args.slice(1).map(arg => arg.replace('${workspaceFolder}', repo.dir))
    expect(args).toEqual(['mcp', '--root', repo.dir])
    const session = await startServer(path.dirname(repo.dir), args.slice(1))
    try {
      const doc = (await session.call('check_release', {})).structuredContent as unknown as Document
      expect(located(doc)).toContain('drop-column-still-read migrations/002_drop_email.sql:1')
    } finally {
      await session.close()
    }
    const run = runCli(['mcp', '--root', path.join(repo.dir, 'nope')], repo.dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(`migrate-lint: --root ${path.join(repo.dir, 'nope')}: no such folder.\n`)
  })
})
