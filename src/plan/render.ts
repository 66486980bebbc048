// Steps as the files of a layout: SQL for the SQL runners (each with its own way of saying "no
// transaction"), or a Kysely migration with up() and down() for a Kysely project.
import type { LayoutName } from '../model.js'
import { BATCH_SIZE, isBackfill, LOCK_TIMEOUT, STATEMENT_TIMEOUT, type Backfill, type Op, type PlannedStep } from './steps.js'
import { quoteIdent, quoteQualified } from '../sql/lock-safe-ddl.js'

export interface PlanFile {
  /** Repository-relative, `/`-separated. */
  path: string
  content: string
}

export interface StepContext {
  folder: string
  /** Version prefix and slug: `20261203130509_drop_users_email`. */
  name: string
  /** The comment block on top: the plan, the release, why. */
  header: string[]
  kysely: { extension: string; transactions: boolean }
}

/** The layouts the plan writes; the others have no down or no way to leave a transaction the plan could use. */
export const PLANNED_LAYOUTS: readonly LayoutName[] = ['sql', 'golang-migrate', 'dbmate', 'diesel', 'kysely']

export function renderStep(step: PlannedStep, layout: LayoutName, ctx: StepContext): PlanFile[] {
  const base = `${ctx.folder === '.' ? '' : `${ctx.folder}/`}${ctx.name}`
  const comment = (lines: string[]) => lines.map(l => `-- ${l}`.trimEnd()).join('\n')
  const up = sqlBody(step.up, step)
  const down = step.down.length ? sqlBody(step.down, step) : `-- ${step.downNote ?? 'Nothing to undo.'}\n`
  const downNote = step.down.length && step.downNote ? `-- ${step.downNote}\n` : ''
  switch (layout) {
    case 'kysely':
      return [{ path: `${base}.${ctx.kysely.extension}`, content: renderKysely(step, ctx) }]
    case 'golang-migrate':
      return [
        { path: `${base}.up.sql`, content: `${comment(ctx.header)}\n${outsideNote(step, 'golang-migrate sends the file as one query: a single statement runs outside a transaction')}${up}` },
        { path: `${base}.down.sql`, content: `${comment([ctx.header[0], `Undoes ${ctx.name}.up.sql.`])}\n${downNote}${down}` },
      ]
    case 'dbmate': {
      const marker = step.outsideTransaction ? ' transaction:false' : ''
      return [
        {
          path: `${base}.sql`,
          content: `${comment(ctx.header)}\n${outsideNote(step, 'transaction:false: dbmate sends the section as one query, outside a transaction')}-- migrate:up${marker}\n${up}\n-- migrate:down${marker}\n${downNote}${down}`,
        },
      ]
    }
    case 'diesel':
      return [
        { path: `${base}/up.sql`, content: `${comment(ctx.header)}\n${outsideNote(step, 'metadata.toml says run_in_transaction = false: diesel sends the file as one query, outside a transaction')}${up}` },
        { path: `${base}/down.sql`, content: `${comment([ctx.header[0], 'Undoes up.sql.'])}\n${downNote}${down}` },
        ...(step.outsideTransaction ? [{ path: `${base}/metadata.toml`, content: 'run_in_transaction = false\n' }] : []),
      ]
    default:
      return [{ path: `${base}.sql`, content: `${comment(ctx.header)}\n${outsideNote(step, 'Run it outside a transaction, as the file\'s only query')}${up}` }]
  }
}

/**
 * A step that must run outside a transaction is one statement: runners that send a file as one query
 * (golang-migrate, dbmate and diesel without their transaction) make several statements one implicit
 * transaction, where CONCURRENTLY and COMMIT are refused. So no SET before it: a backfill sets its
 * lock_timeout inside its DO block, and CREATE INDEX CONCURRENTLY blocks no reads or writes while it waits.
 */
function outsideNote(step: PlannedStep, how: string): string {
  return step.outsideTransaction ? `-- ${how}; so it holds one statement and no SET.\n` : ''
}

function sqlBody(statements: readonly (Op | Backfill)[], step: PlannedStep): string {
  const sets = step.outsideTransaction ? [] : [LOCK_TIMEOUT, ...(step.statementTimeout ? [STATEMENT_TIMEOUT] : [])]
  return [...sets, ...statements.map(s => (isBackfill(s) ? backfillBlock(s) : s.sql))].map(s => `${s};\n`).join('')
}

/** One statement: a loop that commits each batch (Postgres 11+: COMMIT in a DO block run outside a transaction). */
function backfillBlock(b: Backfill): string {
  return (
    'DO $$\n' +
    'DECLARE\n' +
    '  updated bigint;\n' +
    'BEGIN\n' +
    `  ${LOCK_TIMEOUT};\n` +
    '  LOOP\n' +
    `    ${batchUpdate(b)};\n` +
    '    GET DIAGNOSTICS updated = ROW_COUNT;\n' +
    '    EXIT WHEN updated = 0;\n' +
    '    COMMIT;\n' +
    '  END LOOP;\n' +
    'END\n' +
    '$$'
  )
}

function batchUpdate(b: Backfill): string {
  const key = b.key === 'ctid' ? 'ctid' : quoteIdent(b.key)
  const table = quoteQualified(b.table)
  const batch = `SELECT ${key} FROM ${table} WHERE ${b.pending} LIMIT ${BATCH_SIZE}`
  // ctid has no IN over a subquery plan worth having: an array of tids is a TID scan.
  const where = b.key === 'ctid' ? `ctid = ANY (ARRAY(${batch}))` : `${key} IN (${batch})`
  return `UPDATE ${table} SET ${b.set} WHERE ${where}`
}

function renderKysely(step: PlannedStep, ctx: StepContext): string {
  const typed = ctx.kysely.extension === 'ts' || ctx.kysely.extension === 'mts'
  const lines = (statements: readonly (Op | Backfill)[], up: boolean) => {
    const out = [`  await sql\`${LOCK_TIMEOUT}\`.execute(db)`, ...(step.statementTimeout ? [`  await sql\`${STATEMENT_TIMEOUT}\`.execute(db)`] : [])]
    for (const s of statements) {
      if (isBackfill(s)) {
        out.push(
          `  // Batches of ${BATCH_SIZE} rows until none is left${ctx.kysely.transactions ? ' (in one transaction under a Migrator that uses them)' : ', each committed on its own'}.`,
          '  for (;;) {',
          `    const batch = await sql\`${templateText(batchUpdate(s))}\`.execute(db)`,
          '    if (!batch.numAffectedRows) break',
          '  }',
        )
        continue
      }
      if (up && /\bCONCURRENTLY\b/.test(s.sql) && ctx.kysely.transactions) {
        // The linter reads the project's config (kysely.transactions) and checks ups only; this file says what the runner must do.
        out.push(
          `  // migrate-lint-disable-next-line concurrently-in-transaction -- run this migration with a Migrator created with disableTransactions: true`,
        )
      }
      out.push(`  await ${s.kysely ?? `sql\`${templateText(s.sql)}\`.execute(db)`}`)
    }
    return out
  }
  // Kysely sends each statement alone: a SET before CONCURRENTLY is a statement of its own.
  const body = lines(step.up, true)
  const downBody = step.down.length ? lines(step.down, false) : [`  // ${step.downNote ?? 'Nothing to undo.'}`]
  if (step.down.length && step.downNote) downBody.unshift(`  // ${step.downNote}`)
  const all = [...body, ...downBody].join('\n')
  const usesSql = /\bsql`/.test(all)
  const imports = typed ? `import ${usesSql ? '{ type Kysely, sql }' : 'type { Kysely }'} from 'kysely'` : usesSql ? "import { sql } from 'kysely'" : ''
  const signature = typed ? '(db: Kysely<any>): Promise<void>' : '(db)'
  const transaction = step.outsideTransaction
    ? [
        ctx.kysely.transactions
          ? 'Kysely\'s Migrator runs each migration in a transaction unless it is created with disableTransactions: true:'
          : 'The Migrator runs without transactions (config kysely.transactions is false):',
        step.up.some(isBackfill) ? 'outside one, each batch commits by itself.' : 'CONCURRENTLY cannot run inside one.',
      ]
    : []
  return (
    [...ctx.header, ...transaction].map(l => `// ${l}`.trimEnd()).join('\n') +
    '\n' +
    (imports ? `${imports}\n\n` : '') +
    `export async function up${signature} {\n${body.join('\n')}\n}\n\n` +
    `export async function down${signature} {\n${downBody.join('\n')}\n}\n`
  )
}

/** SQL inside a sql`…` template: backquotes, backslashes and `${` as text. */
function templateText(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')
}
