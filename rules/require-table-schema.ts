import type { RangeVar } from '@pgsql/types'
import { defineRule } from '../src/engine/rule.js'
import { nodeAs, strings } from '../src/sql/ast.js'

export default defineRule({
  id: 'require-table-schema',
  category: 'style',
  severity: 'warning',
  summary: 'CREATE / ALTER / DROP TABLE of a table name without its schema (squawk\'s rule, off by default).',
  docs: {
    why:
      'An unqualified table name is looked up along the search_path of the session that runs the migration. A ' +
      'runner, a role or a tool with another search_path creates the table in another schema, or alters or drops ' +
      'a table of the same name in another schema than the one meant.',
    bad: 'CREATE TABLE posts (id bigint PRIMARY KEY);',
    good: 'CREATE TABLE public.posts (id bigint PRIMARY KEY);',
    fix: 'Name the schema: public.posts rather than posts.',
  },
  messages: {
    unqualified: '{{statement}} {{table}} does not name its schema: which table it means depends on the search_path of the session.',
  },
  statementKinds: ['CreateStmt', 'CreateTableAsStmt', 'AlterTableStmt', 'DropStmt'],
  statement(ctx) {
    const ast = ctx.statement.ast
    const report = (statement: string, table: string) => ({ messageId: 'unqualified', data: { statement, table }, help: `Write public.${table} (or the schema it belongs in).` })
    // Temporary tables live in the session's own schema: there is nothing to qualify.
    const unqualified = (rel: RangeVar | undefined) => Boolean(rel?.relname && !rel.schemaname && rel.relpersistence !== 't')
    const create = nodeAs(ast, 'CreateStmt')
    if (create) return unqualified(create.relation) ? [report('CREATE TABLE', create.relation!.relname!)] : []
    const createAs = nodeAs(ast, 'CreateTableAsStmt')
    if (createAs) return createAs.objtype === 'OBJECT_TABLE' && unqualified(createAs.into?.rel) ? [report('CREATE TABLE … AS', createAs.into!.rel!.relname!)] : []
    const alter = nodeAs(ast, 'AlterTableStmt')
    if (alter) return alter.objtype === 'OBJECT_TABLE' && unqualified(alter.relation) ? [report('ALTER TABLE', alter.relation!.relname!)] : []
    const drop = nodeAs(ast, 'DropStmt')
    if (drop?.removeType !== 'OBJECT_TABLE') return []
    return (drop.objects ?? [])
      .map(o => strings(nodeAs(o, 'List')?.items))
      .filter(names => names.length === 1)
      .map(names => report('DROP TABLE', names[0]))
  },
})
