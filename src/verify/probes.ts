// What the base code asks of the schema, as statements Postgres can PREPARE without running them:
// each raw SQL statement as written, and for the rest of the usage scan (Kysely builder chains) one
// probe per table and use of the columns it reads, inserts and updates. Pure: no database here.
import { EVERY_COLUMN, TABLE_ONLY, type InsertStatement, type Usage, type UsageKind, type UsageScan } from '../usage/usage.js'
import { quoteIdentifier, quoteQualified } from './engine.js'
import type { RawQuery } from './raw-queries.js'

/** How a column is used: what the probe's statement does with it. */
export type ColumnUse = 'read' | 'insert' | 'update'

export type Probe =
  | { kind: 'query'; query: RawQuery }
  | { kind: 'columns'; table: string; use: ColumnUse; columns: string[]; sites: Usage[] }
  /** An INSERT of the base code: every NOT NULL column without a default must be among its columns. */
  | { kind: 'insert'; insert: InsertStatement }

const USE_OF: Record<UsageKind, ColumnUse> = {
  select: 'read',
  selectAll: 'read',
  where: 'read',
  join: 'read',
  order: 'read',
  group: 'read',
  returning: 'read',
  delete: 'read',
  insert: 'insert',
  update: 'update',
}

export function buildProbes(scan: UsageScan, queries: readonly RawQuery[]): Probe[] {
  const probes: Probe[] = queries.map(query => ({ kind: 'query', query }))
  const groups = new Map<string, { table: string; use: ColumnUse; columns: Set<string>; sites: Usage[] }>()
  for (const usage of scan.usages) {
    // Every table used gets a read probe: it also proves the table is there.
    const uses: ColumnUse[] = USE_OF[usage.kind] === 'read' ? ['read'] : ['read', USE_OF[usage.kind]]
    for (const use of uses) {
      const key = `${use} ${usage.table}`
      const group = groups.get(key) ?? { table: usage.table, use, columns: new Set<string>(), sites: [] }
      groups.set(key, group)
      group.sites.push(usage)
      if (use === USE_OF[usage.kind] && usage.column !== TABLE_ONLY && usage.column !== EVERY_COLUMN) group.columns.add(usage.column)
    }
  }
  for (const g of groups.values()) {
    if (g.use !== 'read' && !g.columns.size) continue
    probes.push({ kind: 'columns', table: g.table, use: g.use, columns: [...g.columns].sort(), sites: g.sites })
  }
  for (const insert of scan.inserts) if (insert.columnsKnown) probes.push({ kind: 'insert', insert })
  return probes
}

/** The statement to PREPARE for a query or columns probe: it names what the code names, and runs nothing. */
export function probeSql(probe: Exclude<Probe, { kind: 'insert' }>): string {
  if (probe.kind === 'query') return probe.query.sql
  const table = quoteQualified(probe.table)
  const cols = probe.columns.map(quoteIdentifier)
  switch (probe.use) {
    case 'read':
      return `SELECT ${cols.join(', ')} FROM ${table} WHERE false`
    case 'insert':
      return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`
    case 'update':
      return `UPDATE ${table} SET ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE false`
  }
}

export function useOf(kind: UsageKind): ColumnUse {
  return USE_OF[kind]
}
