import type { Node } from '@pgsql/types'
import { defineRule, type StatementContext } from '../src/engine/rule.js'
import { listName, nodeAs, strings, typeNameOf } from '../src/sql/ast.js'

/** AlterDomainStmt.subtype: the commands that check the domain's values in every column of its type. */
const SCANNING: Record<string, 'addConstraint' | 'setNotNull' | 'validate'> = { C: 'addConstraint', O: 'setNotNull', V: 'validate' }

/** Constraints a domain can take; both are checked against every stored value when added. */
const SCANNED_KINDS = new Set(['CONSTR_CHECK', 'CONSTR_NOTNULL'])

export default defineRule({
  id: 'alter-domain-constraint',
  category: 'locking',
  severity: 'warning',
  summary: 'ALTER DOMAIN … ADD CONSTRAINT (without NOT VALID), SET NOT NULL or VALIDATE CONSTRAINT scans every column of the domain, blocking writes.',
  docs: {
    why:
      'A domain constraint holds for every column of the domain in every table. Adding one (without NOT VALID), ' +
      'setting the domain NOT NULL, or validating a NOT VALID one checks all their rows while holding a SHARE lock ' +
      'on each of those tables: no writes to any of them until the last row is checked. Unlike a table ' +
      "constraint, even the domain's VALIDATE CONSTRAINT blocks writes.",
    setup: 'CREATE DOMAIN amount AS numeric;\nCREATE TABLE payments (id bigint PRIMARY KEY, value amount);',
    bad: 'ALTER DOMAIN amount ADD CONSTRAINT amount_positive CHECK (VALUE > 0);',
    good:
      'ALTER TABLE payments ADD CONSTRAINT payments_value_positive CHECK (value > 0) NOT VALID;\n' +
      '-- then, in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on):\n' +
      '-- ALTER TABLE payments VALIDATE CONSTRAINT payments_value_positive;',
    fix:
      'Put the check on the columns instead: ALTER TABLE … ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE ' +
      'CONSTRAINT in a later migration, per table. A domain constraint added NOT VALID applies to new values only ' +
      'and is cheap; leave it unvalidated or validate it at a quiet time.',
  },
  messages: {
    addConstraint:
      'ALTER DOMAIN {{domain}} ADD CONSTRAINT {{constraint}} checks every value of {{columns}} under a SHARE lock: no ' +
      'writes to {{tables}} until the scan ends.',
    setNotNull:
      'ALTER DOMAIN {{domain}} SET NOT NULL checks every value of {{columns}} under a SHARE lock: no writes to ' +
      '{{tables}} until the scan ends.',
    validate:
      'ALTER DOMAIN {{domain}} VALIDATE CONSTRAINT {{constraint}} checks every value of {{columns}} under a SHARE ' +
      'lock, unlike a table\'s VALIDATE: no writes to {{tables}} until the scan ends.',
  },
  statementKinds: ['AlterDomainStmt'],
  statement(ctx) {
    const alter = nodeAs(ctx.statement.ast, 'AlterDomainStmt')
    const messageId = SCANNING[alter?.subtype ?? '']
    if (!alter || !messageId) return []
    const constraint = nodeAs(alter.def, 'Constraint')
    if (messageId === 'addConstraint' && (constraint?.skip_validation || !SCANNED_KINDS.has(constraint?.contype ?? ''))) return []
    const domain = listName(strings(alter.typeName))
    const users = columnsOf(ctx, domain)
    const existing = users.filter(u => ctx.existedBeforeRelease(u.table))
    // Only new tables hold its columns, or none can yet: the domain came with this migration.
    if (users.length ? !existing.length : madeEarlierInMigration(ctx, domain)) return []
    const tables = [...new Set(existing.map(u => u.table))]
    return [{
      messageId,
      data: {
        domain,
        constraint: constraint?.conname ?? alter.name ?? '(unnamed)',
        columns: existing.length ? existing.map(u => `${u.table}.${u.column}`).join(', ') : `every column of type ${domain}`,
        tables: tables.length ? tables.join(', ') : 'their tables',
      },
      table: tables[0],
    }]
  },
})

function columnsOf(ctx: StatementContext, domain: string): { table: string; column: string }[] {
  const out: { table: string; column: string }[] = []
  for (const table of ctx.schema.tables.values()) {
    for (const column of table.columns.values()) if (typeNameOf(column.type) === domain) out.push({ table: table.name, column: column.name })
  }
  return out
}

function madeEarlierInMigration(ctx: StatementContext, domain: string): boolean {
  return ctx.migration.up.slice(0, ctx.index).some(s => createdDomain(s.ast) === domain)
}

function createdDomain(ast: Node | null): string | undefined {
  const create = nodeAs(ast, 'CreateDomainStmt')
  return create ? listName(strings(create.domainname)) : undefined
}
