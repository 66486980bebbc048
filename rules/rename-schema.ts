import { defineRule, type StatementContext } from '../src/engine/rule.js'
import { nodeAs } from '../src/sql/ast.js'
import { renamedSchema } from '../src/sql/breaking-ddl.js'

export default defineRule({
  id: 'rename-schema',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ALTER SCHEMA … RENAME of a schema the migrations show no table of (its tables are rename-table\'s findings).',
  docs: {
    why:
      'Renaming a schema renames every table, view, function and type in it at once. The previous release, still ' +
      'serving during the deploy and running again after a revert, names them by the old schema (billing.invoices, ' +
      'a search_path that lists it): every such query fails with "relation does not exist" until the code changes. ' +
      'rename-table reports each table of the schema the migrations made; this rule, a schema whose objects they do not show.',
    bad: 'ALTER SCHEMA billing RENAME TO finance;',
    good: '-- keep the schema name; give new objects the new schema and move them one release at a time\nCREATE SCHEMA finance;',
    fix:
      'Keep the old schema name, or move objects one at a time behind views or synonyms in the old schema (CREATE VIEW ' +
      'billing.invoices AS SELECT * FROM finance.invoices) until the previous release no longer names it.',
  },
  // The schema's tables the migrations made before the release are rename-table's findings, one each
  // with what the code says of it; this rule speaks for a schema whose objects the migrations do not show.
  messages: {
    renamed:
      'ALTER SCHEMA {{from}} RENAME TO {{to}}: the migrations show none of its tables, so its objects were made ' +
      'elsewhere, and code of the previous release that names {{from}}.… fails during the deploy and after a revert ' +
      '(relation does not exist).',
  },
  statementKinds: ['RenameStmt'],
  statement(ctx) {
    const rename = renamedSchema(ctx.statement.ast)
    if (!rename) return []
    const tables = tablesOf(ctx, rename.from)
    if (tables.length || createdEarlierInMigration(ctx, rename.from)) return []
    return [{ messageId: 'renamed', data: { from: rename.from, to: rename.to } }]
  },
})

/** The tables the model knows in the schema, as the model names them (`public` tables have no prefix), old or new. */
function tablesOf(ctx: StatementContext, schema: string): string[] {
  const out: string[] = []
  for (const name of ctx.schema.tables.keys()) {
    if (schema === 'public' ? !name.includes('.') : name.startsWith(`${schema}.`)) out.push(name)
  }
  return out
}

/** A schema this migration made before renaming it holds nothing the previous release knew. */
function createdEarlierInMigration(ctx: StatementContext, schema: string): boolean {
  return ctx.migration.up.slice(0, ctx.index).some(s => nodeAs(s.ast, 'CreateSchemaStmt')?.schemaname === schema)
}
