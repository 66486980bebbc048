// The plan's vocabulary: migrations to write, as operations that render both as SQL and as Kysely
// (render-sql.ts, render-kysely.ts). Each operation is the safe form the rules recommend.
import { isColumnDataType } from 'kysely'
import { quoteIdent, quoteQualified } from '../sql/lock-safe-ddl.js'

/** One statement: its SQL, and the Kysely builder call that makes it where a Kysely user would write one. */
export interface Op {
  sql: string
  /** An expression to `await`, e.g. `db.schema.alterTable('users').dropColumn('email').execute()`. */
  kysely?: string
}

/**
 * A backfill in batches: each batch its own transaction where the runner allows it, so no row lock is
 * held for the whole table and a failure keeps the batches done. `pending` selects the rows still to do
 * and is false for a row once `set` ran on it, so the loop ends.
 */
export interface Backfill {
  kind: 'backfill'
  table: string
  /** The single-column primary key, or ctid for a table without one. */
  key: string
  set: string
  pending: string
}

export type Release = 'N' | 'N+1'
export type Phase = 'expand' | 'backfill' | 'contract'

export interface PlannedStep {
  release: Release
  phase: Phase
  /** The file name after the version prefix, without extension: stable, so a second run finds the file. */
  slug: string
  /** What the migration does, one line. */
  summary: string
  /** Why it is written this way: comment lines in the file. */
  why: string[]
  /** CONCURRENTLY, or a batched backfill that commits: the runner must not wrap it in a transaction. */
  outsideTransaction: boolean
  /** SET statement_timeout too: for statements that hold a lock blocking reads or writes, not for scans that let them through. */
  statementTimeout: boolean
  up: (Op | Backfill)[]
  /** Undoes `up`, in order; empty when nothing can be undone (said in `downNote`). */
  down: Op[]
  downNote?: string
}

export const BATCH_SIZE = 1000
export const LOCK_TIMEOUT = "SET lock_timeout = '5s'"
export const STATEMENT_TIMEOUT = "SET statement_timeout = '60s'"

export const isBackfill = (op: Op | Backfill): op is Backfill => 'kind' in op

const q = quoteIdent
const qq = quoteQualified
const lit = (name: string) => `'${name}'`
const alter = (table: string) => `db.schema.alterTable(${lit(table)})`
/** A type Kysely's builder takes as a string; any other goes through `sql`. */
const kyselyType = (type: string) => (isColumnDataType(type) ? lit(type) : `sql\`${type}\``)

export const ops = {
  addColumn: (table: string, column: string, type: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} ADD COLUMN ${q(column)} ${type}`,
    kysely: `${alter(table)}.addColumn(${lit(column)}, ${kyselyType(type)}).execute()`,
  }),
  setDefault: (table: string, column: string, expression: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} ALTER COLUMN ${q(column)} SET DEFAULT ${expression}`,
    kysely: `${alter(table)}.alterColumn(${lit(column)}, col => col.setDefault(sql\`${expression}\`)).execute()`,
  }),
  dropColumn: (table: string, column: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} DROP COLUMN ${q(column)}`,
    kysely: `${alter(table)}.dropColumn(${lit(column)}).execute()`,
  }),
  dropNotNull: (table: string, column: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} ALTER COLUMN ${q(column)} DROP NOT NULL`,
    kysely: `${alter(table)}.alterColumn(${lit(column)}, col => col.dropNotNull()).execute()`,
  }),
  setNotNull: (table: string, column: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} ALTER COLUMN ${q(column)} SET NOT NULL`,
    kysely: `${alter(table)}.alterColumn(${lit(column)}, col => col.setNotNull()).execute()`,
  }),
  // Kysely's builder has no NOT VALID: `sql` it is, as Kysely users write it.
  addCheckNotValid: (table: string, name: string, condition: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} ADD CONSTRAINT ${q(name)} CHECK (${condition}) NOT VALID`,
  }),
  addForeignKeyNotValid: (table: string, name: string, column: string, references: { table: string; column: string }): Op => ({
    sql: `ALTER TABLE ${qq(table)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(column)}) REFERENCES ${qq(references.table)} (${q(references.column)}) NOT VALID`,
  }),
  validateConstraint: (table: string, name: string): Op => ({ sql: `ALTER TABLE ${qq(table)} VALIDATE CONSTRAINT ${q(name)}` }),
  dropConstraint: (table: string, name: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} DROP CONSTRAINT ${q(name)}`,
    kysely: `${alter(table)}.dropConstraint(${lit(name)}).execute()`,
  }),
  renameTable: (table: string, to: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} RENAME TO ${q(to)}`,
    kysely: `${alter(table)}.renameTo(${lit(to)}).execute()`,
  }),
  createView: (view: string, table: string): Op => ({
    sql: `CREATE VIEW ${qq(view)} AS SELECT * FROM ${qq(table)}`,
    kysely: `db.schema.createView(${lit(view)}).as(db.selectFrom(${lit(table)}).selectAll()).execute()`,
  }),
  dropView: (view: string): Op => ({ sql: `DROP VIEW ${qq(view)}`, kysely: `db.schema.dropView(${lit(view)}).execute()` }),
  createIndexConcurrently: (name: string, table: string, column: string, unique: boolean): Op => ({
    sql: `CREATE ${unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${q(name)} ON ${qq(table)} (${q(column)})`,
  }),
  dropIndexConcurrently: (name: string, schemaOf: string): Op => ({ sql: `DROP INDEX CONCURRENTLY IF EXISTS ${qq(schemaOf ? `${schemaOf}.${name}` : name)}` }),
  addUniqueUsingIndex: (table: string, name: string): Op => ({
    sql: `ALTER TABLE ${qq(table)} ADD CONSTRAINT ${q(name)} UNIQUE USING INDEX ${q(name)}`,
  }),
  dropTrigger: (table: string, name: string): Op => ({ sql: `DROP TRIGGER ${q(name)} ON ${qq(table)}` }),
  dropFunction: (name: string): Op => ({ sql: `DROP FUNCTION ${qq(name)}()` }),
}

/**
 * A trigger that keeps two columns equal while both exist, whichever one a release writes: the
 * previous release's servers (during the deploy, and after a revert) write `from`, the new code writes
 * `to`. Casts convert between the types when they differ (change-type). On INSERT a value in `to` wins:
 * `to` has no default while both exist (the plan sets it in release N+1), so only the new code fills it,
 * while `from` may hold its default where the new code left it out.
 */
export function syncTrigger(input: { table: string; name: string; from: string; to: string; toType: string | null; fromType: string | null }): Op[] {
  const { table, name, from, to } = input
  const into = (type: string | null) => (type ? `::${type}` : '')
  const f = q(from)
  const t = q(to)
  const body =
    `CREATE FUNCTION ${qq(name)}() RETURNS trigger LANGUAGE plpgsql AS $$\n` +
    'BEGIN\n' +
    "  IF TG_OP = 'INSERT' THEN\n" +
    `    IF NEW.${t} IS NOT NULL THEN NEW.${f} := NEW.${t}${into(input.fromType)};\n` +
    `    ELSE NEW.${t} := NEW.${f}${into(input.toType)};\n` +
    '    END IF;\n' +
    `  ELSIF NEW.${f} IS DISTINCT FROM OLD.${f} THEN NEW.${t} := NEW.${f}${into(input.toType)};\n` +
    `  ELSIF NEW.${t} IS DISTINCT FROM OLD.${t} THEN NEW.${f} := NEW.${t}${into(input.fromType)};\n` +
    '  END IF;\n' +
    '  RETURN NEW;\n' +
    'END\n' +
    '$$'
  const trigger = `CREATE TRIGGER ${q(bare(name))} BEFORE INSERT OR UPDATE ON ${qq(table)} FOR EACH ROW EXECUTE FUNCTION ${qq(name)}()`
  return [{ sql: body }, { sql: trigger }]
}

/** The name without its schema: triggers and indexes live in their table's schema. */
export const bare = (name: string) => name.slice(name.indexOf('.') + 1)
