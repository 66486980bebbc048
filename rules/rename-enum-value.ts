import { defineRule } from '../src/engine/rule.js'
import { listName, nodeAs, strings, typeNameOf } from '../src/sql/ast.js'

export default defineRule({
  id: 'rename-enum-value',
  category: 'revert-safety',
  severity: 'error',
  summary: 'ALTER TYPE … RENAME VALUE of a label of an enum that existed before the release, with no code scanned to show the label unused.',
  docs: {
    why:
      'The new label replaces the old one in place, in every row and in the type itself, the moment the migration ' +
      'runs. The previous release, still serving during the deploy and running again after a revert, writes and ' +
      "compares the old label: its INSERTs and UPDATEs fail with \"invalid input value for enum\", and its WHERE " +
      "status = 'old' finds nothing or fails the same way. With the previous release's code scanned, a literal of the old " +
      'label in it makes the release unproven (unproven-change: no reader follows values) and none anywhere revert-safe; ' +
      'without, this rule reports it.',
    setup: "CREATE TYPE order_status AS ENUM ('open', 'shipped');\nCREATE TABLE orders (id bigint PRIMARY KEY, status order_status);",
    bad: "ALTER TYPE order_status RENAME VALUE 'shipped' TO 'dispatched';",
    good: "ALTER TYPE order_status ADD VALUE 'dispatched' AFTER 'shipped';",
    fix:
      'Add the new label (ALTER TYPE … ADD VALUE), make the code write it and read both, migrate the rows in ' +
      'batches, and stop using the old label in a later release (an enum label cannot be dropped: keep it unused).',
  },
  // With code scanned, the old label is searched for in it: unproven-change reports a literal of it
  // (no reader follows values), and none anywhere is revert-safe. Without, nothing shows it unused.
  messages: {
    renamed:
      "ALTER TYPE {{type}} RENAME VALUE '{{from}}' TO '{{to}}': no code was scanned, so nothing shows that the previous " +
      "release stopped using '{{from}}'; its code that writes or compares it{{columns}} fails during the deploy and after " +
      'a revert (invalid input value for enum).',
  },
  statementKinds: ['AlterEnumStmt'],
  statement(ctx) {
    const alter = nodeAs(ctx.statement.ast, 'AlterEnumStmt')
    if (!alter?.oldVal || !alter.newVal || ctx.code) return []
    const type = listName(strings(alter.typeName))
    if (!ctx.enumExistedBeforeRelease(type)) return []
    const columns: string[] = []
    for (const table of ctx.schema.tables.values()) {
      for (const column of table.columns.values()) if (typeNameOf(column.type) === type) columns.push(`${table.name}.${column.name}`)
    }
    return [{
      messageId: 'renamed',
      data: { type, from: alter.oldVal, to: alter.newVal, columns: columns.length ? ` in ${columns.join(', ')}` : '' },
      help:
        `ALTER TYPE ${type} ADD VALUE '${alter.newVal}' AFTER '${alter.oldVal}'; then write '${alter.newVal}' from the code ` +
        `and read both, update the rows in batches, and leave '${alter.oldVal}' unused from a later release on.`,
    }]
  },
})
