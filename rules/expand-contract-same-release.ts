import { defineRule } from '../src/engine/rule.js'
import type { Statement } from '../src/model.js'
import { nodeAs, relationName, strings, visit } from '../src/sql/ast.js'
import { droppedColumns, renamedColumn } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'expand-contract-same-release',
  category: 'revert-safety',
  severity: 'error',
  summary: 'The release adds a replacement column and drops or renames the old one of the same table.',
  docs: {
    why:
      'Expand and contract only works across releases: the new column ships first, the code moves to it, and ' +
      'the old column goes only after no running release reads it. Doing both in one release means the previous ' +
      'release — still serving traffic during the deploy, and the one a revert goes back to — loses its column.',
    setup: 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
    bad: 'ALTER TABLE users ADD COLUMN email_address text;\nUPDATE users SET email_address = email;\nALTER TABLE users DROP COLUMN email;',
    good: '-- release N: expand, and the code writes both columns\nALTER TABLE users ADD COLUMN email_address text;',
    fix:
      'Release N: add the new column, write both; release N+1: backfill and read the new one; ' +
      'release N+2: drop the old column.',
  },
  messages: {
    sameRelease:
      'This release adds {{added}} to {{table}} and {{verb}} {{table}}.{{column}}: expand and contract in one release.',
  },
  statementKinds: ['AlterTableStmt', 'RenameStmt'],
  statement(ctx) {
    const copied = copiesInMigration(ctx.migration.up)
    // Only a column that replaces the old one: filled from it by an UPDATE, or named after it.
    const added = (table: string, old: string) =>
      [...(ctx.schema.table(table)?.columns.values() ?? [])]
        .filter(c => !ctx.columnExistedBeforeRelease(table, c.name))
        .filter(c => copied.has(`${table}.${c.name}<-${old}`) || relatedNames(c.name, old))
        .map(c => `${table}.${c.name}`)
    const targets = [
      ...droppedColumns(ctx.statement.ast).map(d => ({ ...d, verb: 'drops' })),
      ...[renamedColumn(ctx.statement.ast)].filter(r => r !== undefined).map(r => ({ table: r.table, column: r.from, verb: 'renames' })),
    ]
    return targets
      .filter(t => ctx.existedBeforeRelease(t.table) && ctx.columnExistedBeforeRelease(t.table, t.column))
      .flatMap(t => {
        const replacements = added(t.table, t.column)
        if (!replacements.length) return []
        return [{
          messageId: 'sameRelease',
          data: { table: t.table, column: t.column, verb: t.verb, added: replacements.join(', ') },
          help:
            `Release N: ADD ${replacements.join(', ')} and write both; release N+1: backfill, read the new column; ` +
            `release N+2: drop ${t.table}.${t.column}.`,
        }]
      })
  },
})

/** `UPDATE t SET new = <expression of old>` pairs, as `t.new<-old`. */
function copiesInMigration(up: readonly Statement[]): Set<string> {
  const pairs = new Set<string>()
  for (const statement of up) {
    const update = nodeAs(statement.ast, 'UpdateStmt')
    if (!update) continue
    const table = relationName(update.relation)
    for (const target of update.targetList ?? []) {
      const res = nodeAs(target, 'ResTarget')
      if (!res?.name) continue
      visit(res.val, node => {
        const fields = strings(nodeAs(node, 'ColumnRef')?.fields)
        if (fields.length) pairs.add(`${table}.${res.name}<-${fields[fields.length - 1]}`)
      })
    }
  }
  return pairs
}

/** `email` / `email_address`, `name` / `full_name`: one name holds the other as a whole word. */
function relatedNames(a: string, b: string): boolean {
  const words = (name: string) => name.toLowerCase().split(/[_\W]+/).filter(Boolean)
  const [short, long] = a.length <= b.length ? [words(a), words(b)] : [words(b), words(a)]
  return short.length > 0 && short.every(w => long.includes(w))
}
