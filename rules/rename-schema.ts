import { defineRule, type StatementContext } from '../src/engine/rule.js'
import { nodeAs } from '../src/sql/ast.js'
import { renamedSchema } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'rename-schema',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ALTER SCHEMA … RENAME of a schema that existed before the release.',
  docs: {
    why:
      'Renaming a schema renames every table, view, function and type in it at once. The previous release, still ' +
      'serving during the deploy and running again after a revert, names them by the old schema (billing.invoices, ' +
      'a search_path that lists it): every such query fails with "relation does not exist" until the code changes.',
    setup: 'CREATE SCHEMA billing;\nCREATE TABLE billing.invoices (id bigint PRIMARY KEY);',
    bad: 'ALTER SCHEMA billing RENAME TO finance;',
    good: '-- keep the schema name; give new objects the new schema and move them one release at a time\nCREATE SCHEMA finance;',
    fix:
      'Keep the old schema name, or move objects one at a time behind views or synonyms in the old schema (CREATE VIEW ' +
      'billing.invoices AS SELECT * FROM finance.invoices) until the previous release no longer names it.',
  },
  messages: {
    renamed:
      'ALTER SCHEMA {{from}} RENAME TO {{to}}: code of the previous release that names {{from}}.…{{tables}} fails ' +
      'during the deploy and after a revert (relation does not exist).',
  },
  statementKinds: ['RenameStmt'],
  statement(ctx) {
    const rename = renamedSchema(ctx.statement.ast)
    if (!rename) return []
    const tables = tablesOf(ctx, rename.from)
    if (createdInRelease(ctx, rename.from, tables)) return []
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ` and ${tables.length - 5} more` : '')
    return [{ messageId: 'renamed', data: { from: rename.from, to: rename.to, tables: tables.length ? ` (${shown})` : '' } }]
  },
})

/** The tables the model knows in the schema, as the model names them (`public` tables have no prefix). */
function tablesOf(ctx: StatementContext, schema: string): string[] {
  const out: string[] = []
  for (const name of ctx.schema.tables.keys()) {
    if (schema === 'public' ? !name.includes('.') : name.startsWith(`${schema}.`)) out.push(name)
  }
  return out
}

/**
 * New in the release when this migration created it before the rename, or when every table the model
 * knows in it is new. A schema the migrations never mention existed before, like any unknown table.
 */
function createdInRelease(ctx: StatementContext, schema: string, tables: string[]): boolean {
  for (let i = 0; i < ctx.index; i++) {
    if (nodeAs(ctx.migration.up[i].ast, 'CreateSchemaStmt')?.schemaname === schema) return true
  }
  return tables.length > 0 && tables.every(t => !ctx.existedBeforeRelease(t))
}
