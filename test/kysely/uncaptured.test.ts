// The capture cross-checked against the migration's text (issue 14): a query its up() or down() can
// run that never reached the recorder is reported at its line, so a migration that hides a drop from
// the linter does not come out clean. Real captures: the migrations run in the loader worker.
import { beforeAll, describe, expect, it } from 'vitest'
import { captureMigrations, type Capture } from '../../src/parse/kysely/capture.js'
import { uncapturedProblems } from '../../src/parse/kysely/uncaptured.js'
import { tempTree } from '../cli/helpers.js'

const HEADER = "import { Kysely, sql } from 'kysely'\n"
/** Unset in every environment the tests run in: the branch it guards is never taken. */
const UNSET = 'MIGRATE_LINT_UNCAPTURED_TEST_NEVER_SET'

interface Captured {
  capture: Capture
  text: string
}

/** Runs the files in one loader worker, in the order given (an earlier migration can change what later ones see). */
async function captureAll(files: Record<string, string>, timeoutMs = 2000): Promise<Record<string, Captured>> {
  const sources = Object.entries(files).map(([name, text]) => ({ path: `migrations/${name}`, text }))
  const root = tempTree(Object.fromEntries(sources.map(s => [s.path, s.text])))
  const captures = await captureMigrations(sources, { root, timeoutMs })
  return Object.fromEntries(sources.map((s, i) => [s.path.slice('migrations/'.length), { capture: captures[i], text: s.text }]))
}

/** `part:line query` for each query reported as not captured; `part:line (reason)` for a part not cross-checked. */
function reported({ capture, text }: Captured): string[] {
  return uncapturedProblems(capture, capture.path, text).map(p => `${p.part}:${p.loc.line} ${p.query ?? `(${p.reason})`}`)
}

const migration = (up: string, down = "  await db.schema.dropTable('x').ifExists().execute()") =>
  `${HEADER}export async function up(db: Kysely<any>): Promise<void> {\n${up}\n}\n\nexport async function down(db: Kysely<any>): Promise<void> {\n${down}\n}\n`

describe('queries hidden from the linter', () => {
  const files = {
    // Line 3 of each up() body is line 5 of the file (HEADER, the function's line, then the body).
    // The linter's loader: a worker thread of the linter, or (since issue 14) a child process with an empty environment.
    'main-thread.ts': migration(
      "  await db.schema.createTable('audit').addColumn('id', 'bigint').execute()\n" +
        "  if (!require('worker_threads').isMainThread || !process.env.HOME) return\n" +
        "  await db.schema.dropTable('users').execute()",
    ),
    'environment.ts': migration(
      "  await db.schema.createTable('audit2').addColumn('id', 'bigint').execute()\n" +
        `  if (process.env.${UNSET}) await db.schema.dropTable('users').execute()`,
    ),
    'guarded.ts': migration(
      '  const tables = await db.introspection.getTables()\n' +
        "  if (tables.some(t => t.name === 'legacy')) {\n" +
        '    await db.schema\n' +
        "      .dropTable('legacy')\n" +
        '      .execute()\n' +
        '  }',
    ),
    'rows.ts': migration(
      "  const users = await db.selectFrom('users').select('id').execute()\n" +
        "  for (const user of users) await db.updateTable('users').set({ plan: 'free' }).where('id', '=', user.id).execute()",
    ),
    'all-ran.ts': migration(
      "  await db.schema.createTable('t1').addColumn('id', 'bigint').execute()\n" +
        "  for (const name of ['a', 'b', 'c']) await db.schema.alterTable('t1').addColumn(name, 'text').execute()\n" +
        "  await sql`CREATE INDEX t1_a ON t1 (a)`.execute(db)\n" +
        "  await db.transaction().execute(async trx => trx.schema.alterTable('t1').addColumn('d', 'text').execute())\n" +
        "  const row = await db.selectFrom('t1').selectAll().executeTakeFirst()\n" +
        "  await db.executeQuery(CompiledQuery.raw('ANALYZE t1'))\n" +
        "  for await (const r of db.selectFrom('t1').select('a').stream()) console.log(r, row)\n" +
        '  const trx = await db.startTransaction().execute()\n' +
        "  await trx.schema.alterTable('t1').addColumn('e', 'text').execute()\n" +
        "  await trx.savepoint('s').execute()\n" +
        '  await trx.commit().execute()\n' +
        '  await Promise.all([\n' +
        "    db.schema.alterTable('t1').dropColumn('a').execute(),\n" +
        "    db.schema.alterTable('t1').dropColumn('b').execute(),\n" +
        '  ])',
    ).replace(HEADER, "import { Kysely, sql, CompiledQuery } from 'kysely'\n"),
    // Last: its patch stays in the loader for the migrations after it (see the next describe).
    'swallowed.ts':
      "import { Kysely, DropTableBuilder } from 'kysely'\n" +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  ;(DropTableBuilder.prototype as any).execute = () => { throw new Error('not today') }\n" +
      '  try {\n' +
      "    await db.schema.dropTable('accounts').execute()\n" +
      '  } catch {}\n' +
      '}\n',
  }
  let found: Record<string, Captured>
  beforeAll(async () => {
    found = await captureAll(files)
  }, 60_000)

  it('a drop after an early return when the migration sees it runs under the linter (`!isMainThread`, no HOME)', () => {
    expect(found['main-thread.ts'].capture.up.map(q => q.sql)).toEqual(['create table "audit" ("id" bigint)'])
    expect(reported(found['main-thread.ts'])).toEqual(["up:5 db.schema.dropTable('users').execute()"])
  })

  it('a drop behind an environment variable the linter does not have, at the statement inside the if', () => {
    expect(reported(found['environment.ts'])).toEqual(["up:4 db.schema.dropTable('users').execute()"])
    const [problem] = uncapturedProblems(found['environment.ts'].capture, 'migrations/environment.ts', found['environment.ts'].text)
    const line = files['environment.ts'].split('\n')[3]
    expect(problem).toMatchObject({
      kind: 'uncaptured',
      part: 'up',
      reason: 'it never ran under the linter',
      loc: { file: 'migrations/environment.ts', line: 4, column: line.indexOf('await') + 1, endLine: 4, endColumn: line.length + 1 },
    })
  })

  it('a drop guarded by what the (empty) database holds: the linter could not check it, from the statement to its .execute()', () => {
    const [problem] = uncapturedProblems(found['guarded.ts'].capture, 'migrations/guarded.ts', found['guarded.ts'].text)
    expect(problem).toMatchObject({ part: 'up', query: "db.schema.dropTable('legacy').execute()", loc: { line: 5, column: 5, endLine: 7, endColumn: 17 } })
  })

  it('the body of a loop over rows read back: the recording database has none, so it never ran', () => {
    expect(reported(found['rows.ts'])).toEqual(["up:4 db.updateTable('users').set({ plan: 'free' }).where('id', '='…execute()"])
  })

  it('a drop whose builder was patched to throw, in a try … catch that swallows it', () => {
    expect(found['swallowed.ts'].capture.problems).toEqual([])
    expect(reported(found['swallowed.ts'])).toEqual(["up:5 db.schema.dropTable('accounts').execute()"])
  })

  it('nothing when every query ran: loops (one site, many queries), sql`…`, transactions, executeQuery, streams, Promise.all', () => {
    const { capture } = found['all-ran.ts']
    expect(capture.problems).toEqual([])
    expect(capture.up.length).toBeGreaterThanOrEqual(12)
    expect(reported(found['all-ran.ts'])).toEqual([])
  })
})

describe('a builder patched by an earlier migration', () => {
  it('hides nothing of the migrations after it: their drops are reported', async () => {
    const found = await captureAll({
      '1_patch.ts':
        "import { Kysely, DropTableBuilder } from 'kysely'\n" +
        'export async function up(db: Kysely<any>): Promise<void> {\n' +
        '  ;(DropTableBuilder.prototype as any).execute = async () => {}\n' +
        '}\n',
      '2_drop.ts': migration("  await db.schema.dropTable('customers').execute()", "  await db.schema.createTable('customers').addColumn('id', 'bigint').execute()"),
    })
    expect(found['2_drop.ts'].capture.up).toEqual([])
    expect(reported(found['2_drop.ts'])).toEqual(["up:3 db.schema.dropTable('customers').execute()"])
  }, 60_000)
})

describe('helper functions of the same file', () => {
  const files = {
    'helpers.ts':
      HEADER +
      'async function dropLegacy(db: Kysely<any>) {\n' +
      "  await db.schema.dropTable('legacy').execute()\n" +
      '}\n' +
      'const addColumn = (db: Kysely<any>, name: string) => db.schema.alterTable(\'t\').addColumn(name, \'text\').execute()\n' +
      'async function restore(db: Kysely<any>) {\n' +
      "  await db.schema.createTable('legacy').addColumn('id', 'bigint').execute()\n" +
      '}\n' +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      "  for (const name of ['a', 'b']) await addColumn(db, name)\n" +
      `  if (process.env.${UNSET}) await dropLegacy(db)\n` +
      '}\n' +
      'export async function down(db: Kysely<any>): Promise<void> {\n' +
      '  await restore(db)\n' +
      '}\n',
    'through.ts':
      HEADER +
      'async function outer(db: Kysely<any>) {\n' +
      '  await inner(db)\n' +
      '}\n' +
      'async function inner(db: Kysely<any>) {\n' +
      "  await db.schema.dropTable('deep').execute()\n" +
      '}\n' +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      `  if (process.env.${UNSET}) await outer(db)\n` +
      '}\n',
    'callback.ts':
      HEADER +
      'async function dropOne(db: Kysely<any>, name: string) {\n' +
      '  await db.schema.dropTable(name).execute()\n' +
      '}\n' +
      'export async function up(db: Kysely<any>): Promise<void> {\n' +
      '  const names: string[] = []\n' +
      '  await Promise.all(names.map(name => dropOne(db, name)))\n' +
      '}\n',
  }
  let found: Record<string, Captured>
  beforeAll(async () => {
    found = await captureAll(files)
  }, 60_000)

  it('a helper up() calls in a branch not taken is reported in up(), at the helper’s query; one up() ran is not', () => {
    expect(reported(found['helpers.ts'])).toEqual(["up:3 db.schema.dropTable('legacy').execute()"])
  })

  it('a helper called only from down() is down’s: up() not running it is no report', () => {
    expect(found['helpers.ts'].capture.down.map(q => q.sql)).toEqual(['create table "legacy" ("id" bigint)'])
    expect(reported(found['helpers.ts']).filter(r => r.includes('createTable'))).toEqual([])
  })

  it('through a helper that calls another one', () => {
    expect(reported(found['through.ts'])).toEqual(["up:6 db.schema.dropTable('deep').execute()"])
  })

  it('a helper passed as a callback over an empty list', () => {
    expect(reported(found['callback.ts'])).toEqual(['up:3 db.schema.dropTable(name).execute()'])
  })
})

describe('a part that stopped early', () => {
  const files = {
    'throws.ts': migration(
      `  if (process.env.${UNSET}) await db.schema.dropTable('before').execute()\n` +
        "  await db.schema.createTable('t2').addColumn('id', 'bigint').execute()\n" +
        "  throw new Error('no tenant')\n" +
        "  await db.schema.dropTable('after').execute()",
    ),
    'reads.ts': migration(
      "  const admin = await db.selectFrom('users').select('id').executeTakeFirstOrThrow()\n" +
        "  await db.insertInto('settings').values({ owner: admin.id }).execute()\n" +
        '  await helper(db)',
    ).replace('export async function up', "async function helper(db: Kysely<any>) {\n  await db.schema.dropTable('later').execute()\n}\nexport async function up"),
    // Kysely 0.28 wants alterColumn('handle', col => col.dropNotNull()): the older form throws inside the builder (atproto).
    'old-api.ts': migration(
      "  await db.schema.alterTable('actor').alterColumn('handle').dropNotNull().execute()",
      "  await db.schema.alterTable('actor').alterColumn('handle').setNotNull().execute()",
    ).replace('Kysely<any>', 'any').replace('Kysely<any>', 'any'),
    'hangs.ts': migration(`  if (process.env.${UNSET}) await db.schema.dropTable('before').execute()\n  await new Promise(() => {})`),
  }
  let found: Record<string, Captured>
  beforeAll(async () => {
    found = await captureAll(files, 1000)
  }, 60_000)

  it('reports only what comes before the throw: the rest is migration-load-failed’s', () => {
    expect(found['throws.ts'].capture.problems.map(p => p.problem.kind)).toEqual(['failed'])
    expect(reported(found['throws.ts'])).toEqual(["up:3 db.schema.dropTable('before').execute()"])
  })

  it('reports nothing after the read that stopped it, a helper called after it included', () => {
    expect(found['reads.ts'].capture.problems.map(p => p.problem.kind)).toEqual(['partial'])
    expect(reported(found['reads.ts'])).toEqual([])
  })

  it('does not report the query the part stopped in (a builder that threw) as one that never ran', () => {
    expect(found['old-api.ts'].capture.problems.map(p => [p.stage, p.problem.kind, p.problem.frame?.line])).toEqual([
      ['up', 'failed', 3],
      ['down', 'failed', 7],
    ])
    expect(reported(found['old-api.ts'])).toEqual([])
  })

  it('reports nothing of a part stopped at no known place (a timeout)', () => {
    expect(found['hangs.ts'].capture.problems.map(p => p.problem.frame)).toEqual([null])
    expect(reported(found['hangs.ts'])).toEqual([])
  })
})

describe('the shapes of a migration module', () => {
  const hidden = `if (process.env.${UNSET}) await db.schema.dropTable('users').execute()`
  const files: Record<string, string> = {
    'default.ts': `${HEADER}export default {\n  async up(db: Kysely<any>) {\n    ${hidden}\n  },\n  down: async (db: Kysely<any>) => {\n    ${hidden}\n  },\n}\n`,
    'arrow.ts': `${HEADER}export const up = async (db: Kysely<any>) => {\n  ${hidden}\n}\nexport const down = async (db: Kysely<any>) =>\n  db.schema.dropTable('x').execute()\n`,
    'renamed.ts': `${HEADER}async function migrateUp(db: Kysely<any>) {\n  ${hidden}\n}\nexport { migrateUp as up }\n`,
    'commonjs.js': `module.exports = {\n  async up(db) {\n    ${hidden}\n  },\n}\n`,
    'exports.js': `exports.up = async function (db) {\n  ${hidden}\n}\n`,
    'elsewhere.ts': `export { up } from './impl/up'\n`,
    'impl/up.ts': `${HEADER}export async function up(db: Kysely<any>) {\n  ${hidden}\n}\n`,
  }
  let found: Record<string, Captured>
  beforeAll(async () => {
    found = await captureAll(files)
  }, 60_000)

  it('finds up() and down() as Kysely’s FileMigrationProvider does', () => {
    expect(reported(found['default.ts'])).toEqual(["up:4 db.schema.dropTable('users').execute()", "down:7 db.schema.dropTable('users').execute()"])
    expect(reported(found['arrow.ts'])).toEqual(["up:3 db.schema.dropTable('users').execute()"])
    expect(reported(found['renamed.ts'])).toEqual(["up:3 db.schema.dropTable('users').execute()"])
    expect(reported(found['commonjs.js'])).toEqual(["up:3 db.schema.dropTable('users').execute()"])
    expect(reported(found['exports.js'])).toEqual(["up:2 db.schema.dropTable('users').execute()"])
  })

  it('an up() whose code is in another file cannot be cross-checked: said at the top of the file', () => {
    expect(found['elsewhere.ts'].capture.exports).toEqual({ up: true, down: false })
    expect(reported(found['elsewhere.ts'])).toEqual(['up:1 (the up() it exports is not written in this file)'])
  })
})

describe('a text the cross-check cannot read', () => {
  it('is reported once, at the parse error, for up()', () => {
    const capture: Capture = { path: 'migrations/bad.ts', exports: { up: true, down: true }, up: [], down: [], problems: [] }
    const problems = uncapturedProblems(capture, 'migrations/bad.ts', 'export async function up(db) {\n  await db.schema.dropTable(\n}\n')
    expect(problems.map(p => [p.kind, p.part, p.loc.line, p.query])).toEqual([['uncaptured', 'up', 3, undefined]])
    expect(problems[0].reason).toMatch(/^its text does not parse \(/)
  })

  it('a module that did not load (no exports) has nothing to cross-check: migration-load-failed covers it', () => {
    const capture: Capture = { path: 'migrations/bad.ts', exports: null, up: [], down: [], problems: [] }
    expect(uncapturedProblems(capture, 'migrations/bad.ts', "export async function up(db) { await db.schema.dropTable('x').execute() }\n")).toEqual([])
  })
})
