import type { ColumnDef, Constraint } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import type { Report, StatementContext } from '../src/engine/rule.js'
import { kindOf, nodeAs, relationName, strings, typeInfo } from '../src/sql/ast.js'
import { alterTableCommands, columnConstraints } from '../src/sql/statements.js'
import { transactionAround } from '../src/sql/transactions.js'
import { addedNotValidInTransaction, defaultConstraintName, type AddedNotValid } from '../src/sql/not-valid-constraints.js'
import { isSerialType } from '../src/schema/volatility.js'
import { appendClause, columnList, quoteIdent, quoteQualified } from '../src/sql/lock-safe-ddl.js'

export default defineRule({
  id: 'constraint-without-not-valid',
  category: 'locking',
  severity: 'warning',
  summary: 'ADD CONSTRAINT … FOREIGN KEY / CHECK without NOT VALID on an existing table checks every row under a lock.',
  docs: {
    why:
      'Adding a FOREIGN KEY or CHECK constraint to a table with rows makes Postgres check every existing row ' +
      'before the statement ends. A CHECK holds an ACCESS EXCLUSIVE lock on the table all that time (no reads, no ' +
      'writes); a FOREIGN KEY blocks writes to both the table and the table it references. On a large table that ' +
      'is minutes of failed requests. Added NOT VALID, the constraint applies to new rows at once, and VALIDATE ' +
      'CONSTRAINT later checks the old rows under a lock that lets reads and writes through — later meaning after a ' +
      'commit: in the same transaction the lock the ADD took is still held. Likewise a REFERENCES on a new column ' +
      'keeps writes to the referenced table waiting for as long as its transaction goes on.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);',
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    good:
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n' +
      '-- and in the next migration: ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
    fix:
      'Add the constraint with NOT VALID, then run ALTER TABLE … VALIDATE CONSTRAINT … in a separate migration ' +
      '(in the same transaction the first lock would still be held).',
  },
  messages: {
    foreignKey:
      'ADD CONSTRAINT {{constraint}} FOREIGN KEY on {{table}} without NOT VALID checks every existing row of {{table}} while blocking writes to {{table}} and {{referenced}}.',
    check:
      'ADD CONSTRAINT {{constraint}} CHECK on {{table}} without NOT VALID scans every row of {{table}} under an ACCESS EXCLUSIVE lock: reads and writes of {{table}} wait until it is done.',
    columnForeignKey:
      'ADD COLUMN {{table}}.{{column}} with a DEFAULT and REFERENCES {{referenced}} checks every existing row of {{table}} against {{referenced}} under an ACCESS EXCLUSIVE lock on {{table}}, blocking writes to {{referenced}}.',
    columnCheck:
      'ADD COLUMN {{table}}.{{column}} with a CHECK scans every row of {{table}} under an ACCESS EXCLUSIVE lock to validate it.',
    validatedInTransaction:
      'VALIDATE CONSTRAINT {{constraint}} on {{table}} runs in the same transaction as its ADD … NOT VALID (line {{line}}): ' +
      'the {{lock}} that ADD took is held through the whole scan, so NOT VALID gains nothing.',
    columnForeignKeyHeld:
      'ADD COLUMN {{table}}.{{column}} REFERENCES {{referenced}} takes a SHARE ROW EXCLUSIVE lock on {{referenced}} that ' +
      'its transaction holds until it commits: writes to {{referenced}} wait while lines {{from}}–{{to}} run.',
  },
  statementKinds: ['AlterTableStmt'],
  statement(ctx) {
    const commands = alterTableCommands(ctx.statement.ast)
    const reports: Report[] = []
    for (const { table, cmd } of commands) {
      if (!ctx.existedBeforeRelease(table)) continue
      if (cmd.subtype === 'AT_AddConstraint') {
        const constraint = nodeAs(cmd.def, 'Constraint')
        if (!constraint || !validates(constraint)) continue
        const alone = commands.length === 1 ? ctx.statement.sql : null
        reports.push(tableConstraint(table, constraint, alone))
      }
      if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
        const added = addedNotValidInTransaction(ctx.migration.up, ctx.index, table, cmd.name)
        if (added) reports.push(validatedTooSoon(table, cmd.name, added))
      }
      const def = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined
      if (def) reports.push(...columnConstraintReports(ctx, table, def))
    }
    return reports
  },
})

function validatedTooSoon(table: string, name: string, added: AddedNotValid): Report {
  const lock = added.constraint.contype === 'CONSTR_FOREIGN'
    ? `SHARE ROW EXCLUSIVE lock on ${table} and ${relationName(added.constraint.pktable)} (no writes to either)`
    : `ACCESS EXCLUSIVE lock on ${table} (no reads, no writes)`
  return {
    messageId: 'validatedInTransaction',
    data: { constraint: name, table, line: added.line, lock },
    table,
    help: `Commit between the two: run ALTER TABLE ${quoteQualified(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}; in a migration of its own.`,
  }
}

/**
 * The statements after the context's one in its transaction that do something (not COMMIT, not SET):
 * a lock taken by the statement is held while they run. Null when there are none.
 */
function laterWorkInTransaction(ctx: StatementContext): { from: number; to: number } | null {
  if (!ctx.statement.inTransaction) return null
  const up = ctx.migration.up
  const { end } = transactionAround(up, ctx.index)
  const lines: number[] = []
  for (let j = ctx.index + 1; j <= end; j++) {
    const kind = kindOf(up[j].ast)
    if (kind !== 'TransactionStmt' && kind !== 'VariableSetStmt') lines.push(up[j].loc.line)
  }
  return lines.length ? { from: lines[0], to: lines[lines.length - 1] } : null
}

function validates(c: Constraint): boolean {
  return (c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK') && !c.skip_validation
}

/** `statement` is the statement's text when the constraint is all it adds, so the help can reuse it verbatim. */
function tableConstraint(table: string, c: Constraint, statement: string | null): Report {
  const foreign = c.contype === 'CONSTR_FOREIGN'
  const name = c.conname ?? defaultConstraintName(table, c, [])
  const shown = c.conname ?? '(unnamed)'
  const add = statement
    ? `${appendClause(statement, 'NOT VALID')};`
    : `ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${quoteIdent(name)} ${foreign ? foreignKeyClause(c, strings(c.fk_attrs)) : 'CHECK (…)'} NOT VALID;`
  const help = twoSteps(table, name, add, statement !== null && c.conname === undefined)
  if (foreign) return { messageId: 'foreignKey', data: { constraint: shown, table, referenced: relationName(c.pktable) }, table, help }
  return { messageId: 'check', data: { constraint: shown, table }, table, help }
}

function columnConstraintReports(ctx: StatementContext, table: string, def: ColumnDef): Report[] {
  const column = def.colname ?? '?'
  const constraints = columnConstraints(def)
  // Postgres skips checking an inline foreign key when the new column is all NULL, i.e. has no default.
  const filled = Boolean(def.raw_default) || isSerialType(typeInfo(def.typeName).name) ||
    constraints.some(c => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_GENERATED')
  const reports: Report[] = []
  for (const c of constraints) {
    if (c.contype === 'CONSTR_FOREIGN' && !filled && !c.skip_validation) {
      // Not checked row by row, but the lock on the referenced table lasts as long as the transaction.
      // A referenced table new in the release is written by no code yet (one made earlier in the same
      // transaction no other session can even see), so that lock keeps nobody waiting.
      if (!ctx.existedBeforeRelease(relationName(c.pktable))) continue
      const later = laterWorkInTransaction(ctx)
      if (later) reports.push(heldReferenceLock(table, column, c, later))
      continue
    }
    if (!validates(c)) continue
    const name = c.conname ?? defaultConstraintName(table, c, [column])
    const clause = c.contype === 'CONSTR_FOREIGN' ? foreignKeyClause(c, [column]) : 'CHECK (…)'
    const add =
      `ALTER TABLE ${quoteQualified(table)} ADD COLUMN ${quoteIdent(column)} …;  -- the same column, without this constraint\n` +
      `ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${quoteIdent(name)} ${clause} NOT VALID;`
    const help = twoSteps(table, name, add, false)
    if (c.contype === 'CONSTR_FOREIGN') {
      reports.push({ messageId: 'columnForeignKey', data: { table, column, referenced: relationName(c.pktable) }, table, help })
    } else {
      reports.push({ messageId: 'columnCheck', data: { table, column }, table, help })
    }
  }
  return reports
}

function heldReferenceLock(table: string, column: string, c: Constraint, later: { from: number; to: number }): Report {
  const referenced = relationName(c.pktable)
  return {
    messageId: 'columnForeignKeyHeld',
    data: { table, column, referenced, from: later.from, to: later.to },
    table,
    help:
      `Commit right after it: put ALTER TABLE ${quoteQualified(table)} ADD COLUMN ${quoteIdent(column)} … REFERENCES ${quoteQualified(referenced)} ` +
      'at the end of its transaction or in a migration of its own, so the lock on the referenced table is released at once.',
  }
}

function twoSteps(table: string, name: string, add: string, generated: boolean): string {
  const which = generated ? '  -- the name Postgres gives it' : ''
  return `${add}\n-- then, in a separate migration:\nALTER TABLE ${quoteQualified(table)} VALIDATE CONSTRAINT ${quoteIdent(name)};${which}`
}

const ACTIONS: Record<string, string> = { r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }

function foreignKeyClause(c: Constraint, columns: string[]): string {
  const parts = [`FOREIGN KEY ${columnList(columns)} REFERENCES ${quoteQualified(relationName(c.pktable))}`]
  const referenced = strings(c.pk_attrs)
  if (referenced.length) parts[0] += ` ${columnList(referenced)}`
  if (c.fk_matchtype === 'f') parts.push('MATCH FULL')
  const onDelete = ACTIONS[c.fk_del_action ?? '']
  const setColumns = strings(c.fk_del_set_cols)
  if (onDelete) parts.push(`ON DELETE ${onDelete}${setColumns.length ? ` ${columnList(setColumns)}` : ''}`)
  const onUpdate = ACTIONS[c.fk_upd_action ?? '']
  if (onUpdate) parts.push(`ON UPDATE ${onUpdate}`)
  if (c.deferrable) parts.push(c.initdeferred ? 'DEFERRABLE INITIALLY DEFERRED' : 'DEFERRABLE')
  return parts.join(' ')
}
