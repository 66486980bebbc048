// Times the usage scan on 2,000 generated app files (seeded, so every run scans the same code):
// repositories built with Kysely, modules with raw SQL, and the many files that hold no query.
//   npx tsx bench/usage-scan.ts [--files 2000] [--runs 5]
import { random } from './generate.js'
import { loadParser } from '../src/parse/sql.js'
import { scanUsage, type CodeFile } from '../src/usage/index.js'

const argv = process.argv.slice(2)
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(name)
  return at >= 0 ? Number(argv[at + 1]) : fallback
}
const FILES = option('--files', 2000)
const RUNS = option('--runs', 5)

const rand = random(20261120)
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]
const count = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1))
const some = <T>(items: readonly T[], n: number): T[] => Array.from({ length: n }, () => pick(items))

const TABLES: Record<string, string[]> = {
  users: ['id', 'email', 'first_name', 'last_name', 'created_at', 'status', 'org_id'],
  orgs: ['id', 'name', 'plan', 'created_at'],
  orders: ['id', 'user_id', 'total', 'currency', 'placed_at', 'status'],
  order_items: ['id', 'order_id', 'product_id', 'quantity', 'price'],
  products: ['id', 'sku', 'title', 'price', 'stock', 'archived'],
  sessions: ['id', 'user_id', 'token', 'expires_at'],
  invoices: ['id', 'order_id', 'number', 'issued_at', 'paid_at'],
  audit_log: ['id', 'actor_id', 'action', 'payload', 'at'],
}
const NAMES = Object.keys(TABLES)

function kyselyMethod(i: number): string {
  const table = pick(NAMES)
  const cols = TABLES[table]
  const alias = table[0]
  switch (i % 7) {
    case 0:
      return `  async findById(id: number) {
    return this.db.selectFrom('${table}').select([${some(cols, 3).map(c => `'${c}'`).join(', ')}]).where('id', '=', id).executeTakeFirst()
  }`
    case 1: {
      const other = pick(NAMES)
      return `  async list(filter: { status?: string; limit: number }) {
    // newest first; joins ${other} for the name
    return this.db
      .selectFrom('${table} as ${alias}')
      .innerJoin('${other} as o', 'o.id', '${alias}.id')
      .select(['${alias}.${pick(cols)}', 'o.${pick(TABLES[other])} as other'])
      .$if(filter.status !== undefined, qb => qb.where('${alias}.${pick(cols)}', '=', filter.status!))
      .orderBy('${alias}.${pick(cols)}', 'desc')
      .limit(filter.limit)
      .execute()
  }`
    }
    case 2:
      return `  async create(input: New${table}) {
    return this.db.insertInto('${table}').values({ ${some(cols, 4).map(c => `${c}: input.${c}`).join(', ')} }).returning('id').executeTakeFirstOrThrow()
  }`
    case 3:
      return `  async rename(id: number, value: string) {
    await this.db.updateTable('${table}').set({ ${pick(cols)}: value, ${pick(cols)}: new Date() }).where('id', '=', id).execute()
  }`
    case 4:
      return `  async remove(id: number) {
    await this.db.deleteFrom('${table}').where('${pick(cols)}', '<', id).execute()
  }`
    case 5:
      return `  async withCounts() {
    return this.db.selectFrom('${table} as t')
      .select(eb => [
        't.${pick(cols)}',
        eb.selectFrom('${pick(NAMES)} as c').select(eb.fn.countAll().as('n')).whereRef('c.id', '=', 't.id').as('count'),
      ])
      .where(eb => eb.or([eb('t.${pick(cols)}', '=', 1), eb('t.${pick(cols)}', 'is', null)]))
      .execute()
  }`
    default:
      return `  async all() {
    return this.db.selectFrom('${table}').selectAll().orderBy('${pick(cols)}').execute()
  }`
  }
}

function repositoryFile(n: number): string {
  const methods = Array.from({ length: count(5, 15) }, (_, i) => kyselyMethod(i + n))
  return `import type { Kysely } from 'kysely'
import type { DB } from '../db/types.js'

/** Repository ${n}: the data access of one feature. */
export class Repository${n} {
  constructor(private readonly db: Kysely<DB>) {}

${methods.join('\n\n')}
}
`
}

function rawSqlFile(n: number): string {
  const queries = Array.from({ length: count(3, 8) }, (_, i) => {
    const table = pick(NAMES)
    const cols = TABLES[table]
    const other = pick(NAMES)
    if (i % 2 === 0) {
      return `export async function report${n}_${i}(db: Kysely<DB>, since: Date) {
  const { rows } = await sql<{ n: number }>\`
    SELECT a.${pick(cols)}, count(*) AS n
    FROM ${table} a
    JOIN ${other} b ON b.id = a.id
    WHERE a.${pick(cols)} > \${since}
    GROUP BY a.${pick(cols)}
    ORDER BY n DESC
  \`.execute(db)
  return rows
}`
    }
    return `export async function load${n}_${i}(pool: Pool, id: number) {
  const result = await pool.query('SELECT ${some(cols, 2).join(', ')} FROM ${table} WHERE id = $1', [id])
  return result.rows[0]
}`
  })
  return `import { sql, type Kysely } from 'kysely'
import type { Pool } from 'pg'

${queries.join('\n\n')}
`
}

function plainFile(n: number): string {
  const helpers = Array.from({ length: count(5, 25) }, (_, i) => `export function helper${n}_${i}(items: readonly number[]): number {
  // sums what is above the threshold; the threshold comes from config
  let total = 0
  for (const item of items) {
    if (item > ${i}) total += item * ${count(1, 9)}
  }
  return Math.round(total / Math.max(1, items.length))
}`)
  return `import { z } from 'zod'

export const Schema${n} = z.object({ id: z.number(), name: z.string().min(1) })

${helpers.join('\n\n')}
`
}

function generate(files: number): CodeFile[] {
  return Array.from({ length: files }, (_, n) => {
    const roll = rand()
    if (roll < 0.4) return { path: `src/repositories/repo-${n}.ts`, text: repositoryFile(n) }
    if (roll < 0.55) return { path: `src/reports/report-${n}.ts`, text: rawSqlFile(n) }
    return { path: `src/lib/util-${n}.ts`, text: plainFile(n) }
  })
}

await loadParser()
const files = generate(FILES)
const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0)
const lines = files.reduce((sum, f) => sum + f.text.split('\n').length, 0)
scanUsage(files.slice(0, 50)) // warm-up: module load and JIT, not what a run costs
const times: number[] = []
let last = scanUsage([])
for (let run = 0; run < RUNS; run++) {
  const start = performance.now()
  last = scanUsage(files)
  times.push(performance.now() - start)
}
const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
console.log(
  JSON.stringify({
    files: files.length,
    filesParsed: last.filesParsed,
    lines,
    megabytes: Number((bytes / 1e6).toFixed(2)),
    usages: last.usages.length,
    inserts: last.inserts.length,
    unresolved: last.unresolved.length,
    runs: RUNS,
    medianMs: Math.round(median),
    filesPerSecond: Math.round(files.length / (median / 1000)),
    allRunsMs: times.map(t => Math.round(t)),
  }),
)
