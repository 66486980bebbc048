import type { Constraint as PgConstraint } from '@pgsql/types'
import { defineRule, type Report } from '../src/engine/rule.js'
import type { Location } from '../src/model.js'
import type { Schema } from '../src/schema/schema.js'
import { nodeAs, relationName, strings } from '../src/sql/ast.js'
import { addedConstraints, columnConstraints } from '../src/sql/statements.js'

export default defineRule({
  id: 'foreign-key-without-index',
  category: 'locking',
  severity: 'warning',
  summary: 'A foreign key whose referencing columns no index leads with: deletes on the parent scan the child.',
  docs: {
    why:
      'Postgres indexes the referenced side of a foreign key, not the referencing one. Every DELETE (or key UPDATE) ' +
      'on the parent then scans the whole child table to check for references, holding locks while it does — ' +
      'a slow delete becomes a stalled one as the child grows. Any index whose leading columns are the ' +
      'referencing ones serves the check, in any order and with more columns after them: a primary key or a ' +
      'unique constraint that starts with them is enough.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);',
    bad: 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));',
    good:
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n' +
      'CREATE INDEX orders_user_id_idx ON orders (user_id);',
    fix: 'Create an index that starts with the referencing columns (CONCURRENTLY on an existing table).',
  },
  messages: {
    unindexed: 'The foreign key {{table}} ({{columns}}) → {{parent}} has no index leading with ({{columns}}): deletes on {{parent}} scan {{table}}.',
  },
  migration(ctx) {
    const reports: Report[] = []
    for (const fk of foreignKeysAdded(ctx.migration.up)) {
      if (!fk.columns.length || indexed(ctx.schema, fk)) continue
      reports.push({
        messageId: 'unindexed',
        data: { table: fk.table, columns: fk.columns.join(', '), parent: fk.parent },
        loc: fk.loc,
        // The index may come in a later migration of the release (eugene E15): then the release leaves none unindexed.
        holdsAtReleaseEnd: end => !indexed(end, fk),
        help: `CREATE INDEX CONCURRENTLY ${fk.table.replace(/\W/g, '_')}_${fk.columns.join('_')}_idx ON ${fk.table} (${fk.columns.join(', ')});`,
      })
    }
    return reports
  },
})

function indexed(schema: Schema, fk: ForeignKey): boolean {
  return schema.indexesOf(fk.table).some(index => leadsWith(index.columns, fk.columns))
}

/**
 * Whether an index serves the check a parent's DELETE runs (`WHERE a = $1 AND b = $2` on the child):
 * its leading columns are the key's, in any order. A primary key or unique constraint has such an
 * index too, and more columns after them change nothing (checked on Postgres: (y, x) serves (x, y)).
 */
function leadsWith(indexColumns: readonly string[], key: readonly string[]): boolean {
  const leading = new Set(indexColumns.slice(0, key.length))
  return key.every(column => leading.has(column))
}

interface ForeignKey {
  table: string
  columns: string[]
  parent: string
  loc: Location
}

function foreignKeysAdded(up: readonly { ast: Parameters<typeof addedConstraints>[0]; loc: Location }[]): ForeignKey[] {
  const found: ForeignKey[] = []
  const add = (table: string, c: PgConstraint, column: string | undefined, loc: Location) => {
    if (c.contype !== 'CONSTR_FOREIGN') return
    const columns = strings(c.fk_attrs).length ? strings(c.fk_attrs) : column ? [column] : []
    found.push({ table, columns, parent: relationName(c.pktable), loc })
  }
  for (const statement of up) {
    for (const { table, constraint, column } of addedConstraints(statement.ast)) add(table, constraint, column, statement.loc)
    const create = nodeAs(statement.ast, 'CreateStmt')
    if (!create) continue
    const table = relationName(create.relation)
    for (const element of create.tableElts ?? []) {
      const constraint = nodeAs(element, 'Constraint')
      if (constraint) add(table, constraint, undefined, statement.loc)
      const def = nodeAs(element, 'ColumnDef')
      if (def) for (const c of columnConstraints(def)) add(table, c, def.colname, statement.loc)
    }
  }
  return found
}
