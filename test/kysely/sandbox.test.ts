// Kysely migrations are a pull request's code: the capture process they run in (issue 14) must keep
// them from reading secrets, writing anywhere, starting processes, outliving the time limit or the
// memory cap, and from charging what they do to another migration. Each case is written as an
// attacker would, and the test checks it failed and that what the migration did is still seen.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { captureMigrations, type Capture } from '../../src/parse/kysely/capture.js'
import { checkWorkerMessage } from '../../src/parse/kysely/protocol.js'
import { tempTree } from '../cli/helpers.js'

const HEADER = "import { Kysely, sql } from 'kysely'\nimport fs from 'node:fs'\nimport cp from 'node:child_process'\n"
const up = (body: string) => `${HEADER}export async function up(db: Kysely<any>) {\n${body}\n}\n`
/** Runs `attempt` and records what came of it as a query: `SELECT 'ok'` or the error's code. */
const tried = (attempt: string) =>
  `  let outcome = 'ok'\n  try { ${attempt} } catch (e: any) { outcome = String(e.code ?? e.message) }\n  await sql\`SELECT \${outcome}\`.execute(db)`

const sqlOf = (c: Capture, part: 'up' | 'down' = 'up') => c[part].map(q => `${q.sql} ${q.parameters.join(',')}`.trim())
const problems = (c: Capture) => c.problems.map(p => `${p.stage}: ${p.problem.reason}`)

async function capture(files: Record<string, string>, options: { timeoutMs?: number; memoryMb?: number } = {}) {
  const root = tempTree(files)
  const sources = Object.keys(files)
    .filter(f => f.startsWith('migrations/'))
    .map(f => ({ path: f, text: files[f] }))
  const captures = await captureMigrations(sources, { root, timeoutMs: options.timeoutMs ?? 3000, memoryMb: options.memoryMb })
  return { root, found: Object.fromEntries(captures.map(c => [path.posix.basename(c.path), c])) }
}

describe('what a migration may not do in the capture process', () => {
  const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-outside-')), 'written.txt')
  const bundle = path.resolve(__dirname, '../../dist/bundle/parse-kysely-capture-process.js')
  const hashOf = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  let found: Record<string, Capture>
  let root: string
  let bundleBefore: string

  beforeAll(async () => {
    process.env.MIGRATE_LINT_TEST_SECRET = 'hunter2'
    bundleBefore = hashOf(bundle)
    ;({ root, found } = await capture({
      'migrations/1_env.ts': up("  await sql`SELECT ${process.env.MIGRATE_LINT_TEST_SECRET ?? 'no secret'} ${Object.keys(process.env).length}`.execute(db)"),
      'migrations/2_write.ts': up(tried(`fs.writeFileSync(${JSON.stringify(outside)}, 'pwned')`)),
      'migrations/3_bundle.ts': up(tried(`fs.appendFileSync(${JSON.stringify(bundle)}, '\\nconsole.log(1)')`)),
      'migrations/4_spawn.ts': up(tried("cp.execSync('touch /tmp/migrate-lint-spawned')")),
      'migrations/5_read_repo.ts': up(tried("fs.readFileSync(require('node:path').join(__dirname, '../.env'), 'utf8')")),
      'migrations/6_worker.ts': up(tried("new (require('node:worker_threads').Worker)('1', { eval: true })")),
      'migrations/7_main_thread.ts': up(
        "  if (!require('node:worker_threads').isMainThread) return\n  await db.schema.dropTable('users').execute()",
      ),
      'migrations/8_unhook.ts': up("  process.removeAllListeners('message')\n  await sql`SELECT ${typeof process.send}`.execute(db)"),
      'migrations/9_after.ts': up('  await sql`SELECT 9`.execute(db)'),
      '.env': 'DATABASE_URL=postgres://admin:secret@db/prod\n',
    }))
  }, 60_000)

  it('sees no environment: no secret of the linter’s, no variable at all', () => {
    expect(sqlOf(found['1_env.ts'])).toEqual(["SELECT $1 $2 'no secret',0"])
  })

  it('writes nothing: not outside the repository, not into migrate-lint’s own bundle', () => {
    expect(sqlOf(found['2_write.ts'])).toEqual(["SELECT $1 'ERR_ACCESS_DENIED'"])
    expect(fs.existsSync(outside)).toBe(false)
    expect(sqlOf(found['3_bundle.ts'])).toEqual(["SELECT $1 'ERR_ACCESS_DENIED'"])
    expect(hashOf(bundle)).toBe(bundleBefore)
  })

  it('starts no process and no thread', () => {
    expect(sqlOf(found['4_spawn.ts'])).toEqual(["SELECT $1 'ERR_ACCESS_DENIED'"])
    expect(fs.existsSync('/tmp/migrate-lint-spawned')).toBe(false)
    expect(sqlOf(found['6_worker.ts'])).toEqual(["SELECT $1 'ERR_ACCESS_DENIED'"])
  })

  it('reads no file of the repository beyond node_modules (its .env here)', () => {
    expect(fs.existsSync(path.join(root, '.env'))).toBe(true)
    expect(sqlOf(found['5_read_repo.ts'])).toEqual(["SELECT $1 'ERR_ACCESS_DENIED'"])
  })

  it('cannot tell it is being linted by the thread it runs in: the drop is seen', () => {
    expect(sqlOf(found['7_main_thread.ts'])).toEqual(['drop table "users"'])
  })

  it('cannot post through process.send, nor stop the later migrations from arriving', () => {
    expect(sqlOf(found['8_unhook.ts'])).toEqual(["SELECT $1 'undefined'"])
    expect(sqlOf(found['9_after.ts'])).toEqual(['SELECT 9'])
    expect(Object.values(found).flatMap(problems)).toEqual([])
  })
})

describe('limits a migration cannot escape', () => {
  it('a blocking call is ended at the time limit, not when it returns', async () => {
    const started = Date.now()
    const { found } = await capture(
      {
        'migrations/1_blocks.ts': up('  await sql`SELECT 1`.execute(db)\n  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000)'),
        'migrations/2_next.ts': up('  await sql`SELECT 2`.execute(db)'),
      },
      { timeoutMs: 1000 },
    )
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(problems(found['1_blocks.ts'])).toEqual([expect.stringMatching(/^up: it did not finish within 1000 ms/)])
    expect(sqlOf(found['1_blocks.ts'])).toEqual(['SELECT 1'])
    expect(sqlOf(found['2_next.ts'])).toEqual(['SELECT 2'])
  }, 30_000)

  it('memory held outside the heap (Buffers) counts: the process is stopped at the cap', async () => {
    const { found } = await capture(
      {
        'migrations/1_buffers.ts': up(
          '  await sql`SELECT 1`.execute(db)\n  const held: Buffer[] = []\n  for (;;) { held.push(Buffer.alloc(16 * 1024 * 1024, 1)); await new Promise(r => setTimeout(r, 1)) }',
        ),
        'migrations/2_next.ts': up('  await sql`SELECT 2`.execute(db)'),
      },
      { timeoutMs: 20_000, memoryMb: 64 },
    )
    expect(problems(found['1_buffers.ts'])).toEqual(["up: it ran out of memory (the loader's limit is 64 MB of heap, 192 MB in all)"])
    expect(sqlOf(found['2_next.ts'])).toEqual(['SELECT 2'])
  }, 40_000)
})

describe('each migration’s result is its own', () => {
  it('a callback left running that throws later is charged to the migration that left it, not to the one running then', async () => {
    const { found } = await capture({
      'migrations/1_leaves_timer.ts': up("  setTimeout(() => { throw new Error('late') }, 100)\n  await sql`SELECT 1`.execute(db)"),
      'migrations/2_waits.ts': up('  await new Promise(r => setTimeout(r, 400))\n  await sql`SELECT 2`.execute(db)'),
    })
    expect(problems(found['1_leaves_timer.ts'])).toEqual(['up: after up() returned, a callback it left running failed: it threw Error: late'])
    expect(found['1_leaves_timer.ts'].problems[0].problem.frame).toEqual({ line: 5, column: 28 })
    expect(problems(found['2_waits.ts'])).toEqual([])
    expect(sqlOf(found['2_waits.ts'])).toEqual(['SELECT 2'])
  }, 30_000)

  it('a query a left-running callback runs later is the migration’s own, not the next one’s', async () => {
    const { found } = await capture({
      'migrations/1_late_drop.ts': up("  setTimeout(() => void db.schema.dropTable('users').execute(), 100)\n  await sql`SELECT 1`.execute(db)"),
      'migrations/2_waits.ts': up('  await new Promise(r => setTimeout(r, 400))\n  await sql`SELECT 2`.execute(db)'),
    })
    expect(sqlOf(found['1_late_drop.ts'])).toEqual(['SELECT 1', 'drop table "users"'])
    expect(sqlOf(found['2_waits.ts'])).toEqual(['SELECT 2'])
  }, 30_000)

  it('a rejection with a value that has no prototype (no toString) is described, not a crash', async () => {
    const { found } = await capture({
      'migrations/1_null_proto.ts': up('  await sql`CREATE TABLE t (id int)`.execute(db)\n  throw Object.create(null)'),
      'migrations/2_next.ts': up('  await sql`SELECT 2`.execute(db)'),
    })
    expect(problems(found['1_null_proto.ts'])).toEqual(['up: it threw [object Object] (not an Error)'])
    expect(sqlOf(found['2_next.ts'])).toEqual(['SELECT 2'])
  }, 30_000)
})

describe('what the main process believes', () => {
  it('only messages of the protocol, each field checked: anything else is a reason to stop the process', () => {
    const query = { sql: 'SELECT 1', parameters: [], inTransaction: false, call: null, statement: null }
    expect(checkWorkerMessage({ type: 'query', job: 1, part: 'up', query })).toEqual({ type: 'query', job: 1, part: 'up', query })
    for (const bad of [
      null,
      'done',
      Object.create(null),
      { type: 'query', job: 1, part: 'up' },
      { type: 'query', job: '1', part: 'up', query },
      { type: 'query', job: 1, part: 'sideways', query },
      { type: 'query', job: 1, part: 'up', query: { ...query, call: { line: 'x', column: 1 } } },
      { type: 'end', job: 1, part: 'up', problem: { kind: 'fine', reason: '', frame: null } },
      { type: 'module', job: 1, exports: null },
      { type: 'surprise', job: 1 },
    ]) {
      expect(checkWorkerMessage(bad)).toEqual(expect.stringMatching(/^the loader sent a message outside its protocol/))
    }
  })
})
