// The expand-and-contract recipe of each intent, as steps: pure functions of the intent and of the
// schema the project's migrations build. Each step is what the rules call safe (their `fix` texts):
// a new column instead of a rename or a retype, NOT VALID then VALIDATE, CONCURRENTLY, SET NOT NULL
// after a validated CHECK, a view under the old table name, the drop a release after the code stops
// reading. Which stage the schema is at (before release N, or after it shipped) is checked, not assumed.
import { namespaceOf, type Column, type Schema, type Table } from '../schema/schema.js'
import { generatedName, quoteIdent as quote } from '../sql/lock-safe-ddl.js'
import { UsageError } from '../util/errors.js'
import type { Intent } from './intent.js'
import { describeIntent } from './intent.js'
import { expressionFromInput, typeFromInput } from './sql-input.js'
import { bare, ops, syncTrigger, type Op, type PlannedStep } from './steps.js'

export type Stage = 'expand' | 'contract'

export interface Recipe {
  steps: PlannedStep[]
  /** What the code must do, by release: the part of the plan no migration can do. */
  checklist: { release: 'N' | 'N+1'; items: string[] }[]
}

export function recipeFor(intent: Intent, schema: Schema, stage: Stage): Recipe {
  switch (intent.kind) {
    case 'drop-column':
      return dropColumn(intent, schema)
    case 'rename-column':
      return copyColumn(intent, schema, stage, { to: intent.to, type: null })
    case 'change-type':
      return copyColumn(intent, schema, stage, { to: intent.newColumn, type: intent.type })
    case 'rename-table':
      return renameTable(intent, schema, stage)
    case 'set-not-null':
      return setNotNull(intent, schema, stage)
    case 'add-foreign-key':
      return addForeignKey(intent, schema, stage)
    case 'add-unique':
      return addUnique(intent, schema, stage)
  }
}

function dropColumn(intent: Extract<Intent, { kind: 'drop-column' }>, schema: Schema): Recipe {
  const { table, column } = intent
  const col = existingColumn(schema, table, column)
  const t = `${table}.${column}`
  const steps: PlannedStep[] = []
  // The new code stops writing the column: inserts that leave it out must still work.
  if (!col.nullable && !col.default && !col.generated) {
    steps.push({
      release: 'N',
      phase: 'expand',
      slug: slug('drop', table, column, 'allow_null'),
      summary: `${t} accepts NULL, so the code of release N can stop writing it`,
      why: [`${t} is NOT NULL without a default: once the code stops writing it, its inserts would fail.`],
      outsideTransaction: false,
      statementTimeout: true,
      up: [ops.dropNotNull(table, column)],
      down: [ops.setNotNull(table, column)],
    })
  }
  steps.push({
    release: 'N+1',
    phase: 'contract',
    slug: slug('drop', table, column),
    summary: `drop ${t}, which no code of release N reads or writes`,
    why: [
      'Dropped a release after the code stopped using it: the servers of release N, and a revert to it, never name it.',
      'The data is gone for good; archive it first if it may be needed (CREATE TABLE … AS SELECT <key>, <column> …).',
    ],
    outsideTransaction: false,
    statementTimeout: true,
    up: [ops.dropColumn(table, column)],
    down: [ops.addColumn(table, column, col.type.text)],
    downNote: `The down adds ${t} back empty: the values come back only from a backup.`,
  })
  const covered = coveringObjects(schema, table, column)
  return twoReleases(intent, steps, [
    `Remove every read and write of ${t} from the code: queries, ORM models and types, raw SQL, reports.`,
    ...(covered.length ? [`${covered.join(', ')} go${covered.length === 1 ? 'es' : ''} with the column: make sure nothing relies on ${covered.length === 1 ? 'it' : 'them'}.`] : []),
  ])
}

/**
 * rename-column and change-type: a new column kept equal to the old one by a trigger, a backfill, the
 * code moved to the new column in release N, and the old column dropped in release N+1. A NOT NULL
 * old column makes the new one NOT NULL too, by the CHECK … NOT VALID, VALIDATE, SET NOT NULL recipe.
 */
function copyColumn(intent: Extract<Intent, { kind: 'rename-column' | 'change-type' }>, schema: Schema, stage: Stage, target: { to: string; type: string | null }): Recipe {
  const { table, column } = intent
  const old = existingColumn(schema, table, column)
  const { to } = target
  const type = target.type ?? old.type.text
  if (intent.kind === 'change-type' && typeFromInput(type).text === old.type.text) throw new UsageError(`${table}.${column} is ${old.type.text} already.`)
  const present = schema.column(table, to)
  if (stage === 'expand' && present) throw new UsageError(`${table}.${to} exists already: pick another name${intent.kind === 'change-type' ? ' (--new-column <name>)' : ''}, or write the contract with --contract if release N shipped.`)
  if (stage === 'contract' && !present) throw new UsageError(`${table}.${to} does not exist: release N has not run here. Write it first: migrate-lint plan ${describeIntent(intent)}`)
  const pk = primaryKey(schema.table(table)!)
  const fn = withSchema(table, generatedName(table, [column, to], 'sync'))
  const check = generatedName(table, [to], 'not_null')
  const notNull = !old.nullable
  const cast = intent.kind === 'change-type'
  const verb = intent.kind === 'rename-column' ? `rename ${table}.${column} to ${to}` : `change ${table}.${column} to ${type} (as ${table}.${to})`
  const up: Op[] = [ops.addColumn(table, to, type)]
  if (notNull) up.push(ops.addCheckNotValid(table, check, `${quote(to)} IS NOT NULL`))
  up.push(...syncTrigger({ table, name: fn, from: column, to, toType: cast ? type : null, fromType: cast ? old.type.text : null }))
  const steps: PlannedStep[] = [
    {
      release: 'N',
      phase: 'expand',
      slug: slug(intent.kind === 'rename-column' ? 'rename' : 'retype', table, column, 'expand'),
      summary: `add ${table}.${to}${cast ? ` (${type})` : ''}, kept equal to ${table}.${column} by a trigger`,
      why: [
        `Step 1 of ${verb}: the new column next to the old one, never a RENAME${cast ? ' or ALTER TYPE' : ''} (the servers of the previous release still use ${column}).`,
        `The trigger copies whichever column a release writes into the other, so the previous release and release N can run side by side.`,
        ...(notNull ? [`${table}.${column} is NOT NULL: the CHECK … NOT VALID holds new rows to it at once; release N+1 validates it and sets NOT NULL without a long lock.`] : []),
      ],
      outsideTransaction: false,
      statementTimeout: true,
      up,
      down: [ops.dropTrigger(table, bare(fn)), ops.dropFunction(fn), ops.dropColumn(table, to)],
    },
    {
      release: 'N',
      phase: 'backfill',
      slug: slug(intent.kind === 'rename-column' ? 'rename' : 'retype', table, column, 'backfill'),
      summary: `copy ${table}.${column} into ${table}.${to} for the rows that existed before, ${BATCH} rows at a time`,
      why: ['A migration of its own, outside a transaction: each batch commits, so no lock is held on the whole table and a failure keeps the batches done.'],
      outsideTransaction: true,
      statementTimeout: false,
      up: [
        {
          kind: 'backfill',
          table,
          key: pk ?? 'ctid',
          set: `${quote(to)} = ${quote(column)}${cast ? `::${type}` : ''}`,
          pending: `${quote(to)} IS NULL AND ${quote(column)} IS NOT NULL`,
        },
      ],
      down: [],
      downNote: `Nothing to undo: the down of the migration before drops ${table}.${to}.`,
    },
  ]
  if (notNull) {
    steps.push({
      release: 'N+1',
      phase: 'contract',
      slug: slug(intent.kind === 'rename-column' ? 'rename' : 'retype', table, column, 'validate'),
      summary: `validate ${check}: every row of ${table} has ${to}`,
      why: ['VALIDATE scans the table under a lock that lets reads and writes through: no statement_timeout, it may take long on a large table.'],
      outsideTransaction: false,
      statementTimeout: false,
      up: [ops.validateConstraint(table, check)],
      down: [],
      downNote: 'Nothing to undo: a validated constraint stays as it is until the next migration drops it.',
    })
  }
  steps.push({
    release: 'N+1',
    phase: 'contract',
    slug: slug(intent.kind === 'rename-column' ? 'rename' : 'retype', table, column, 'contract'),
    summary: `drop ${table}.${column} and its trigger${old.default && !cast ? `; ${table}.${to} takes its default` : ''}${notNull ? `; ${table}.${to} becomes NOT NULL` : ''}`,
    why: [
      `Release N reads and writes ${table}.${to} only: the old column goes a release later.`,
      ...(notNull ? [`SET NOT NULL finds the validated ${check} and does not scan the table (Postgres 12+); the check is then redundant.`] : []),
    ],
    outsideTransaction: false,
    statementTimeout: true,
    up: [
      // The default comes with the contract: while both columns exist a default on the new one would hide which one an INSERT wrote.
      ...(old.default && !cast ? [ops.setDefault(table, to, old.default.text)] : []),
      ...(notNull ? [ops.setNotNull(table, to), ops.dropConstraint(table, check)] : []),
      ops.dropTrigger(table, bare(fn)),
      ops.dropFunction(fn),
      ops.dropColumn(table, column),
    ],
    down: [
      ops.addColumn(table, column, old.type.text),
      ...syncTrigger({ table, name: fn, from: column, to, toType: cast ? type : null, fromType: cast ? old.type.text : null }),
      ...(notNull ? [ops.addCheckNotValid(table, check, `${quote(to)} IS NOT NULL`), ops.dropNotNull(table, to)] : []),
    ],
    downNote: `The down adds ${table}.${column} back empty${cast ? '' : ` (its values are in ${table}.${to})`} with the trigger: rows written from then on are kept equal.`,
  })
  const covered = coveringObjects(schema, table, column)
  return twoReleases(intent, steps, [
    `Read and write ${table}.${to} instead of ${table}.${column} everywhere (queries, ORM models and types, raw SQL)${cast ? `, as ${type}` : ''}; the trigger keeps ${column} equal for the servers of the previous release and for a revert to it.`,
    ...(covered.length ? [`Recreate on ${table}.${to} what ${table}.${column} has: ${covered.join(', ')} (a CONCURRENTLY index in a migration of its own).`] : []),
    ...(cast ? [`Check that every value converts before deploying: SELECT count(*) FROM ${table} WHERE ${quote(column)} IS NOT NULL AND ${quote(column)}::${type}::text IS DISTINCT FROM ${quote(column)}::text;`] : []),
  ])
}

function renameTable(intent: Extract<Intent, { kind: 'rename-table' }>, schema: Schema, stage: Stage): Recipe {
  const { table, to } = intent
  const target = withSchema(table, to)
  if (stage === 'expand') {
    if (!schema.table(table)) throw missingTable(schema, table)
    if (schema.table(target) || schema.views.has(target)) throw new UsageError(`${target} exists already: pick another name.`)
  } else if (!schema.table(target) || !schema.views.has(table)) {
    throw new UsageError(`${target} is not a table with a view ${table} over it: release N has not run here. Write it first: migrate-lint plan ${describeIntent(intent)}`)
  }
  return twoReleases(intent, [
    {
      release: 'N',
      phase: 'expand',
      slug: slug('rename', table, 'to', to),
      summary: `rename ${table} to ${to}, with a view ${table} over it for the previous release`,
      why: [
        `The rename and the view in one migration: the old name keeps answering. A view over one table is updatable, so the previous release keeps reading and writing ${table} through it.`,
      ],
      outsideTransaction: false,
      statementTimeout: true,
      up: [ops.renameTable(table, to), ops.createView(table, target)],
      down: [ops.dropView(table), ops.renameTable(target, bare(table))],
    },
    {
      release: 'N+1',
      phase: 'contract',
      slug: slug('rename', table, 'to', to, 'drop_view'),
      summary: `drop the view ${table}: release N uses ${to}`,
      why: [`Release N reads and writes ${to} only: the view under the old name goes a release later.`],
      outsideTransaction: false,
      statementTimeout: true,
      up: [ops.dropView(table)],
      down: [ops.createView(table, target)],
    },
  ], [
    `Use ${to} instead of ${table} everywhere (queries, ORM models and table names, raw SQL); the view answers for the previous release.`,
    `Add no column to ${to} before release N+1: the view would not show it (its SELECT * was expanded when it was made).`,
  ])
}

function setNotNull(intent: Extract<Intent, { kind: 'set-not-null' }>, schema: Schema, stage: Stage): Recipe {
  const { table, column } = intent
  const fill = intent.fill === null ? null : expressionFromInput(intent.fill)
  const col = existingColumn(schema, table, column)
  const t = `${table}.${column}`
  const check = generatedName(table, [column], 'not_null')
  const existing = schema.table(table)!.constraints.find(c => c.name === check)
  if (!col.nullable) throw new UsageError(`${t} is NOT NULL already.`)
  if (stage === 'expand' && existing) throw new UsageError(`${table} has a constraint ${check} already: write the contract with --contract if release N shipped.`)
  if (stage === 'contract' && !existing) throw new UsageError(`${table} has no constraint ${check}: release N has not run here. Write it first: migrate-lint plan ${describeIntent(intent)}`)
  const pk = primaryKey(schema.table(table)!)
  const steps: PlannedStep[] = [
    {
      release: 'N',
      phase: 'expand',
      slug: slug('not_null', table, column, 'check'),
      summary: `a CHECK (${column} IS NOT NULL) NOT VALID on ${table}: new rows must have ${column}, old rows are not scanned`,
      why: ['NOT VALID takes a short lock and checks no existing row; release N+1 validates it while reads and writes go on.'],
      outsideTransaction: false,
      statementTimeout: true,
      up: [ops.addCheckNotValid(table, check, `${quote(column)} IS NOT NULL`)],
      down: [ops.dropConstraint(table, check)],
    },
  ]
  if (fill !== null) {
    steps.push({
      release: 'N',
      phase: 'backfill',
      slug: slug('not_null', table, column, 'backfill'),
      summary: `set ${t} to ${fill} where it is NULL, ${BATCH} rows at a time`,
      why: ['A migration of its own, outside a transaction: each batch commits, so no lock is held on the whole table and a failure keeps the batches done.'],
      outsideTransaction: true,
      statementTimeout: false,
      up: [{ kind: 'backfill', table, key: pk ?? 'ctid', set: `${quote(column)} = ${fill}`, pending: `${quote(column)} IS NULL` }],
      down: [],
      downNote: 'Nothing to undo: which rows were NULL is not kept.',
    })
  }
  steps.push(
    {
      release: 'N+1',
      phase: 'contract',
      slug: slug('not_null', table, column, 'validate'),
      summary: `validate ${check}: fails if a row still has no ${column}`,
      why: ['VALIDATE scans the table under a lock that lets reads and writes through: no statement_timeout, it may take long on a large table.'],
      outsideTransaction: false,
      statementTimeout: false,
      up: [ops.validateConstraint(table, check)],
      down: [],
      downNote: 'Nothing to undo: the down of the next migration puts the column back as it was.',
    },
    {
      release: 'N+1',
      phase: 'contract',
      slug: slug('not_null', table, column),
      summary: `${t} becomes NOT NULL without a scan; the check is dropped`,
      why: [`SET NOT NULL finds the validated ${check} and does not scan the table (Postgres 12+); the check is then redundant.`],
      outsideTransaction: false,
      statementTimeout: true,
      up: [ops.setNotNull(table, column), ops.dropConstraint(table, check)],
      down: [ops.addCheckNotValid(table, check, `${quote(column)} IS NOT NULL`), ops.dropNotNull(table, column)],
    },
  )
  return twoReleases(intent, steps, [
    `Before release N: every INSERT and UPDATE of the code writes ${t} (a value, never NULL). The check holds new rows to it as soon as the migration runs, so the release before N must write it too — if it may not, ship that code first and this plan a release later.`,
    fill === null
      ? `Rows that are NULL now make the VALIDATE of release N+1 fail: count them (SELECT count(*) FROM ${table} WHERE ${quote(column)} IS NULL) and fix them, or plan again with --fill <sql> for a batched backfill.`
      : `The backfill sets ${fill} where ${t} is NULL.`,
  ])
}

function addForeignKey(intent: Extract<Intent, { kind: 'add-foreign-key' }>, schema: Schema, stage: Stage): Recipe {
  const { table, column, references } = intent
  existingColumn(schema, table, column)
  existingColumn(schema, references.table, references.column)
  const parent = schema.table(references.table)!
  const keyed =
    parent.constraints.some(c => (c.kind === 'primary-key' || c.kind === 'unique') && c.columns.length === 1 && c.columns[0] === references.column) ||
    schema.indexesOf(references.table).some(i => i.unique && i.columns.length === 1 && i.columns[0] === references.column)
  if (!keyed) throw new UsageError(`${references.table}.${references.column} is neither a primary key nor unique: a foreign key must reference one (plan add-unique ${references.table}.${references.column} first).`)
  const name = generatedName(table, [column], 'fkey')
  const existing = schema.table(table)!.constraints.find(c => c.name === name || (c.kind === 'foreign-key' && c.columns.join() === column))
  if (stage === 'expand' && existing) throw new UsageError(`${table} has a foreign key on ${column} already (${existing.name ?? 'unnamed'}): write the contract with --contract if release N shipped.`)
  if (stage === 'contract' && !existing) throw new UsageError(`${table} has no foreign key ${name}: release N has not run here. Write it first: migrate-lint plan ${describeIntent(intent)}`)
  const indexed = schema.indexesOf(table).some(i => i.columns[0] === column) || schema.table(table)!.constraints.some(c => (c.kind === 'primary-key' || c.kind === 'unique') && c.columns[0] === column)
  const index = generatedName(table, [column], 'idx')
  const steps: PlannedStep[] = []
  if (!indexed) {
    steps.push({
      release: 'N',
      phase: 'expand',
      slug: slug('fk', table, column, 'index'),
      summary: `index ${table} (${column}) CONCURRENTLY: deletes on ${references.table} then find the referencing rows without a scan`,
      why: [
        'CONCURRENTLY builds the index without blocking writes, and cannot run inside a transaction: a migration of its own.',
        'If the build fails it leaves an INVALID index: DROP INDEX CONCURRENTLY it and run the migration again.',
      ],
      outsideTransaction: true,
      statementTimeout: false,
      up: [ops.createIndexConcurrently(index, table, column, false)],
      down: [ops.dropIndexConcurrently(index, namespaceOf(table))],
    })
  }
  steps.push(
    {
      release: 'N',
      phase: 'expand',
      slug: slug('fk', table, column, 'not_valid'),
      summary: `the foreign key ${name} NOT VALID: new rows are checked, old rows are not scanned`,
      why: ['NOT VALID takes a short lock and checks no existing row; release N+1 validates it while reads and writes go on.'],
      outsideTransaction: false,
      statementTimeout: true,
      up: [ops.addForeignKeyNotValid(table, name, column, references)],
      down: [ops.dropConstraint(table, name)],
    },
    {
      release: 'N+1',
      phase: 'contract',
      slug: slug('fk', table, column, 'validate'),
      summary: `validate ${name}: fails if a row of ${table} references no ${references.table}`,
      why: ['VALIDATE scans the table under a lock that lets reads and writes through: no statement_timeout, it may take long on a large table.'],
      outsideTransaction: false,
      statementTimeout: false,
      up: [ops.validateConstraint(table, name)],
      down: [],
      downNote: 'Nothing to undo: the constraint stays; the down of release N drops it.',
    },
  )
  return twoReleases(intent, steps, [
    `Before release N: the code never writes a ${table}.${column} that has no ${references.table} row (and deletes ${table} rows before their ${references.table} row). The constraint holds new rows to it as soon as the migration runs.`,
    `Existing orphans make the VALIDATE of release N+1 fail: SELECT count(*) FROM ${table} c WHERE ${quote(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${references.table} p WHERE p.${quote(references.column)} = c.${quote(column)}); fix them before release N+1.`,
  ])
}

function addUnique(intent: Extract<Intent, { kind: 'add-unique' }>, schema: Schema, stage: Stage): Recipe {
  const { table, column } = intent
  existingColumn(schema, table, column)
  if (stage === 'contract') throw new UsageError(`add-unique has no contract: its migrations all ship in release N.`)
  const name = generatedName(table, [column], 'key')
  const unique = schema.table(table)!.constraints.find(c => (c.kind === 'unique' || c.kind === 'primary-key') && c.columns.length === 1 && c.columns[0] === column)
  if (unique) throw new UsageError(`${table}.${column} is unique already (${unique.name ?? unique.kind}).`)
  return {
    steps: [
      {
        release: 'N',
        phase: 'expand',
        slug: slug('unique', table, column, 'index'),
        summary: `build the unique index ${name} CONCURRENTLY: writes go on while it builds`,
        why: [
          'CONCURRENTLY cannot run inside a transaction: a migration of its own.',
          'If the build fails (a duplicate) it leaves an INVALID index: DROP INDEX CONCURRENTLY it, fix the duplicates, and run the migration again.',
        ],
        outsideTransaction: true,
        statementTimeout: false,
        up: [ops.createIndexConcurrently(name, table, column, true)],
        down: [ops.dropIndexConcurrently(name, namespaceOf(table))],
      },
      {
        release: 'N',
        phase: 'expand',
        slug: slug('unique', table, column),
        summary: `attach ${name} as the constraint: an instant, no second build`,
        why: ['ADD CONSTRAINT … UNIQUE USING INDEX takes the ACCESS EXCLUSIVE lock only for a moment: the index is built already.'],
        outsideTransaction: false,
        statementTimeout: true,
        up: [ops.addUniqueUsingIndex(table, name)],
        down: [ops.dropConstraint(table, name)],
        downNote: 'Dropping the constraint drops its index too; the down of the migration before finds none.',
      },
    ],
    checklist: [
      {
        release: 'N',
        items: [
          `Find duplicates before deploying: SELECT ${quote(column)}, count(*) FROM ${table} GROUP BY 1 HAVING count(*) > 1; the index build fails on the first one.`,
          `From the moment the index exists, an INSERT or UPDATE that repeats a ${column} fails, the previous release's too: make sure no release writes duplicates.`,
          'Nothing to contract in release N+1.',
        ],
      },
    ],
  }
}

const BATCH = '1,000'

/** A plan over two releases: the code of release N does `items`, then the contract follows. */
function twoReleases(intent: Intent, steps: PlannedStep[], items: string[]): Recipe {
  return {
    steps,
    checklist: [
      { release: 'N', items: [...items, 'Deploy release N with its migrations, and let it serve before release N+1: a revert to the release before still works.'] },
      contractChecklist(intent),
    ],
  }
}

/** Release N+1 comes once release N serves: the contract's migrations are written then, with --contract. */
function contractChecklist(intent: Intent): Recipe['checklist'][number] {
  return {
    release: 'N+1',
    items: [
      'Write these migrations once release N is deployed and serving (migrate-lint plan … --contract), and ship them with release N+1: a revert then goes back to release N, which no longer needs what they remove.',
      `Run migrate-lint on release N+1 (${describeIntent(intent)}): it checks that the code of release N uses nothing these migrations remove.`,
    ],
  }
}

function existingColumn(schema: Schema, table: string, column: string): Column {
  const t = schema.table(table)
  if (!t) throw missingTable(schema, table)
  const col = t.columns.get(column)
  if (!col) throw new UsageError(`${table} has no column ${column} in the schema the migrations build (its columns: ${[...t.columns.keys()].join(', ')}).`)
  return col
}

function missingTable(schema: Schema, table: string): UsageError {
  const hint = schema.views.has(table) ? ` (${table} is a view)` : schema.tables.size ? '' : ' (they create no table)'
  return new UsageError(`No table ${table} in the schema the migrations build${hint}: check the name, or the folder the plan reads (--dir).`)
}

function primaryKey(table: Table): string | null {
  const pk = table.constraints.find(c => c.kind === 'primary-key')
  return pk && pk.columns.length === 1 ? pk.columns[0] : null
}

/** The indexes and constraints that name the column: dropped with it, not carried to a copy. */
function coveringObjects(schema: Schema, table: string, column: string): string[] {
  const indexes = schema.indexesOf(table).filter(i => i.columns.includes(column)).map(i => `index ${i.name}`)
  const constraints = schema
    .table(table)!
    .constraints.filter(c => c.kind !== 'check' && c.columns.includes(column))
    .map(c => `${c.kind} ${c.name ?? '(unnamed)'}`)
  return [...indexes, ...constraints]
}

/** `billing.invoices` + `x` → `billing.x`: objects made for a table live in its schema. */
function withSchema(table: string, name: string): string {
  const ns = namespaceOf(table)
  return ns ? `${ns}.${name}` : name
}


/** A file-name part from names: `rename_users_name_expand`. */
function slug(...parts: string[]): string {
  return parts.join('_').replace(/\./g, '_').toLowerCase()
}
