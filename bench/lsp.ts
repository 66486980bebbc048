// `npm run bench -- --lsp`: how long `migrate-lint lsp` takes to check a migration again after an edit,
// on a generated repository (1,000 migrations by default, a tag before the last 5 %). One server is
// started; the release's last migration (the DROP COLUMN the tagged code still reads) is opened, then
// edited --runs times (a comment line appended, as typing does): each figure is one didChange →
// publishDiagnostics round trip for that document version, measured by the client. The server is told
// debounceMs 0: the figure is the check, not the pause an editor's burst of keys waits for (150 ms).
//   npm run bench -- --lsp                               # 1,000 SQL migrations, 20 edits
//   npm run bench -- --lsp --sizes 1000 --layouts sql,kysely --runs 30
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileUri, initialize, LspClient } from '../test/lsp/lsp-client.js'
import { generateRepo, type Layout } from './generate.js'
import { snapshotBuild } from './snapshot.js'

interface LspResult {
  migrations: number
  layout: Layout
  file: string
  /** didOpen → diagnostics of a fresh server: the base, the code scans and the release, found once. */
  firstCheckMs: number
  edits: number
  medianMs: number
  minMs: number
  maxMs: number
  /** The rule ids published on the last edit (the drop the tagged code still reads among them). */
  codes: string[]
}

const option = (argv: readonly string[], name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback)

export async function benchLsp(argv: readonly string[]): Promise<void> {
  const sizes = option(argv, '--sizes', '1000').split(',').map(Number)
  const layouts = option(argv, '--layouts', 'sql').split(',') as Layout[]
  const runs = Number(option(argv, '--runs', '20'))
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const build = snapshotBuild()
  const results: LspResult[] = []
  try {
    for (const migrations of sizes) for (const layout of layouts) results.push(await benchOne(migrations, layout, runs, build.bin, log))
  } finally {
    build.remove()
  }
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ version: 1, node: process.version, cpus: os.cpus().length, results }, null, 2)}\n`)
    return
  }
  const lines = [
    '| migrations | layout | first check | re-check after an edit (median) | min – max | edits | published |',
    '|---:|---|---:|---:|---|---:|---|',
    ...results.map(r => `| ${r.migrations.toLocaleString('en-US')} | ${r.layout} | ${Math.round(r.firstCheckMs)} ms | ${Math.round(r.medianMs)} ms | ${Math.round(r.minMs)} – ${Math.round(r.maxMs)} ms | ${r.edits} | ${r.codes.join(', ')} |`),
  ]
  process.stdout.write(`\n${lines.join('\n')}\n`)
}

async function benchOne(migrations: number, layout: Layout, runs: number, bin: string, log: (line: string) => void): Promise<LspResult> {
  const repo = generateRepo({ migrations, layout })
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-bench-lsp-cache-'))
  const env: NodeJS.ProcessEnv = { ...process.env, MIGRATE_LINT_CACHE_DIR: cacheDir, NO_COLOR: '1' }
  delete env.NODE_OPTIONS
  const client = new LspClient(process.execPath, [bin, 'lsp'], repo.dir, env)
  try {
    await initialize(client, repo.dir, { debounceMs: 0 })
    // The staged migration is last; the release's last one, before it, drops the column the tag still reads.
    const file = repo.migrationFiles[repo.migrationFiles.length - 2]
    const uri = fileUri(repo.dir, file)
    const text = fs.readFileSync(path.join(repo.dir, file), 'utf8')
    const comment = layout === 'sql' ? '--' : '//'
    let started = performance.now()
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: layout === 'sql' ? 'sql' : 'typescript', version: 1, text } })
    let published = await client.diagnostics(uri, 1, 600_000)
    const firstCheckMs = performance.now() - started
    log(`lsp ${migrations} ${layout}: ${file}, first check ${Math.round(firstCheckMs)} ms`)
    const times: number[] = []
    for (let version = 2; version < runs + 2; version++) {
      started = performance.now()
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: `${text}\n${comment} edit ${version}\n` }] })
      published = await client.diagnostics(uri, version, 600_000)
      times.push(performance.now() - started)
    }
    const codes = [...new Set(published.diagnostics.map(d => d.code))]
    if (!codes.includes('drop-column-still-read')) {
      const said = published.diagnostics.map(d => `${d.code}: ${d.message}`).join('\n')
      throw new Error(`${file}: no drop-column-still-read after the edits: the check is not the one measured. Published:\n${said}`)
    }
    const sorted = [...times].sort((a, b) => a - b)
    const mid = Math.floor(sorted.length / 2)
    const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    log(`lsp ${migrations} ${layout}: re-check median ${Math.round(medianMs)} ms over ${runs} edits`)
    await client.close()
    return { migrations, layout, file, firstCheckMs, edits: runs, medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1], codes }
  } finally {
    client.kill()
    fs.rmSync(repo.dir, { recursive: true, force: true })
    fs.rmSync(cacheDir, { recursive: true, force: true })
  }
}
