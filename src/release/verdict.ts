// The one verdict (DESIGN §7): revert-safe iff no unsuppressed revert-safety finding; a phase per migration.
import type { Finding, Migration, MigrationSummary, Phase, Release } from '../model.js'
import { alterTableCommands, droppedTables } from '../sql/statements.js'
import { kindOf } from '../sql/ast.js'

export function isBlocking(f: Finding): boolean {
  return f.category === 'revert-safety' && !f.suppressed
}

export function buildRelease(base: string | null, head: string, migrations: readonly Migration[], findings: readonly Finding[]): Release {
  const blocking = findings.filter(isBlocking)
  const summaries: MigrationSummary[] = migrations.map(m => {
    const own = findings.filter(f => f.migrationId === m.id && !f.suppressed)
    return { id: m.id, file: m.path, phase: phaseOf(m, own), findings: own.length }
  })
  return { base, head, migrations: summaries, revertSafe: blocking.length === 0, blocking }
}

export function phaseOf(migration: Migration, findings: readonly Finding[]): Phase {
  if (findings.some(isBlocking)) return 'breaking'
  if (migration.up.some(s => dropsSomething(s.ast))) return 'contract'
  if (migration.up.some(s => isDataChange(s.ast))) return 'migrate'
  return 'expand'
}

function dropsSomething(ast: Migration['up'][number]['ast']): boolean {
  if (droppedTables(ast).length) return true
  return alterTableCommands(ast).some(({ cmd }) => cmd.subtype === 'AT_DropColumn' || cmd.subtype === 'AT_DropConstraint')
}

function isDataChange(ast: Migration['up'][number]['ast']): boolean {
  const kind = kindOf(ast)
  return kind === 'UpdateStmt' || kind === 'DeleteStmt' || kind === 'TruncateStmt' || kind === 'InsertStmt'
}
