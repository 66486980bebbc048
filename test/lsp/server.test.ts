// `migrate-lint lsp` spoken to for real: `node bin/migrate-lint.js lsp` over stdio, in a real git
// repository whose tagged release reads users.email, with the editor's buffers in place of the files.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'
import { fileUri, initialize, LspClient, type PublishedDiagnostics } from './lsp-client.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const readsEmail = "import { db } from '../db'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select(['id', 'email']).where('id', '=', id).execute()\n"
const readsName = "import { db } from '../db'\n\nexport const find = (id: number) =>\n  db.selectFrom('users').select(['id', 'name']).where('id', '=', id).execute()\n"
// This release's code still reads the column in one place: the line the editor should point at.
const report = "import { db } from '../db'\n\n// the weekly report\nexport const emails = () =>\n  db.selectFrom('users').select(['email']).execute()\n"
const addNickname = 'ALTER TABLE users ADD COLUMN nickname text;\n'
const dropEmail = '-- users.email is replaced by the login table\nALTER TABLE users DROP COLUMN email;\n'

const located = (published: PublishedDiagnostics) => published.diagnostics.map(d => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`)

describe('migrate-lint lsp', () => {
  let repo: TestRepo
  let client: LspClient
  const migration = 'migrations/002_release.sql'
  let uri: string

  beforeAll(async () => {
    // v1.4 reads users.email; the release after it has a safe migration on disk, which the editor's buffer makes a drop.
    repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users.ts': readsEmail })
      .tag('v1.4')
      .commit('release', { [migration]: addNickname, 'src/users.ts': readsName, 'src/report.ts': report })
    uri = fileUri(repo.dir, migration)
    client = new LspClient(process.execPath, [BIN, 'lsp', '--stdio'], repo.dir)
    const init = await initialize(client, repo.dir, { debounceMs: 20 })
    expect(init.serverInfo.name).toBe('migrate-lint')
    expect(init.capabilities.codeActionProvider).toBeTruthy()
  })
  afterAll(() => client?.kill())

  it('didOpen of the unsafe buffer: drop-column-still-read at the DROP, linked to its page; the file on disk is safe', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: dropEmail } })
    const published = await client.diagnostics(uri, 1)
    expect(located(published)).toEqual(['drop-column-still-read 2:1', 'missing-lock-timeout 2:1', 'missing-statement-timeout 2:1'])
    const drop = published.diagnostics.find(d => d.code === 'drop-column-still-read')!
    expect(drop.severity).toBe(1)
    expect(drop.source).toBe('migrate-lint')
    expect(drop.message).toContain('release v1.4 still reads it (src/users.ts:4 selects users.email)')
    expect(drop.codeDescription?.href).toMatch(/\/blob\/main\/docs\/rules\/drop-column-still-read\.md$/)
    expect(fs.existsSync(path.resolve(__dirname, '../../docs/rules/drop-column-still-read.md'))).toBe(true)
    expect(drop.range.end).toEqual({ line: 1, character: 'ALTER TABLE users DROP COLUMN email'.length })
  })

  it('code action: a suppression comment with a reason placeholder above the finding\'s line', async () => {
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: dropEmail }] })
    const published = await client.diagnostics(uri, 2)
    const drop = published.diagnostics.find(d => d.code === 'drop-column-still-read')!
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: drop.range,
      context: { diagnostics: [drop] },
    })
    expect(actions).toHaveLength(1)
    expect(actions[0].kind).toBe('quickfix')
    expect(actions[0].edit.changes[uri]).toEqual([
      {
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
        newText: '-- migrate-lint-disable-next-line drop-column-still-read -- TODO: say why this is safe\n',
      },
    ])
    // Applied, the comment suppresses the finding (and, having a reason, raises no suppression-without-reason).
    const suppressed = dropEmail.replace('ALTER', actions[0].edit.changes[uri][0].newText + 'ALTER')
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: suppressed }] })
    // The other rules still speak on the statement, now a line lower: the check ran.
    expect(located(await client.diagnostics(uri, 3))).toEqual(['drop-column-data-loss 3:1', 'missing-lock-timeout 3:1', 'missing-statement-timeout 3:1'])
  })

  it('didChange that makes the migration safe clears the diagnostic', async () => {
    client.notify('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text: dropEmail }] })
    expect(located(await client.diagnostics(uri, 4))).toContain('drop-column-still-read 2:1')
    // An incremental change, as editors send them: the DROP line becomes an ADD.
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 5 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 'ALTER TABLE users DROP COLUMN email;'.length } }, text: addNickname.trim() }],
    })
    expect(located(await client.diagnostics(uri, 5))).toEqual(['missing-lock-timeout 2:1', 'missing-statement-timeout 2:1'])
  })

  it('a code file: the line that reads a column the release\'s migration drops', async () => {
    client.notify('textDocument/didChange', { textDocument: { uri, version: 6 }, contentChanges: [{ text: dropEmail }] })
    await client.diagnostics(uri, 6)
    const code = fileUri(repo.dir, 'src/report.ts')
    client.notify('textDocument/didOpen', { textDocument: { uri: code, languageId: 'typescript', version: 1, text: report } })
    const published = await client.diagnostics(code, 1)
    expect(located(published)).toEqual(['drop-column-still-read 5:34'])
    expect(published.diagnostics[0].severity).toBe(2)
    expect(published.diagnostics[0].message).toContain(`users.email: the migration ${migration}:2 drops it`)
    // No suppression is offered in code: the fix is to stop reading the column.
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri: code }, range: published.diagnostics[0].range, context: { diagnostics: published.diagnostics } })
    expect(actions).toEqual([])
    // src/users.ts no longer reads it: nothing there.
    const users = fileUri(repo.dir, 'src/users.ts')
    client.notify('textDocument/didOpen', { textDocument: { uri: users, languageId: 'typescript', version: 1, text: readsName } })
    expect(located(await client.diagnostics(users, 1))).toEqual([])
  })

  it('shutdown and exit end the process with 0', async () => {
    expect(await client.close()).toBe(0)
  })
})

describe('migrate-lint lsp on a Kysely migration', () => {
  const createUsers = "import { Kysely } from 'kysely'\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.createTable('users').addColumn('id', 'bigint', c => c.primaryKey()).addColumn('email', 'text').execute()\n}\n"
  const kyselyMigration = (change: string) => `import { Kysely } from 'kysely'\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await db.schema.alterTable('users').${change}.execute()\n}\n`
  const migration = 'migrations/2024_01_02_000000_release.ts'
  let client: LspClient

  afterAll(() => client?.kill())

  it('the unsaved .ts buffer is run and judged: drop-column-still-read at the builder line; the fix is a // comment at its indentation', async () => {
    const repo = new TestRepo()
      .commit('v1', { 'migrations/2024_01_01_000000_users.ts': createUsers, 'src/users.ts': readsEmail })
      .tag('v1')
      .commit('release', { [migration]: kyselyMigration("addColumn('nickname', 'text')"), 'src/users.ts': readsName })
    client = new LspClient(process.execPath, [BIN, 'lsp'], repo.dir)
    await initialize(client, repo.dir, { debounceMs: 20 })
    const uri = fileUri(repo.dir, migration)
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: kyselyMigration("dropColumn('email')") } })
    const published = await client.diagnostics(uri, 1)
    expect(located(published)).toContain('drop-column-still-read 4:3')
    const drop = published.diagnostics.find(d => d.code === 'drop-column-still-read')!
    expect(drop.message).toContain('release v1 still reads it (src/users.ts:4 selects users.email)')
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: drop.range, context: { diagnostics: [drop] } })
    expect(actions.map((a: any) => a.edit.changes[uri][0])).toEqual([
      { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, newText: '  // migrate-lint-disable-next-line drop-column-still-read -- TODO: say why this is safe\n' },
    ])
    // Back to what is on disk: the drop's diagnostic goes.
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: kyselyMigration("addColumn('nickname', 'text')") }] })
    expect(located(await client.diagnostics(uri, 2))).not.toContain('drop-column-still-read 4:3')
    expect(await client.close()).toBe(0)
  })
})

describe('migrate-lint lsp keeps the release only while it holds', () => {
  let client: LspClient
  afterAll(() => client?.kill())

  it('a new tag is a new base: the drop the old release read is fine once the release that stopped reading it is tagged; a saved code file is scanned again', async () => {
    const migration = 'migrations/002_drop_email.sql'
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users.ts': readsEmail })
      .tag('v1.4')
      .commit('stop reading users.email', { 'src/users.ts': readsName })
      .write({ [migration]: dropEmail })
    client = new LspClient(process.execPath, [BIN, 'lsp'], repo.dir)
    await initialize(client, repo.dir, { debounceMs: 20 })
    const uri = fileUri(repo.dir, migration)
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: dropEmail } })
    expect(located(await client.diagnostics(uri, 1))).toContain('drop-column-still-read 2:1')
    repo.tag('v1.5')
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: dropEmail }] })
    expect(located(await client.diagnostics(uri, 2))).toEqual(['drop-column-data-loss 2:1', 'missing-lock-timeout 2:1', 'missing-statement-timeout 2:1'])
    // The code is edited to read the column again and saved: its line is flagged, and the drop with it.
    const code = fileUri(repo.dir, 'src/users.ts')
    client.notify('textDocument/didOpen', { textDocument: { uri: code, languageId: 'typescript', version: 1, text: readsName } })
    expect(located(await client.diagnostics(code, 1))).toEqual([])
    // Each check publishes every open file: the migration's are taken too, so that the next are the next check's.
    await client.diagnostics(uri, 2)
    repo.write({ 'src/users.ts': readsEmail })
    client.notify('textDocument/didChange', { textDocument: { uri: code, version: 2 }, contentChanges: [{ text: readsEmail }] })
    // Unsaved, the code scan is the saved file's: nothing yet.
    expect(located(await client.diagnostics(code, 2))).toEqual([])
    await client.diagnostics(uri, 2)
    client.notify('textDocument/didSave', { textDocument: { uri: code } })
    expect(located(await client.diagnostics(code, 2))).toEqual(['drop-column-still-read 4:40'])
    expect(located(await client.diagnostics(uri, 2))).toContain('drop-column-still-read 2:1')
    expect(await client.close()).toBe(0)
  })
})

describe('migrate-lint lsp on a config it cannot read', () => {
  let client: LspClient
  afterAll(() => client?.kill())

  it('says so once in a message with the file:line, publishes nothing, and checks again once the config is fixed', async () => {
    const migration = 'migrations/002_drop_email.sql'
    const repo = new TestRepo()
      .commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users.ts': readsEmail })
      .tag('v1.4')
      .write({ [migration]: dropEmail, 'migrate-lint.config.json': '{\n  "tagPattern": "v*",\n}\n' })
    client = new LspClient(process.execPath, [BIN, 'lsp'], repo.dir)
    await initialize(client, repo.dir, { debounceMs: 20 })
    const uri = fileUri(repo.dir, migration)
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: dropEmail } })
    const shown = await client.nextNotification(n => n.method === 'window/showMessage')
    expect(shown.params.type).toBe(1)
    expect(shown.params.message).toMatch(/^migrate-lint: \S*migrate-lint\.config\.json:3:1: not valid JSON/)
    // The same error on the next key is not said again.
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: dropEmail }] })
    repo.write({ 'migrate-lint.config.json': '{\n  "tagPattern": "v*"\n}\n' })
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(repo.dir, 'migrate-lint.config.json'), type: 2 }] })
    expect(located(await client.diagnostics(uri, 2))).toContain('drop-column-still-read 2:1')
    await expect(client.nextNotification(n => n.method === 'window/showMessage', 100)).rejects.toThrow(/no notification/)
    expect(await client.close()).toBe(0)
  })
})
