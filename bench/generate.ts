// Writes the synthetic repository the benchmark lints: N migrations with the mix real projects have
// (tables, columns, indexes with and without CONCURRENTLY, NOT VALID constraints validated later,
// backfills, drops, renames, type changes, enums, trigger functions), as `NNNNN_name.sql` files or as
// Kysely `.ts` files built with `db.schema` and `sql```, plus application code that queries the tables
// with Kysely. Git history: tag v1.0 after ~95 % of the migrations, the rest committed as the release
// (which also stops reading a column and drops it), and one more migration staged for `--staged`.
// Seeded and dated: the same options give the same bytes and the same commit ids on every machine.
//   npx tsx bench/generate.ts --migrations 1000 [--layout sql|kysely] [--app-files 2000] [--seed 20261120] [--out <dir>]
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export type Layout = 'sql' | 'kysely'

export interface GenerateOptions {
  migrations: number
  layout: Layout
  /** Application files under src/ (default 2,000; about 45 % of them hold no query). */
  appFiles?: number
  seed?: number
  /** Empty or missing folder to write into; default a new folder under os.tmpdir(). */
  dir?: string
  /** Share of the migrations that form the release after the tag (default 0.05). */
  releaseShare?: number
}

export interface GeneratedRepo {
  dir: string
  layout: Layout
  /** Every migration file of the working tree, repository-relative, in order; the staged one last. */
  migrationFiles: string[]
  /** Migrations committed before the tag. */
  shipped: number
  /** Migrations committed after the tag. */
  release: number
  /** The migration that is staged, not committed. */
  staged: string
  tag: string
  appFiles: number
  /** App files the release commit rewrote (they stopped reading the column the release drops). */
  appFilesChanged: number
  /** The column the release drops while the tagged code still reads it. */
  droppedColumn: string
  /** Statements written into the migrations (SQL statements, or queries the Kysely files build). */
  statements: number
  /** Bytes of the migration files. */
  migrationBytes: number
  appBytes: number
}

export const TAG = 'v1.0'
export const DEFAULT_SEED = 20261120
export const DEFAULT_APP_FILES = 2000

/** mulberry32: small, fast, and the same sequence on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Dice {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }
  some<T>(items: readonly T[], n: number): T[] {
    const pool = [...items]
    const out: T[] = []
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0])
    return out
  }
  weighted<T extends string>(weights: Record<T, number>): T {
    const entries = Object.entries(weights) as [T, number][]
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0)
    for (const [key, weight] of entries) if ((roll -= weight) < 0) return key
    return entries[entries.length - 1][0]
  }
}

// ---------------------------------------------------------------------------------------------------
// Schema the generator keeps, so that every statement names things that exist (a linter that replays
// the schema takes other paths on nonsense, and the benchmark must measure the real ones).

interface Column {
  name: string
  type: string
  notNull: boolean
  /** SQL text of the default, if any. */
  default: string | null
}

interface Table {
  name: string
  columns: Column[]
  /** Names of the indexes on the table. */
  indexes: string[]
  /** Untouchable by drops and renames: the column the release drops on purpose lives here. */
  reserved: boolean
}

/** One part of a migration: its SQL, the same as Kysely code, and the Kysely code that undoes it. */
interface Step {
  sql: string[]
  ts: string[]
  down: string[]
}

interface Migration {
  name: string
  comment: string
  steps: Step[]
}

const NOUNS = [
  'users', 'orgs', 'orders', 'order_items', 'products', 'invoices', 'payments', 'sessions', 'events', 'tickets',
  'comments', 'addresses', 'subscriptions', 'plans', 'coupons', 'refunds', 'shipments', 'warehouses', 'suppliers',
  'audit_log', 'api_keys', 'webhooks', 'tags', 'attachments', 'messages', 'teams', 'projects', 'tasks', 'reviews',
  'carts',
]
const DOMAINS = [
  'billing', 'catalog', 'inventory', 'shipping', 'support', 'analytics', 'auth', 'crm', 'search', 'content',
  'reporting', 'scheduling', 'growth', 'admin', 'partner',
]
const COLUMN_WORDS = [
  'email', 'status', 'title', 'description', 'amount_cents', 'currency', 'external_id', 'metadata', 'notes',
  'archived_at', 'updated_at', 'deleted_at', 'priority', 'kind', 'source', 'locale', 'timezone', 'phone', 'score',
  'quantity', 'price_cents', 'sku', 'slug', 'position', 'expires_at', 'last_seen_at', 'version', 'checksum',
  'region', 'color', 'is_active', 'is_public', 'display_name', 'first_name', 'last_name', 'country', 'reference',
  'attempts', 'payload', 'label',
]
/** Types the generator knows a constant for (enum columns are left out of backfills and defaults). */
const BACKFILLABLE = /^(text|varchar\(\d+\)|integer|bigint|boolean|jsonb|numeric\(10, 2\)|timestamptz)$/
const ENUM_VALUES = ['pending', 'active', 'paused', 'cancelled', 'archived', 'failed', 'refunded', 'shipped', 'draft']

function typeFor(column: string, dice: Dice): string {
  if (column.endsWith('_at')) return 'timestamptz'
  if (column.endsWith('_cents') || ['quantity', 'position', 'priority', 'version', 'attempts'].includes(column)) return dice.pick(['integer', 'bigint'])
  if (column === 'metadata' || column === 'payload') return 'jsonb'
  if (column === 'score') return 'numeric(10, 2)'
  if (column.startsWith('is_')) return 'boolean'
  if (column === 'external_id' || column === 'reference') return dice.pick(['uuid', 'varchar(64)'])
  if (['currency', 'country', 'locale'].includes(column)) return dice.pick(['varchar(8)', 'text'])
  return dice.pick(['text', 'text', 'varchar(255)'])
}

/** A constant default of the column's type, SQL text; or null when there is no sensible one. */
function constantDefault(type: string, dice: Dice): string | null {
  if (type === 'boolean') return dice.pick(['false', 'true'])
  if (type === 'integer' || type === 'bigint') return '0'
  if (type === 'jsonb') return `'{}'::jsonb`
  if (type === 'numeric(10, 2)') return '0'
  if (type === 'timestamptz') return 'now()'
  if (type === 'uuid') return null
  return `'${dice.pick(['', 'n/a', 'unknown', 'en', 'default'])}'`
}

/** Kysely's spelling of a column type: its own names where it has them, `sql` otherwise. */
function tsType(type: string): string {
  return /^(text|integer|bigint|bigserial|boolean|jsonb|timestamptz|uuid|varchar\(\d+\)|numeric\(\d+, \d+\))$/.test(type)
    ? `'${type}'`
    : `sql\`${type}\``
}

/** Kysely's spelling of a SQL default: plain literals stay literals, anything else goes through `sql`. */
function tsDefault(value: string): string {
  if (/^(true|false|\d+)$/.test(value)) return value
  const text = /^'([^']*)'$/.exec(value)
  return text ? `'${text[1]}'` : `sql\`${value}\``
}

function columnTs(column: Column, extra = ''): string {
  const parts: string[] = []
  if (column.notNull) parts.push('.notNull()')
  if (column.default !== null) parts.push(`.defaultTo(${tsDefault(column.default)})`)
  if (extra) parts.push(extra)
  return parts.length ? `, col => col${parts.join('')}` : ''
}

function columnSql(column: Column): string {
  return `${column.name} ${column.type}${column.notNull ? ' NOT NULL' : ''}${column.default !== null ? ` DEFAULT ${column.default}` : ''}`
}

const q = (name: string) => `'${name}'`
/** One Kysely statement spread over lines the way people write long builder chains. */
const chain = (head: string, links: string[]) => (links.length > 2 ? `${head}\n    ${links.join('\n    ')}` : `${head}${links.join('')}`)

// ---------------------------------------------------------------------------------------------------

class MigrationWriter {
  readonly tables: Table[] = []
  private readonly enums: { name: string; values: string[] }[] = []
  /** Constraints added NOT VALID that a later migration validates: [table, constraint]. */
  private readonly pendingValidation: [string, string][] = []
  private serial = 0
  /** The column the release drops on purpose, by table: random migrations leave it alone. */
  private readonly reserved = new Map<Table, Column>()

  constructor(private readonly dice: Dice) {}

  private uniqueName(base: string): string {
    this.serial++
    return `${base}_${this.serial.toString(36)}`.slice(0, 63)
  }

  private newTableName(): string {
    const taken = new Set(this.tables.map(t => t.name))
    const bare = NOUNS.find(n => !taken.has(n))
    if (bare && this.dice.chance(0.7)) return bare
    for (let i = 0; i < 20; i++) {
      const name = `${this.dice.pick(DOMAINS)}_${this.dice.pick(NOUNS)}`
      if (!taken.has(name)) return name
    }
    return this.uniqueName(this.dice.pick(NOUNS))
  }

  private newColumn(table: Table): Column {
    const taken = new Set(table.columns.map(c => c.name))
    let name = this.dice.pick(COLUMN_WORDS)
    if (taken.has(name)) name = `${name}_${this.dice.pick(['v2', 'new', 'old', 'alt', 'next'])}`
    if (taken.has(name)) name = this.uniqueName(name)
    return { name, type: typeFor(name, this.dice), notNull: false, default: null }
  }

  private someTable(filter: (t: Table) => boolean = () => true): Table | undefined {
    const candidates = this.tables.filter(filter)
    // Recent tables change more often than old ones, as in real projects.
    return candidates.length ? candidates[Math.max(0, candidates.length - 1 - Math.floor(this.dice.next() ** 2 * candidates.length))] : undefined
  }

  private plainColumns(table: Table): Column[] {
    return table.columns.filter(c => c.name !== 'id' && c.name !== 'created_at' && this.reserved.get(table) !== c)
  }

  /** Migration number `number`: a few tables first, then the weighted mix. */
  next(number: number): Migration {
    const migration = this.any()
    // Half the migrations of a real project bundle a few changes of one feature.
    const more = this.tables.length < 6 ? 0 : Number(this.dice.weighted({ 0: 45, 1: 25, 2: 15, 3: 10, 5: 5 }))
    let settings = migration.steps.some(isSetting)
    for (let i = 0; i < more; i++) {
      const part = this.any()
      migration.steps.push(...part.steps.filter(step => !(settings && isSetting(step))))
      settings ||= part.steps.some(isSetting)
      migration.comment += ` ${part.comment}`
    }
    migration.name = `${String(number).padStart(5, '0')}_${migration.name}`.slice(0, 80)
    return migration
  }

  private any(): Migration {
    const d = this.dice
    if (this.tables.length < 6) return this.createTable()
    if (this.pendingValidation.length && d.chance(0.35)) return this.validateConstraint()
    const kind = d.weighted({
      createTable: 11,
      addColumn: 20,
      createIndex: 13,
      foreignKey: 7,
      check: 4,
      backfill: 8,
      setNotNull: 3,
      dropColumn: 4,
      dropIndex: 3,
      dropTable: 1,
      renameColumn: 2,
      renameTable: 1,
      alterType: 3,
      defaults: 3,
      enumType: 3,
      trigger: 3,
      comment: 2,
      view: 2,
      seed: 2,
    })
    return this[kind]() ?? this.addColumn()
  }

  createTable(): Migration {
    const d = this.dice
    const name = this.newTableName()
    const table: Table = { name, columns: [], indexes: [], reserved: false }
    const columns: Column[] = [{ name: 'id', type: 'bigserial', notNull: true, default: null }]
    table.columns = columns
    const parent = this.tables.length ? this.someTable() : undefined
    const fkColumn = parent ? `${parent.name.replace(/s$/, '').slice(0, 40)}_id` : null
    if (fkColumn) columns.push({ name: fkColumn, type: 'bigint', notNull: true, default: null })
    for (let i = d.int(2, 6); i > 0; i--) {
      const column = this.newColumn(table)
      if (d.chance(0.4)) {
        column.notNull = true
        column.default = constantDefault(column.type, d)
      }
      columns.push(column)
    }
    columns.push({ name: 'created_at', type: 'timestamptz', notNull: true, default: 'now()' })
    this.tables.push(table)
    const sqlColumns = columns.map(c =>
      c.name === 'id' ? '  id bigserial PRIMARY KEY' : c.name === fkColumn ? `  ${c.name} bigint NOT NULL REFERENCES ${parent!.name} (id)` : `  ${columnSql(c)}`,
    )
    const tsColumns = columns.map(c =>
      c.name === 'id'
        ? `.addColumn('id', 'bigserial', col => col.primaryKey())`
        : c.name === fkColumn
          ? `.addColumn('${c.name}', 'bigint', col => col.notNull().references('${parent!.name}.id'))`
          : `.addColumn('${c.name}', ${tsType(c.type)}${columnTs(c)})`,
    )
    const steps: Step[] = [
      {
        sql: [`CREATE TABLE ${name} (\n${sqlColumns.join(',\n')}\n)`],
        ts: [chain(`db.schema.createTable('${name}')`, [...tsColumns, '.execute()'])],
        down: [`db.schema.dropTable('${name}').execute()`],
      },
    ]
    if (fkColumn) {
      // An index on the new table's foreign key: a fresh table is empty, so no CONCURRENTLY needed.
      const index = `${name}_${fkColumn}_idx`.slice(0, 63)
      table.indexes.push(index)
      steps.push({
        sql: [`CREATE INDEX ${index} ON ${name} (${fkColumn})`],
        ts: [`db.schema.createIndex('${index}').on('${name}').column('${fkColumn}').execute()`],
        down: [],
      })
    }
    return { name: `create_${name}`, comment: `New table ${name}.`, steps }
  }

  addColumn(): Migration {
    const d = this.dice
    const table = this.someTable()
    if (!table) return this.createTable()
    const column = this.newColumn(table)
    const style = d.weighted({ nullable: 6, constantDefault: 3, volatileDefault: 1 })
    if (style === 'constantDefault') {
      column.default = constantDefault(column.type, d)
      column.notNull = column.default !== null
    } else if (style === 'volatileDefault') {
      column.type = d.pick(['uuid', 'timestamptz'])
      column.default = column.type === 'uuid' ? 'gen_random_uuid()' : 'clock_timestamp()'
    }
    table.columns.push(column)
    const steps: Step[] = [this.lockTimeout()]
    steps.push({
      sql: [`ALTER TABLE ${table.name} ADD COLUMN ${columnSql(column)}`],
      ts: [`db.schema.alterTable('${table.name}').addColumn('${column.name}', ${tsType(column.type)}${columnTs(column)}).execute()`],
      down: [`db.schema.alterTable('${table.name}').dropColumn('${column.name}').execute()`],
    })
    // Expand, then backfill in the same file: common, and exactly what backfill-with-ddl is about.
    if (style === 'nullable' && d.chance(0.2)) steps.push(this.backfillStep(table, column))
    return { name: `add_${column.name}_to_${table.name}`, comment: `Adds ${table.name}.${column.name}.`, steps }
  }

  createIndex(): Migration | null {
    const d = this.dice
    const table = this.someTable(t => t.columns.length > 2)
    if (!table) return null
    const columns = d.some(this.plainColumns(table).filter(c => c.type !== 'jsonb'), d.int(1, 2)).map(c => c.name)
    if (!columns.length) columns.push('created_at')
    const unique = d.chance(0.12)
    const concurrently = d.chance(0.7)
    const partial = !unique && d.chance(0.15) && table.columns.some(c => c.name === 'deleted_at')
    const index = this.uniqueName(`${table.name}_${columns.join('_')}_${unique ? 'key' : 'idx'}`.slice(0, 55))
    table.indexes.push(index)
    const head = `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${index}`
    const sqlText = `${head} ON ${table.name} (${columns.join(', ')})${partial ? ' WHERE deleted_at IS NULL' : ''}`
    const ts = concurrently
      ? `sql\`${sqlText}\`.execute(db)`
      : chain(`db.schema.createIndex('${index}')`, [
          '.ifNotExists()',
          ...(unique ? ['.unique()'] : []),
          `.on('${table.name}')`,
          `.columns([${columns.map(q).join(', ')}])`,
          ...(partial ? [`.where(sql.ref('deleted_at'), 'is', null)`] : []),
          '.execute()',
        ])
    return {
      name: `index_${table.name}_${columns.join('_')}`,
      comment: concurrently ? `Index for the ${columns.join('/')} lookups; built without blocking writes.` : `Index for the ${columns.join('/')} lookups.`,
      steps: [
        this.lockTimeout(),
        {
          sql: [sqlText],
          ts: [ts],
          down: [concurrently ? `sql\`DROP INDEX CONCURRENTLY IF EXISTS ${index}\`.execute(db)` : `db.schema.dropIndex('${index}').ifExists().execute()`],
        },
      ],
    }
  }

  foreignKey(): Migration | null {
    const d = this.dice
    const child = this.someTable(t => t.columns.length > 2)
    const parent = this.someTable(t => t !== child)
    if (!child || !parent) return null
    const plain = `${parent.name.replace(/s$/, '').slice(0, 40)}_id`
    const name = child.columns.some(c => c.name === plain) ? this.uniqueName(plain) : plain
    const column: Column = { name, type: 'bigint', notNull: false, default: null }
    child.columns.push(column)
    const constraint = `${child.name}_${column.name}_fkey`.slice(0, 63)
    const steps: Step[] = [
      this.lockTimeout(),
      {
        sql: [`ALTER TABLE ${child.name} ADD COLUMN ${column.name} bigint`],
        ts: [`db.schema.alterTable('${child.name}').addColumn('${column.name}', 'bigint').execute()`],
        down: [`db.schema.alterTable('${child.name}').dropColumn('${column.name}').execute()`],
      },
    ]
    const notValid = d.chance(0.8)
    const fkSql = `ALTER TABLE ${child.name} ADD CONSTRAINT ${constraint} FOREIGN KEY (${column.name}) REFERENCES ${parent.name} (id)${d.chance(0.3) ? ' ON DELETE CASCADE' : ''}`
    if (notValid) {
      steps.push({ sql: [`${fkSql} NOT VALID`], ts: [`sql\`${fkSql} NOT VALID\`.execute(db)`], down: [`db.schema.alterTable('${child.name}').dropConstraint('${constraint}').execute()`] })
      if (d.chance(0.5)) steps.push(this.validateStep(child.name, constraint))
      else this.pendingValidation.push([child.name, constraint])
    } else {
      steps.push({
        sql: [fkSql],
        ts: [`db.schema.alterTable('${child.name}').addForeignKeyConstraint('${constraint}', ['${column.name}'], '${parent.name}', ['id']).execute()`],
        down: [`db.schema.alterTable('${child.name}').dropConstraint('${constraint}').execute()`],
      })
    }
    if (d.chance(0.6)) {
      const index = this.uniqueName(`${child.name}_${column.name}_idx`.slice(0, 55))
      child.indexes.push(index)
      const sqlText = `CREATE INDEX CONCURRENTLY ${index} ON ${child.name} (${column.name})`
      steps.push({ sql: [sqlText], ts: [`sql\`${sqlText}\`.execute(db)`], down: [] })
    }
    return { name: `${child.name}_references_${parent.name}`, comment: `Links ${child.name} to ${parent.name}.`, steps }
  }

  check(): Migration | null {
    const table = this.someTable()
    if (!table) return null
    const column = this.plainColumns(table).find(c => ['integer', 'bigint', 'text', 'varchar(255)'].includes(c.type))
    if (!column) return null
    const constraint = this.uniqueName(`${table.name}_${column.name}_check`.slice(0, 55))
    const expression = column.type === 'integer' || column.type === 'bigint' ? `${column.name} >= 0` : `char_length(${column.name}) <= 500`
    const add = `ALTER TABLE ${table.name} ADD CONSTRAINT ${constraint} CHECK (${expression}) NOT VALID`
    const steps: Step[] = [
      this.lockTimeout(),
      { sql: [add], ts: [`sql\`${add}\`.execute(db)`], down: [`db.schema.alterTable('${table.name}').dropConstraint('${constraint}').execute()`] },
    ]
    if (this.dice.chance(0.5)) steps.push(this.validateStep(table.name, constraint))
    else this.pendingValidation.push([table.name, constraint])
    return { name: `check_${table.name}_${column.name}`, comment: `Rejects bad ${column.name} values; existing rows are checked separately.`, steps }
  }

  private validateConstraint(): Migration {
    const [table, constraint] = this.pendingValidation.shift()!
    return { name: `validate_${constraint}`, comment: 'Validates the constraint added NOT VALID in an earlier migration.', steps: [this.validateStep(table, constraint)] }
  }

  private validateStep(table: string, constraint: string): Step {
    const text = `ALTER TABLE ${table} VALIDATE CONSTRAINT ${constraint}`
    return { sql: [text], ts: [`sql\`${text}\`.execute(db)`], down: [] }
  }

  backfill(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).some(c => BACKFILLABLE.test(c.type)))
    if (!table) return null
    const column = this.dice.pick(this.plainColumns(table).filter(c => BACKFILLABLE.test(c.type)))
    return { name: `backfill_${table.name}_${column.name}`, comment: `Backfills ${table.name}.${column.name} in batches.`, steps: [this.backfillStep(table, column)] }
  }

  private backfillStep(table: Table, column: Column): Step {
    const d = this.dice
    const value = column.default ?? constantDefault(column.type, d) ?? 'NULL'
    const batches = d.int(1, 4)
    const sql: string[] = []
    const ts: string[] = []
    for (let b = 0; b < batches; b++) {
      const [from, to] = [b * 50000, (b + 1) * 50000]
      sql.push(`UPDATE ${table.name} SET ${column.name} = ${value} WHERE ${column.name} IS NULL AND id >= ${from} AND id < ${to}`)
      ts.push(
        d.chance(0.5)
          ? `sql\`UPDATE ${table.name} SET ${column.name} = ${value} WHERE ${column.name} IS NULL AND id >= ${from} AND id < ${to}\`.execute(db)`
          : chain(`db.updateTable('${table.name}')`, [
              `.set({ ${column.name}: ${tsDefault(value)} })`,
              `.where('${column.name}', 'is', null)`,
              `.where('id', '>=', ${from})`,
              `.where('id', '<', ${to})`,
              '.execute()',
            ]),
      )
    }
    return { sql, ts, down: [] }
  }

  setNotNull(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).some(c => !c.notNull))
    if (!table) return null
    const column = this.dice.pick(this.plainColumns(table).filter(c => !c.notNull))
    column.notNull = true
    const text = `ALTER TABLE ${table.name} ALTER COLUMN ${column.name} SET NOT NULL`
    return {
      name: `${table.name}_${column.name}_not_null`,
      comment: `${column.name} is always set now.`,
      steps: [
        this.lockTimeout(),
        {
          sql: [text],
          ts: [`db.schema.alterTable('${table.name}').alterColumn('${column.name}', col => col.setNotNull()).execute()`],
          down: [`db.schema.alterTable('${table.name}').alterColumn('${column.name}', col => col.dropNotNull()).execute()`],
        },
      ],
    }
  }

  dropColumn(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).length > 1)
    if (!table) return null
    const column = this.dice.pick(this.plainColumns(table))
    return this.dropColumnOf(table, column, `${column.name} is no longer used.`)
  }

  dropColumnOf(table: Table, column: Column, comment: string): Migration {
    table.columns = table.columns.filter(c => c !== column)
    return {
      name: `drop_${table.name}_${column.name}`,
      comment,
      steps: [
        this.lockTimeout(),
        {
          sql: [`ALTER TABLE ${table.name} DROP COLUMN ${column.name}`],
          ts: [`db.schema.alterTable('${table.name}').dropColumn('${column.name}').execute()`],
          down: [`db.schema.alterTable('${table.name}').addColumn('${column.name}', ${tsType(column.type)}).execute()`],
        },
      ],
    }
  }

  dropIndex(): Migration | null {
    const table = this.someTable(t => t.indexes.length > 0)
    if (!table) return null
    const index = this.dice.pick(table.indexes)
    table.indexes = table.indexes.filter(i => i !== index)
    const concurrently = this.dice.chance(0.75)
    const text = `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${index}`
    return {
      name: `drop_${index}`.slice(0, 60),
      comment: 'Unused index (pg_stat_user_indexes shows no scans).',
      steps: [{ sql: [text], ts: [concurrently ? `sql\`${text}\`.execute(db)` : `db.schema.dropIndex('${index}').ifExists().execute()`], down: [] }],
    }
  }

  dropTable(): Migration | null {
    // Keep most of the schema: only tables that nothing else was built on recently.
    const table = this.someTable(t => !t.reserved && this.tables.indexOf(t) > 5)
    if (!table) return null
    this.tables.splice(this.tables.indexOf(table), 1)
    return {
      name: `drop_${table.name}`,
      comment: `${table.name} was replaced; its data was archived.`,
      steps: [{ sql: [`DROP TABLE IF EXISTS ${table.name} CASCADE`], ts: [`db.schema.dropTable('${table.name}').ifExists().cascade().execute()`], down: [] }],
    }
  }

  renameColumn(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).length > 0)
    if (!table) return null
    const column = this.dice.pick(this.plainColumns(table))
    const old = column.name
    column.name = this.uniqueName(`${old.slice(0, 40)}_renamed`)
    return {
      name: `rename_${table.name}_${old}`,
      comment: `Clearer name for ${old}.`,
      steps: [
        this.lockTimeout(),
        {
          sql: [`ALTER TABLE ${table.name} RENAME COLUMN ${old} TO ${column.name}`],
          ts: [`db.schema.alterTable('${table.name}').renameColumn('${old}', '${column.name}').execute()`],
          down: [`db.schema.alterTable('${table.name}').renameColumn('${column.name}', '${old}').execute()`],
        },
      ],
    }
  }

  renameTable(): Migration | null {
    const table = this.someTable(t => !t.reserved)
    if (!table) return null
    const old = table.name
    table.name = this.uniqueName(`${old.slice(0, 40)}_v2`)
    return {
      name: `rename_${old}`,
      comment: `${old} becomes ${table.name}.`,
      steps: [
        this.lockTimeout(),
        {
          sql: [`ALTER TABLE ${old} RENAME TO ${table.name}`],
          ts: [`db.schema.alterTable('${old}').renameTo('${table.name}').execute()`],
          down: [`db.schema.alterTable('${table.name}').renameTo('${old}').execute()`],
        },
      ],
    }
  }

  alterType(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).some(c => c.type === 'integer' || c.type.startsWith('varchar')))
    if (!table) return null
    const column = this.dice.pick(this.plainColumns(table).filter(c => c.type === 'integer' || c.type.startsWith('varchar')))
    const to = column.type === 'integer' ? 'bigint' : this.dice.pick(['text', 'varchar(512)'])
    const using = to === 'bigint' ? ` USING ${column.name}::bigint` : ''
    column.type = to
    const text = `ALTER TABLE ${table.name} ALTER COLUMN ${column.name} TYPE ${to}${using}`
    return {
      name: `widen_${table.name}_${column.name}`,
      comment: `${column.name} outgrew its type.`,
      steps: [
        this.lockTimeout(),
        {
          sql: [text],
          ts: [using ? `sql\`${text}\`.execute(db)` : `db.schema.alterTable('${table.name}').alterColumn('${column.name}', col => col.setDataType(${tsType(to)})).execute()`],
          down: [],
        },
      ],
    }
  }

  defaults(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).some(c => BACKFILLABLE.test(c.type)))
    if (!table) return null
    const column = this.dice.pick(this.plainColumns(table).filter(c => BACKFILLABLE.test(c.type)))
    const value = column.default === null ? constantDefault(column.type, this.dice) : null
    if (value === null && column.default === null) return null
    column.default = value
    const text = `ALTER TABLE ${table.name} ALTER COLUMN ${column.name} ${value === null ? 'DROP DEFAULT' : `SET DEFAULT ${value}`}`
    return {
      name: `${table.name}_${column.name}_default`,
      comment: value === null ? 'The application sets this value itself now.' : 'New rows get a default.',
      steps: [
        {
          sql: [text],
          ts: [`db.schema.alterTable('${table.name}').alterColumn('${column.name}', col => col.${value === null ? 'dropDefault()' : `setDefault(${tsDefault(value)})`}).execute()`],
          down: [],
        },
      ],
    }
  }

  enumType(): Migration | null {
    const d = this.dice
    const existing = this.enums.length && d.chance(0.4) ? d.pick(this.enums) : null
    if (existing) {
      const value = this.uniqueName(d.pick(ENUM_VALUES))
      existing.values.push(value)
      const text = `ALTER TYPE ${existing.name} ADD VALUE IF NOT EXISTS '${value}'`
      return { name: `${existing.name}_${value}`, comment: `New state ${value}.`, steps: [{ sql: [text], ts: [`sql\`${text}\`.execute(db)`], down: [] }] }
    }
    const table = this.someTable()
    if (!table) return null
    const name = this.uniqueName(`${table.name.replace(/s$/, '')}_state`.slice(0, 40))
    const values = d.some(ENUM_VALUES, d.int(3, 6))
    this.enums.push({ name, values })
    const column: Column = { name: this.uniqueName('state'), type: name, notNull: false, default: null }
    table.columns.push(column)
    return {
      name: `${name}_enum`,
      comment: `States of ${table.name} as an enum.`,
      steps: [
        {
          sql: [`CREATE TYPE ${name} AS ENUM (${values.map(v => `'${v}'`).join(', ')})`],
          ts: [`db.schema.createType('${name}').asEnum([${values.map(q).join(', ')}]).execute()`],
          down: [`db.schema.dropType('${name}').execute()`],
        },
        this.lockTimeout(),
        {
          sql: [`ALTER TABLE ${table.name} ADD COLUMN ${column.name} ${name}`],
          ts: [`db.schema.alterTable('${table.name}').addColumn('${column.name}', sql\`${name}\`).execute()`],
          down: [`db.schema.alterTable('${table.name}').dropColumn('${column.name}').execute()`],
        },
      ],
    }
  }

  trigger(): Migration | null {
    const table = this.someTable()
    if (!table) return null
    let updated = table.columns.find(c => c.name === 'updated_at')
    const steps: Step[] = []
    if (!updated) {
      updated = { name: 'updated_at', type: 'timestamptz', notNull: false, default: null }
      table.columns.push(updated)
      steps.push(this.lockTimeout(), {
        sql: [`ALTER TABLE ${table.name} ADD COLUMN updated_at timestamptz`],
        ts: [`db.schema.alterTable('${table.name}').addColumn('updated_at', 'timestamptz').execute()`],
        down: [`db.schema.alterTable('${table.name}').dropColumn('updated_at').execute()`],
      })
    }
    const fn = this.uniqueName(`${table.name}_touch`.slice(0, 40))
    const body = `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql`
    const trigger = `CREATE TRIGGER ${fn}_trg BEFORE UPDATE ON ${table.name} FOR EACH ROW EXECUTE FUNCTION ${fn}()`
    steps.push({
      sql: [body, trigger],
      ts: [`sql\`\n${body}\n\`.execute(db)`, `sql\`${trigger}\`.execute(db)`],
      down: [`sql\`DROP TRIGGER IF EXISTS ${fn}_trg ON ${table.name}\`.execute(db)`, `sql\`DROP FUNCTION IF EXISTS ${fn}()\`.execute(db)`],
    })
    return { name: `touch_${table.name}`, comment: `Keeps ${table.name}.updated_at current.`, steps }
  }

  comment(): Migration | null {
    const table = this.someTable()
    if (!table) return null
    const text = `COMMENT ON TABLE ${table.name} IS 'Owned by the ${this.dice.pick(DOMAINS)} team; see the runbook.'`
    return { name: `comment_${table.name}`, comment: 'Documentation for the catalog.', steps: [{ sql: [text], ts: [`sql\`${text}\`.execute(db)`], down: [] }] }
  }

  view(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).length > 1)
    if (!table) return null
    const columns = this.dice.some(this.plainColumns(table), 2).map(c => c.name)
    const name = `${table.name}_summary`.slice(0, 63)
    const select = `SELECT id, ${columns.join(', ')}, created_at FROM ${table.name} WHERE created_at > now() - interval '90 days'`
    return {
      name: `view_${name}`,
      comment: 'Recent rows, for the dashboard.',
      steps: [
        {
          sql: [`CREATE OR REPLACE VIEW ${name} AS\n  ${select}`],
          ts: [`db.schema.createView('${name}').orReplace().as(sql\`${select}\`).execute()`],
          down: [`db.schema.dropView('${name}').ifExists().execute()`],
        },
      ],
    }
  }

  seed(): Migration | null {
    const table = this.someTable(t => this.plainColumns(t).some(c => c.type === 'text'))
    if (!table) return null
    const column = this.plainColumns(table).find(c => c.type === 'text')!
    const rows = this.dice.int(2, 5)
    const values = Array.from({ length: rows }, (_, i) => `('seed-${i}')`).join(', ')
    const text = `INSERT INTO ${table.name} (${column.name}) VALUES ${values} ON CONFLICT DO NOTHING`
    return {
      name: `seed_${table.name}`,
      comment: 'Reference rows the application expects.',
      steps: [
        {
          sql: [text],
          ts: [
            chain(`db.insertInto('${table.name}')`, [
              `.values([${Array.from({ length: rows }, (_, i) => `{ ${column.name}: 'seed-${i}' }`).join(', ')}])`,
              '.onConflict(oc => oc.doNothing())',
              '.execute()',
            ]),
          ],
          down: [],
        },
      ],
    }
  }

  /** Most migrations set a lock timeout first, as the locking rules ask. */
  private lockTimeout(): Step {
    if (!this.dice.chance(0.6)) return { sql: [], ts: [], down: [] }
    const value = this.dice.pick(['2s', '5s', '10s'])
    return { sql: [`SET lock_timeout = '${value}'`], ts: [`sql\`SET lock_timeout = '${value}'\`.execute(db)`], down: [] }
  }

  /** Marks the column the release will drop, so random migrations leave it (and its table) alone. */
  reserve(): { table: Table; column: Column } {
    const table = [...this.tables].reverse().find(t => t.columns.length >= 5 && this.plainColumns(t).length >= 3) ?? this.tables[0]
    const column = this.plainColumns(table).find(c => !c.notNull) ?? this.plainColumns(table)[0]
    table.reserved = true
    this.reserved.set(table, column)
    return { table, column }
  }
}

const isSetting = (step: Step) => step.sql.length > 0 && step.sql.every(s => s.startsWith('SET '))

function renderSql(migration: Migration): { text: string; statements: number } {
  const statements = migration.steps.flatMap(s => s.sql)
  return { text: `-- ${migration.comment}\n${statements.map(s => `${s};\n`).join('')}`, statements: statements.length }
}

function renderKysely(migration: Migration): { text: string; statements: number } {
  const up = migration.steps.flatMap(s => s.ts)
  const down = migration.steps.flatMap(s => s.down).reverse()
  const body = (lines: string[]) => lines.map(l => `  await ${l}`).join('\n')
  const usesSql = [...up, ...down].some(l => l.includes('sql`') || l.includes('sql.'))
  return {
    text:
      `import { ${usesSql ? 'sql, ' : ''}type Kysely } from 'kysely'\n\n` +
      `// ${migration.comment}\n` +
      `export async function up(db: Kysely<any>): Promise<void> {\n${body(up)}\n}\n` +
      (down.length ? `\nexport async function down(db: Kysely<any>): Promise<void> {\n${body(down)}\n}\n` : ''),
    statements: up.length,
  }
}

// ---------------------------------------------------------------------------------------------------
// Application code: repositories with Kysely builder chains, modules with raw SQL, and the many files
// that hold no query at all. Each file has its own seed, so the release's version of a file differs
// from the tagged one only where it stopped reading the dropped column.

interface AppTable {
  name: string
  columns: string[]
}

/**
 * App file `n`. File 0 always reads `doomed` (the column the release drops) unless `hide`: the release's
 * version of every file is rendered from the same seed with the column hidden.
 */
function appFile(n: number, seed: number, tables: readonly AppTable[], doomed: { table: string; column: string }, hide: boolean): { path: string; text: string } {
  const d = new Dice(random(seed * 7919 + n))
  const force = n === 0
  const hidden = hide ? doomed : null
  const cols = (t: AppTable) => t.columns.filter(c => !(hidden && t.name === hidden.table && c === hidden.column))
  const some = (t: AppTable, k: number) => {
    const picked = d.some(t.columns, k)
    const kept = picked.filter(c => cols(t).includes(c))
    return kept.length ? kept : ['id']
  }
  const one = (t: AppTable) => some(t, 1)[0]
  const roll = force ? 0 : d.next()
  if (roll < 0.4) {
    const methods = Array.from({ length: d.int(5, 15) }, (_, i) => {
      // The forced first method reads the column the release drops (that is the point of the release).
      const table = force && i === 0 ? tables.find(t => t.name === doomed.table)! : d.pick(tables)
      const alias = table.name[0]
      const shape = force && i === 0 ? 0 : (i + n) % 7
      if (shape === 0) {
        const select = force && i === 0 ? [...new Set(['id', ...cols(table).filter(c => c === doomed.column), ...some(table, 2)])] : some(table, 3)
        return `  async findById${i}(id: number) {\n    return this.db.selectFrom('${table.name}').select([${select.map(q).join(', ')}]).where('id', '=', id).executeTakeFirst()\n  }`
      }
      if (shape === 1) {
        const other = d.pick(tables)
        return `  async list${i}(filter: { value?: string; limit: number }) {\n    // newest first, with the ${other.name} it belongs to\n    return this.db\n      .selectFrom('${table.name} as ${alias}')\n      .innerJoin('${other.name} as o', 'o.id', '${alias}.id')\n      .select(['${alias}.${one(table)}', 'o.${one(other)} as other'])\n      .$if(filter.value !== undefined, qb => qb.where('${alias}.${one(table)}', '=', filter.value!))\n      .orderBy('${alias}.id', 'desc')\n      .limit(filter.limit)\n      .execute()\n  }`
      }
      if (shape === 2) {
        const values = some(table, 3).filter(c => c !== 'id')
        return `  async create${i}(input: Record<string, unknown>) {\n    return this.db.insertInto('${table.name}').values({ ${(values.length ? values : ['created_at']).map(c => `${c}: input.${c}`).join(', ')} }).returning('id').executeTakeFirstOrThrow()\n  }`
      }
      if (shape === 3) {
        return `  async update${i}(id: number, value: unknown) {\n    await this.db.updateTable('${table.name}').set({ ${one(table)}: value }).where('id', '=', id).execute()\n  }`
      }
      if (shape === 4) {
        return `  async remove${i}(id: number) {\n    await this.db.deleteFrom('${table.name}').where('id', '=', id).execute()\n  }`
      }
      if (shape === 5) {
        const other = d.pick(tables)
        return `  async withCounts${i}() {\n    return this.db\n      .selectFrom('${table.name} as t')\n      .select(eb => [\n        't.${one(table)}',\n        eb.selectFrom('${other.name} as c').select(eb.fn.countAll().as('n')).whereRef('c.id', '=', 't.id').as('count'),\n      ])\n      .where('t.${one(table)}', 'is not', null)\n      .execute()\n  }`
      }
      return `  async all${i}() {\n    return this.db.selectFrom('${table.name}').selectAll().orderBy('id').execute()\n  }`
    })
    return {
      path: `src/repositories/repository-${n}.ts`,
      text: `import type { Kysely } from 'kysely'\nimport type { DB } from '../db/types.js'\n\n/** Data access of feature ${n}. */\nexport class Repository${n} {\n  constructor(private readonly db: Kysely<DB>) {}\n\n${methods.join('\n\n')}\n}\n`,
    }
  }
  if (roll < 0.55) {
    const queries = Array.from({ length: d.int(2, 6) }, (_, i) => {
      const table = d.pick(tables)
      const other = d.pick(tables)
      if (i % 2 === 0) {
        const key = one(table)
        return `export async function report${n}_${i}(db: Kysely<DB>, since: Date) {\n  const { rows } = await sql<{ n: number }>\`\n    SELECT a.${key}, count(*) AS n\n    FROM ${table.name} a\n    JOIN ${other.name} b ON b.id = a.id\n    WHERE a.created_at > \${since}\n    GROUP BY a.${key}\n    ORDER BY n DESC\n  \`.execute(db)\n  return rows\n}`
      }
      return `export async function load${n}_${i}(pool: Pool, id: number) {\n  const result = await pool.query('SELECT ${some(table, 2).join(', ')} FROM ${table.name} WHERE id = $1', [id])\n  return result.rows[0]\n}`
    })
    return { path: `src/reports/report-${n}.ts`, text: `import { sql, type Kysely } from 'kysely'\nimport type { Pool } from 'pg'\nimport type { DB } from '../db/types.js'\n\n${queries.join('\n\n')}\n` }
  }
  const helpers = Array.from({ length: d.int(4, 20) }, (_, i) => {
    const threshold = d.int(0, 100)
    return `export function helper${n}_${i}(items: readonly number[]): number {\n  // sums what is above the threshold; the threshold comes from config\n  let total = 0\n  for (const item of items) {\n    if (item > ${threshold}) total += item * ${d.int(1, 9)}\n  }\n  return Math.round(total / Math.max(1, items.length))\n}`
  })
  return { path: `src/lib/util-${n}.ts`, text: `import { z } from 'zod'\n\nexport const Schema${n} = z.object({ id: z.number(), name: z.string().min(1) })\n\n${helpers.join('\n\n')}\n` }
}

// ---------------------------------------------------------------------------------------------------

const FIXED_DATE = '2026-01-01T00:00:00Z'

export function generateRepo(options: GenerateOptions): GeneratedRepo {
  const seed = options.seed ?? DEFAULT_SEED
  const appCount = options.appFiles ?? DEFAULT_APP_FILES
  const total = options.migrations
  const release = Math.max(2, Math.round(total * (options.releaseShare ?? 0.05)))
  const shipped = total - release
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `migrate-lint-bench-${options.layout}-${total}-`))
  fs.mkdirSync(dir, { recursive: true })
  if (fs.readdirSync(dir).length) throw new Error(`${dir} is not empty`)

  // Dates fixed and no user config: same inputs give the same commit ids.
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    // No automatic gc in the background after a commit: the one explicit `git gc` at the end would
    // find it running and fail.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'gc.auto',
    GIT_CONFIG_VALUE_0: '0',
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'pipe', maxBuffer: 1 << 30 })
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }

  const dice = new Dice(random(seed))
  const writer = new MigrationWriter(dice)
  const render = options.layout === 'sql' ? renderSql : renderKysely
  const extension = options.layout === 'sql' ? 'sql' : 'ts'
  const migrationFiles: string[] = []
  let statements = 0
  let migrationBytes = 0
  const emit = (migration: Migration) => {
    const { text, statements: n } = render(migration)
    const file = `migrations/${migration.name}.${extension}`
    write(file, text)
    migrationFiles.push(file)
    statements += n
    migrationBytes += Buffer.byteLength(text)
  }

  git('init', '-q', '-b', 'main')
  write('package.json', `${JSON.stringify({ name: 'bench-app', private: true, type: 'module', dependencies: { kysely: '^0.28.0', pg: '^8.0.0', zod: '^3.0.0' } }, null, 2)}\n`)
  write('.gitignore', 'node_modules/\n')
  // History in a few commits, as a project grows; the code is committed with the tagged state.
  const chunks = 4
  for (let i = 1; i <= shipped; i++) {
    emit(writer.next(i))
    if (i % Math.ceil(shipped / chunks) === 0 && i < shipped) {
      git('add', '-A')
      git('commit', '-q', '-m', `migrations up to ${i}`)
    }
  }
  const doomed = writer.reserve()
  const hidden = { table: doomed.table.name, column: doomed.column.name }
  const appTables: AppTable[] = writer.tables.map(t => ({ name: t.name, columns: t.columns.map(c => c.name) }))
  let appBytes = 0
  const base = Array.from({ length: appCount }, (_, n) => appFile(n, seed, appTables, hidden, false))
  for (const file of base) {
    write(file.path, file.text)
    appBytes += Buffer.byteLength(file.text)
  }
  write('src/db/types.ts', `// Generated database types would live here.\nexport type DB = Record<string, Record<string, unknown>>\n`)
  git('add', '-A')
  git('commit', '-q', '-m', `migrations up to ${shipped}, application code`)
  git('tag', TAG)

  // The release: new migrations, and the code that stops reading the column its last migration drops.
  for (let i = shipped + 1; i < total; i++) emit(writer.next(i))
  const drop = writer.dropColumnOf(doomed.table, doomed.column, `${hidden.column} is no longer read by the application (this release).`)
  drop.name = `${String(total).padStart(5, '0')}_${drop.name}`
  emit(drop)
  let appFilesChanged = 0
  for (let n = 0; n < appCount; n++) {
    const head = appFile(n, seed, appTables, hidden, true)
    if (head.text !== base[n].text) {
      write(head.path, head.text)
      appFilesChanged++
    }
  }
  git('add', '-A')
  git('commit', '-q', '-m', 'release')

  // Staged for the pre-commit run: one migration added to the index, not committed.
  const staged = writer.addColumn()
  staged.name = `${String(total + 1).padStart(5, '0')}_${staged.name}`
  emit(staged)
  const stagedFile = migrationFiles[migrationFiles.length - 1]
  git('add', '--', stagedFile)
  // Packed, as a clone is: reading blobs from 3,000 loose objects costs git 4× the time of a pack.
  git('gc', '--quiet')

  return {
    dir,
    layout: options.layout,
    migrationFiles,
    shipped,
    release,
    staged: stagedFile,
    tag: TAG,
    appFiles: appCount,
    appFilesChanged,
    droppedColumn: `${hidden.table}.${hidden.column}`,
    statements,
    migrationBytes,
    appBytes,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
  const layout = (option('--layout') ?? 'sql') as Layout
  if (layout !== 'sql' && layout !== 'kysely') throw new Error('--layout is sql or kysely')
  const repo = generateRepo({
    migrations: Number(option('--migrations') ?? 1000),
    layout,
    appFiles: option('--app-files') ? Number(option('--app-files')) : undefined,
    seed: option('--seed') ? Number(option('--seed')) : undefined,
    dir: option('--out'),
  })
  const { migrationFiles, ...summary } = repo
  console.log(JSON.stringify({ ...summary, migrationFiles: migrationFiles.length }, null, 2))
}
