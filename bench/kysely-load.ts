// Cost of seeing Kysely migrations without a database: import (esbuild → CommonJS), run up() and
// down() against the recording driver, parse the recorded SQL. Generates N migrations into temp
// folders (never into the repository) and prints the numbers as JSON.
//   npx tsx bench/kysely-load.ts [--count 500] [--dist]
// --dist runs the built code (dist/, as the CLI does; `npm run build` first); without it the loader
// worker starts through tsx, which adds to its start-up but not to the cost per file.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const args = process.argv.slice(2)
const count = args.includes('--count') ? Number(args[args.indexOf('--count') + 1]) : 500
const useDist = args.includes('--dist')
const root = path.resolve(import.meta.dirname, '..')
const from = (file: string) => pathToFileURL(path.join(root, useDist ? 'dist/src' : 'src', useDist ? file.replace(/\.ts$/, '.js') : file)).href

type Capture = typeof import('../src/parse/kysely/capture.js')
type Discover = typeof import('../src/discover/discover.js')
type Sql = typeof import('../src/parse/sql.js')
const { captureMigrations } = (await import(from('parse/kysely/capture.ts'))) as Capture
const { discoverMigrations } = (await import(from('discover/discover.ts'))) as Discover
const { loadParser } = (await import(from('parse/sql.ts'))) as Sql

/** One of a handful of shapes real migrations have, so that the cost is not that of one trivial file. */
function migration(i: number): string {
  const table = `t${i}`
  const shapes = [
    `  await db.schema
    .createTable('${table}')
    .addColumn('id', 'bigserial', col => col.primaryKey())
    .addColumn('name', 'text', col => col.notNull().defaultTo('n/a'))
    .addColumn('created_at', 'timestamptz', col => col.notNull().defaultTo(sql\`now()\`))
    .execute()
  await db.schema.createIndex('${table}_name_idx').on('${table}').column('name').execute()`,
    `  await db.schema.alterTable('t${i - 1}').addColumn('extra_${i}', 'integer').execute()
  await db.updateTable('t${i - 1}').set({ extra_${i}: ${i} }).where('id', '>', 0).execute()`,
    `  await sql\`CREATE INDEX CONCURRENTLY t${i - 2}_created_idx_${i} ON t${i - 2} (created_at)\`.execute(db)`,
    `  await db.transaction().execute(async trx => {
    await trx.schema.alterTable('t${i - 3}').renameColumn('name', 'title_${i}').execute()
    await trx.insertInto('t${i - 3}').values({ title_${i}: 'x', created_at: new Date(0) }).execute()
  })`,
  ]
  return `import { Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
${shapes[i % shapes.length]}
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('${table}').ifExists().execute()
}
`
}

function generate(n: number): { dir: string; sources: { path: string; text: string }[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-bench-'))
  fs.mkdirSync(path.join(dir, 'migrations'))
  const sources = Array.from({ length: n }, (_, i) => {
    const file = `migrations/${String(20240101000000 + i * 100)}_m${i}.ts`
    const text = migration(i)
    fs.writeFileSync(path.join(dir, file), text)
    return { path: file, text }
  })
  return { dir, sources }
}

async function timeCapture(n: number): Promise<number> {
  const { dir, sources } = generate(n)
  const start = performance.now()
  const captures = await captureMigrations(sources, { root: dir, timeoutMs: 5000 })
  const ms = performance.now() - start
  const failed = captures.filter(c => c.problems.length)
  if (failed.length) throw new Error(`${failed.length} generated migrations failed: ${JSON.stringify(failed[0].problems)}`)
  fs.rmSync(dir, { recursive: true, force: true })
  return ms
}

const round = (ms: number) => Number(ms.toFixed(1))
await loadParser()
const one = await timeCapture(1)
const ten = await timeCapture(10)
const many = await timeCapture(count)

const { dir } = generate(count)
const start = performance.now()
const found = await discoverMigrations({ root: dir, cwd: dir, paths: ['migrations'] })
const pipelineMs = performance.now() - start
const statements = found.migrations.reduce((n, m) => n + m.up.length + (m.down?.length ?? 0), 0)
fs.rmSync(dir, { recursive: true, force: true })

console.log(
  JSON.stringify(
    {
      code: useDist ? 'dist (as the CLI runs)' : 'src through tsx',
      node: process.version,
      firstFileMs: round(one),
      tenFilesMs: round(ten),
      [`files${count}Ms`]: round(many),
      perFileMs: round((many - one) / (count - 1)),
      [`discover${count}Ms`]: round(pipelineMs),
      discoverPerFileMs: round(pipelineMs / count),
      statements,
    },
    null,
    2,
  ),
)
