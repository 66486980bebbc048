// Old code against the new schema: every probe of the base code is PREPAREd on the base schema, and
// again after each migration of the release. Only a probe that worked before and fails after is a
// finding (a query that never worked, e.g. on a table made outside the migrations, says nothing), and
// it is blamed on the migration after which it first fails.
import type { Migration } from '../model.js'
import { describeUsage } from '../usage/usage-query.js'
import { EVERY_COLUMN, TABLE_ONLY, type CodeLocation, type Usage } from '../usage/usage.js'
import { describeError, postgresError, quoteQualified, type Engine, type PostgresError } from './engine.js'
import { probeSql, useOf, type Probe } from './probes.js'
import type { RawQuery } from './raw-queries.js'

export interface OldCodeFailure {
  messageId: 'query' | 'column' | 'insertMissing'
  loc: CodeLocation
  data: Record<string, string>
  migration: Migration
}

type ColumnsProbe = Extract<Probe, { kind: 'columns' }>
type Failed = { sites: CodeLocation[]; messageId: OldCodeFailure['messageId']; data: Record<string, string> }

interface Outcome {
  /** What still works, to check after the next migration; null when nothing of the probe does. */
  kept: Probe | null
  failed: Failed[]
}

/** A probe still working, with the relations it uses (their oids at the base: a rename keeps them). */
interface Live {
  probe: Probe
  /** Null: not known, checked after every migration. */
  relations: ReadonlySet<string> | null
}

export class OldCodeCheck {
  private readonly reported = new Set<string>()
  private readonly failedQueries: RawQuery[] = []

  private constructor(private live: Live[]) {}

  /** Keeps what works on the base schema (run it right after the shipped migrations). */
  static async start(engine: Engine, probes: readonly Probe[]): Promise<OldCodeCheck> {
    const check = new OldCodeCheck([])
    const oids = new Map<string, string | null>()
    const oidOf = async (table: string) => {
      if (!oids.has(table)) oids.set(table, (await engine.query<{ oid: string | null }>('SELECT to_regclass($1)::oid::bigint::text AS oid', [quoteQualified(table)]))[0]?.oid ?? null)
      return oids.get(table) ?? null
    }
    for (const probe of probes) {
      const { kept } = await check.run(engine, probe)
      if (!kept) continue
      const found = (await Promise.all(tablesOf(kept).map(oidOf))).filter((oid): oid is string => oid !== null)
      check.live.push({ probe: kept, relations: found.length ? new Set(found) : null })
    }
    return check
  }

  get size(): number {
    return this.live.length
  }

  /**
   * What stopped working with `migration` (run right after it). `touched`: the oids of the relations
   * its statements locked; a probe on none of them cannot have changed. Null: check every probe.
   */
  async after(engine: Engine, migration: Migration, touched: ReadonlySet<string> | null): Promise<OldCodeFailure[]> {
    const failures: OldCodeFailure[] = []
    const live: Live[] = []
    for (const entry of this.live) {
      if (touched && entry.relations && ![...entry.relations].some(oid => touched.has(oid))) {
        live.push(entry)
        continue
      }
      const { kept, failed } = await this.run(engine, entry.probe)
      if (kept) live.push({ ...entry, probe: kept })
      for (const f of failed) for (const loc of f.sites) if (this.fresh(loc)) failures.push({ messageId: f.messageId, loc, data: f.data, migration })
      if (failed.length && entry.probe.kind === 'query') this.failedQueries.push(entry.probe.query)
    }
    this.live = live
    return failures
  }

  /** One finding per line of code; the columns of a raw query that failed are that same failure. */
  private fresh(loc: CodeLocation): boolean {
    const key = `${loc.file}:${loc.line}`
    if (this.reported.has(key)) return false
    if (this.failedQueries.some(q => q.file === loc.file && loc.line >= q.line && loc.line <= q.endLine)) return false
    this.reported.add(key)
    return true
  }

  private run(engine: Engine, probe: Probe): Promise<Outcome> {
    switch (probe.kind) {
      case 'query':
        return runQuery(engine, probe)
      case 'columns':
        return runColumns(engine, probe)
      case 'insert':
        return runInsert(engine, probe)
    }
  }
}

function tablesOf(probe: Probe): string[] {
  switch (probe.kind) {
    case 'query':
      return probe.query.tables
    case 'columns':
      return [probe.table]
    case 'insert':
      return [probe.insert.table]
  }
}

async function runQuery(engine: Engine, probe: Extract<Probe, { kind: 'query' }>): Promise<Outcome> {
  const error = await prepare(engine, probeSql(probe))
  if (!error) return { kept: probe, failed: [] }
  const { file, line, column } = probe.query
  return { kept: null, failed: [{ sites: [{ file, line, column }], messageId: 'query', data: { where: `${file}:${line}`, error: describeError(error) } }] }
}

/** The group first; when it fails, the table alone, then each column, to say exactly which use broke. */
async function runColumns(engine: Engine, probe: ColumnsProbe): Promise<Outcome> {
  const error = await prepare(engine, probeSql(probe))
  if (!error) return { kept: probe, failed: [] }
  const tableError = probe.columns.length ? await prepare(engine, probeSql({ ...probe, use: 'read', columns: [] })) : error
  if (tableError) return { kept: null, failed: siteFailures(probe.sites, tableError) }
  const failed: Failed[] = []
  const working: string[] = []
  for (const column of probe.columns) {
    const columnError = await prepare(engine, probeSql({ ...probe, columns: [column] }))
    if (!columnError) working.push(column)
    else failed.push(...siteFailures(probe.sites.filter(s => s.column === column && useOf(s.kind) === probe.use), columnError))
  }
  // Each column works alone but not together: report the group's sites with the group's error.
  if (!failed.length) {
    const named = new Set(probe.columns)
    return { kept: null, failed: siteFailures(probe.sites.filter(s => named.has(s.column)), error) }
  }
  return { kept: working.length ? { ...probe, columns: working } : withoutColumnSites(probe), failed }
}

/** What is left to watch when no column of the group works any more: the table itself, for reads. */
function withoutColumnSites(probe: ColumnsProbe): Probe | null {
  if (probe.use !== 'read') return null
  const sites = probe.sites.filter(s => s.column === TABLE_ONLY || s.column === EVERY_COLUMN)
  return sites.length ? { ...probe, columns: [], sites } : null
}

function siteFailures(sites: readonly Usage[], error: PostgresError): Failed[] {
  return sites.map(site => ({ sites: [site.loc], messageId: 'column' as const, data: { usage: describeUsage(site), error: describeError(error) } }))
}

async function runInsert(engine: Engine, probe: Extract<Probe, { kind: 'insert' }>): Promise<Outcome> {
  const { insert } = probe
  const missing = (await requiredColumns(engine, insert.table)).filter(c => !insert.columns.includes(c))
  if (!missing.length) return { kept: probe, failed: [] }
  const where = `${insert.loc.file}:${insert.loc.line}`
  const columns = insert.columns.length ? `(${insert.columns.join(', ')})` : 'no column'
  const names = missing.map(c => `${insert.table}.${c}`).join(', ')
  const verb = missing.length === 1 ? 'is' : 'are'
  return { kept: null, failed: [{ sites: [insert.loc], messageId: 'insertMissing', data: { where, table: insert.table, columns, missing: `${names} ${verb}` } }] }
}

/** NOT NULL columns an INSERT must set: no default, not identity, not generated. */
async function requiredColumns(engine: Engine, table: string): Promise<string[]> {
  const rows = await engine.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [quoteQualified(table)],
  )
  return rows.map(r => r.name)
}

/** Parses, analyses and plans the statement on the current schema without running it. */
async function prepare(engine: Engine, sql: string): Promise<PostgresError | null> {
  try {
    await engine.query(`PREPARE migrate_lint_probe AS ${sql}`)
  } catch (error) {
    return postgresError(error)
  }
  await engine.query('DEALLOCATE migrate_lint_probe')
  return null
}
