// What the plan tests share: a real project in a real git repository (a layout, its first migration, app
// code that reads the tables), the CLI run as a process, the lint's JSON, and PGlite applying the
// migrations as each runner sends them.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Migration,
  type QueryResult,
} from 'kysely'
import { afterAll, beforeAll } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

/** One PGlite for the test file, each test in a schema of its own: a new instance costs ≈ 2 s. */
export function pgliteForThisFile(): { readonly pg: PGlite } {
  const holder = {} as { pg: PGlite }
  beforeAll(async () => {
    holder.pg = new PGlite()
    await holder.pg.waitReady
  }, 60_000)
  afterAll(() => holder.pg.close())
  return holder
}

export type TestLayout = 'sql' | 'golang-migrate' | 'kysely'

const INIT_SQL =
  "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\n" +
  'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text, legacy_email text NOT NULL);\n' +
  'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, amount integer NOT NULL);\n'

const INIT: Record<TestLayout, Record<string, string>> = {
  sql: { 'migrations/001_init.sql': INIT_SQL },
  'golang-migrate': {
    'migrations/000001_init.up.sql': INIT_SQL,
    'migrations/000001_init.down.sql': "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\nDROP TABLE orders;\nDROP TABLE users;\n",
  },
  kysely: {
    'migrations/0001_init.ts':
      "import { type Kysely, sql } from 'kysely'\n\n" +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      INIT_SQL.trimEnd()
        .split('\n')
        .map(line => `  await sql\`${line.replace(/;$/, '')}\`.execute(db)\n`)
        .join('') +
      '}\n\n' +
      'export async function down(db: Kysely<any>): Promise<void> {\n' +
      "  await db.schema.dropTable('orders').execute()\n" +
      "  await db.schema.dropTable('users').execute()\n" +
      '}\n',
  },
}

/** The application of the previous release: it reads and writes every column. */
export const APP_V1 =
  'export const queries = {\n' +
  "  user: 'SELECT id, name, email, legacy_email FROM users WHERE id = $1',\n" +
  "  addUser: 'INSERT INTO users (id, name, email, legacy_email) VALUES ($1, $2, $3, $4)',\n" +
  "  orders: 'SELECT id, user_id, amount FROM orders WHERE user_id = $1',\n" +
  "  addOrder: 'INSERT INTO orders (id, user_id, amount) VALUES ($1, $2, $3)',\n" +
  '}\n'

export function project(layout: TestLayout): TestRepo {
  const repo = new TestRepo().write({ ...INIT[layout], 'src/queries.ts': APP_V1, 'package.json': '{ "name": "shop", "private": true }\n' })
  // The Kysely files import 'kysely': the project's own copy, as after `npm i kysely` (the lint uses its own).
  if (layout === 'kysely') {
    fs.mkdirSync(path.join(repo.dir, 'node_modules'))
    fs.symlinkSync(path.resolve(__dirname, '../../node_modules/kysely'), path.join(repo.dir, 'node_modules/kysely'))
    repo.write({ '.gitignore': 'node_modules/\n' })
  }
  return repo.commit('release 1').tag('v1')
}

export interface JsonFinding {
  ruleId: string
  severity: 'error' | 'warning' | 'info'
  file: string
  line: number
  suppressed?: { reason: string }
}

export interface LintRun {
  code: number
  verdict: string | null
  findings: JsonFinding[]
}

export function lint(repo: TestRepo, since: string): LintRun {
  const run = runCli(['--format', 'json', '--since', since], repo.dir)
  if (run.code === 2 || !run.stdout) throw new Error(`migrate-lint exited ${run.code}: ${run.stderr}`)
  const doc = JSON.parse(run.stdout) as { findings: JsonFinding[]; release: { verdict: string } | null }
  return { code: run.code, verdict: doc.release?.verdict ?? null, findings: doc.findings }
}

/** `file:line ruleId` of the findings at a severity, suppressed ones apart. */
export function at(findings: readonly JsonFinding[], severity: JsonFinding['severity'] | 'suppressed'): string[] {
  return findings
    .filter(f => (severity === 'suppressed' ? f.suppressed : !f.suppressed && f.severity === severity))
    .map(f => `${path.posix.basename(f.file)}:${f.line} ${f.ruleId}`)
}

/** Files of the migrations folder that are not in `seen`, in name order (as every runner here orders them). */
export function newFiles(repo: TestRepo, seen: Set<string>): string[] {
  const files = listFolder(path.join(repo.dir, 'migrations')).filter(f => !seen.has(f))
  for (const f of files) seen.add(f)
  return files
}

function listFolder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort()
}

/**
 * Applies the files as the layout's runner does: the SQL runners send a file (golang-migrate: the
 * .up.sql) as one query; Kysely's Migrator runs the up() of each pending file, in a transaction
 * unless told otherwise.
 */
export async function apply(
  pg: PGlite,
  repo: TestRepo,
  layout: TestLayout,
  files: readonly string[],
  kysely: { transactions: boolean; schema: string },
): Promise<void> {
  if (layout === 'kysely') {
    await migrateKysely(pg, path.join(repo.dir, 'migrations'), kysely)
    return
  }
  for (const file of files) {
    if (layout === 'golang-migrate' && !file.endsWith('.up.sql')) continue
    await pg.exec(fs.readFileSync(path.join(repo.dir, 'migrations', file), 'utf8'))
  }
}

async function migrateKysely(pg: PGlite, folder: string, { transactions, schema }: { transactions: boolean; schema: string }): Promise<void> {
  const db = new Kysely<any>({ dialect: pgliteDialect(pg) })
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      const out: Record<string, Migration> = {}
      for (const file of listFolder(folder).filter(f => f.endsWith('.ts'))) {
        out[file.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(folder, file)).href)) as Migration
      }
      return out
    },
  }
  const { error, results } = await new Migrator({ db, provider, disableTransactions: !transactions, migrationTableSchema: schema }).migrateToLatest()
  if (error) throw new Error(`Kysely's Migrator: ${results?.find(r => r.status === 'Error')?.migrationName}: ${String(error)}`)
}

/** Kysely over PGlite's one session: enough for the Migrator (the npm dialects lag behind PGlite 0.5). */
function pgliteDialect(pg: PGlite): Dialect {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const result = await pg.query<R>(query.sql, [...query.parameters])
      return { rows: result.rows, ...(result.affectedRows === undefined ? {} : { numAffectedRows: BigInt(result.affectedRows) }) }
    },
    streamQuery() {
      throw new Error('not used by the Migrator')
    },
  }
  return {
    createAdapter: () => new PostgresAdapter(),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: db => new PostgresIntrospector(db),
    createDriver: () => ({
      async init() {},
      async acquireConnection() {
        return connection
      },
      async beginTransaction() {
        await pg.exec('BEGIN')
      },
      async commitTransaction() {
        await pg.exec('COMMIT')
      },
      async rollbackTransaction() {
        await pg.exec('ROLLBACK')
      },
      async releaseConnection() {},
      async destroy() {},
    }),
  }
}
