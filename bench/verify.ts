// The verify benchmark (issue 6): how long replaying generated SQL migrations takes on PGlite.
// For each size, on a generated dbmate repository (every statement valid on Postgres, each migration
// with the down that undoes it; the last 5 % of the migrations form the release after tag v1):
//   open     a fresh PGlite (from the saved fresh data dir; the first run on a machine pays initdb once)
//   replay   every migration as shipped: one statement at a time, no lock trace (how the base is replayed)
//   traced   every migration as the release: each statement in its own transaction, pg_locks read before COMMIT
//   cli      `migrate-lint verify --format json` as a process on the repository (lint, base code, the
//            shipped migrations, the release traced, old-code probes, round trip), wall time
// Every figure is the median of --runs runs.
//   npx tsx bench/verify.ts [--sizes 100,1000] [--runs 3] [--no-cli] [--json] [--keep]
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config.js'
import { discoverMigrations } from '../src/discover/discover.js'
import type { Migration } from '../src/model.js'
import { loadParser } from '../src/parse/sql.js'
import { openPglite } from '../src/verify/pglite-engine.js'
import { verifyMigrations } from '../src/verify/verify-migrations.js'
import { rulesById } from '../rules/index.js'
import { random } from './generate.js'
import { snapshotBuild } from './snapshot.js'

interface Row {
  migrations: number
  statements: number
  openMs: number
  replayMs: number
  tracedMs: number
  /** Statements Postgres refused (the generator aims at none). */
  failures: number
  cliMs: number | null
}

const argv = process.argv.slice(2)
const value = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
const sizes = (value('--sizes') ?? '100,1000').split(',').map(Number)
const runs = Number(value('--runs') ?? 3)
const cli = !argv.includes('--no-cli')

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const time = async (f: () => Promise<unknown>) => {
  const t = performance.now()
  await f()
  return performance.now() - t
}

async function measure(size: number, bin: string | null): Promise<Row> {
  const repo = writeRepo(size)
  try {
    const config = loadConfig(repo.dir, undefined, new Set(rulesById.keys()))
    const { migrations } = await discoverMigrations({ root: repo.dir, cwd: repo.dir, paths: [], exclude: config.exclude })
    const statements = migrations.reduce((n, m) => n + m.up.length, 0)
    const open: number[] = []
    const replay: number[] = []
    const traced: number[] = []
    let failures = 0
    for (let i = 0; i < runs; i++) {
      const asShipped = migrations.map((m): Migration => ({ ...m, inRelease: false }))
      let engine = await openPgliteTimed(open)
      replay.push(await time(() => verifyMigrations(engine, { shipped: asShipped, added: [], baseCode: null })))
      await engine.close()
      engine = await openPgliteTimed(open)
      traced.push(
        await time(async () => {
          // Ups only: the round trip is measured by the CLI run.
          const ups = migrations.map(m => ({ ...m, down: null }))
          const result = await verifyMigrations(engine, { shipped: [], added: ups, baseCode: null })
          failures = result.findings.filter(f => f.ruleId === 'verify-statement-failed').length
        }),
      )
      await engine.close()
    }
    const cliRuns: number[] = []
    if (bin) {
      for (let i = 0; i < runs; i++) {
        const t = performance.now()
        const run = spawnSync(process.execPath, [bin, 'verify', '--format', 'json'], { cwd: repo.dir, env: { ...process.env, CI: 'true' }, maxBuffer: 1 << 30 })
        cliRuns.push(performance.now() - t)
        if (run.status === 2) throw new Error(`verify failed: ${run.stderr}`)
      }
    }
    return {
      migrations: size,
      statements,
      openMs: median(open),
      replayMs: median(replay),
      tracedMs: median(traced),
      failures,
      cliMs: bin ? median(cliRuns) : null,
    }
  } finally {
    if (argv.includes('--keep')) console.error(`kept ${repo.dir}`)
    else fs.rmSync(repo.dir, { recursive: true, force: true })
  }
}

async function openPgliteTimed(times: number[]) {
  const t = performance.now()
  const engine = await openPglite()
  times.push(performance.now() - t)
  return engine
}

await loadParser()
const build = cli ? snapshotBuild() : null
const rows: Row[] = []
try {
  for (const size of sizes) rows.push(await measure(size, build?.bin ?? null))
} finally {
  build?.remove()
}
if (argv.includes('--json')) console.log(JSON.stringify(rows, null, 2))
else {
  const s = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`)
  console.log('| migrations | statements | open PGlite | replay | replay + lock trace | per statement (traced) | failed | verify CLI |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    const per = `${(r.tracedMs / r.statements).toFixed(2)} ms`
    console.log(`| ${r.migrations} | ${r.statements} | ${s(r.openMs)} | ${s(r.replayMs)} | ${s(r.tracedMs)} | ${per} | ${r.failures} | ${s(r.cliMs)} |`)
  }
}

// ---------------------------------------------------------------------------------------------------
// The repository: migrations that are all valid on Postgres (the generator keeps the schema), so that
// the replay measures statements that run, not a cascade of failures.

interface Table {
  name: string
  /** Nullable integer columns added later: targets of backfills, checks, renames and drops. */
  extra: string[]
  /** Columns with a CHECK: never dropped (the drop takes the check along; the down cannot bring it back). */
  checked: Set<string>
}

function writeRepo(size: number): { dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migrate-lint-bench-verify-${size}-`))
  const next = random(20261120 + size)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]
  const tables: Table[] = []
  const files: { name: string; text: string }[] = []
  for (let i = 1; i <= size; i++) {
    const up: string[] = []
    const down: string[] = []
    let concurrently = false
    const steps = 2 + Math.floor(next() * 3)
    for (let k = 0; k < steps; k++) {
      const t = tables.length < 3 || next() < 0.12 ? null : pick(tables)
      if (!t) {
        const name = `t${i}_${k}`
        tables.push({ name, extra: [], checked: new Set() })
        up.push(`CREATE TABLE ${name} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`)
        up.push(`INSERT INTO ${name} (name) SELECT 'row ' || g FROM generate_series(1, 20) g;`)
        down.unshift(`DROP TABLE ${name};`)
        continue
      }
      const col = `c${i}_${k}`
      switch (pick(['add', 'add', 'default', 'index', 'backfill', 'check', 'rename', 'drop'] as const)) {
        case 'add':
          up.push(`ALTER TABLE ${t.name} ADD COLUMN ${col} integer;`)
          down.unshift(`ALTER TABLE ${t.name} DROP COLUMN ${col};`)
          t.extra.push(col)
          break
        case 'default':
          up.push(`ALTER TABLE ${t.name} ADD COLUMN ${col} integer NOT NULL DEFAULT 0;`)
          down.unshift(`ALTER TABLE ${t.name} DROP COLUMN ${col};`)
          break
        case 'index': {
          const index = `${t.name}_${col}_idx`
          concurrently ||= next() < 0.5
          const how = concurrently ? ' CONCURRENTLY' : ''
          up.push(`CREATE INDEX${how} ${index} ON ${t.name} (name, created_at);`)
          down.unshift(`DROP INDEX${how} ${index};`)
          break
        }
        case 'backfill': {
          const c = t.extra.at(-1)
          if (!c) break
          up.push(`UPDATE ${t.name} SET ${c} = id WHERE ${c} IS NULL;`)
          break
        }
        case 'check': {
          const c = t.extra.at(-1)
          if (!c) break
          const name = `${t.name}_${col}_check`
          up.push(`ALTER TABLE ${t.name} ADD CONSTRAINT ${name} CHECK (${c} IS NULL OR ${c} >= 0) NOT VALID;`)
          up.push(`ALTER TABLE ${t.name} VALIDATE CONSTRAINT ${name};`)
          down.unshift(`ALTER TABLE ${t.name} DROP CONSTRAINT ${name};`)
          t.checked.add(c)
          break
        }
        case 'rename': {
          const c = t.extra.pop()
          if (!c) break
          up.push(`ALTER TABLE ${t.name} RENAME COLUMN ${c} TO ${col};`)
          down.unshift(`ALTER TABLE ${t.name} RENAME COLUMN ${col} TO ${c};`)
          t.extra.push(col)
          if (t.checked.delete(c)) t.checked.add(col)
          break
        }
        case 'drop': {
          const c = t.extra.find(x => !t.checked.has(x))
          if (!c) break
          t.extra.splice(t.extra.indexOf(c), 1)
          up.push(`ALTER TABLE ${t.name} DROP COLUMN ${c};`)
          down.unshift(`ALTER TABLE ${t.name} ADD COLUMN ${c} integer;`)
          break
        }
      }
    }
    const mode = concurrently ? ' transaction:false' : ''
    const text = [`-- migrate:up${mode}`, "SET lock_timeout = '5s';", ...up, '', `-- migrate:down${mode}`, ...down, ''].join('\n')
    files.push({ name: `migrations/${String(i).padStart(5, '0')}_step.sql`, text })
  }
  const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' })
  const write = (list: typeof files) => {
    for (const f of list) {
      fs.mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true })
      fs.writeFileSync(path.join(dir, f.name), f.text)
    }
  }
  const release = Math.max(2, Math.round(size * 0.05))
  git('init', '-q', '-b', 'main')
  write(files.slice(0, size - release))
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'src/db.ts'), tables.slice(0, 20).map(t => `export const ${t.name} = (db) => db.selectFrom('${t.name}').select(['id', 'name']).execute()\n`).join(''))
  git('add', '-A')
  git('commit', '-q', '-m', 'v1')
  git('tag', 'v1')
  write(files.slice(size - release))
  return { dir }
}
