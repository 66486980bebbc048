import { defineRule } from '../src/engine/rule.js'
import { listName, nodeAs, strings } from '../src/sql/ast.js'

export default defineRule({
  id: 'require-enum-value-ordering',
  category: 'style',
  severity: 'warning',
  summary: 'ALTER TYPE … ADD VALUE without BEFORE or AFTER appends the label last (squawk\'s rule, off by default).',
  docs: {
    why:
      'Enum labels sort in the order they were declared, and queries rely on it: WHERE status < \'approved\', ORDER ' +
      'BY status, max(status). A label added without BEFORE or AFTER goes to the end, so a new intermediate step ' +
      '(pending_review between submitted and approved) sorts after every existing label and silently falls out of ' +
      'those queries.',
    setup: "CREATE TYPE status AS ENUM ('draft', 'submitted', 'approved', 'rejected');",
    bad: "ALTER TYPE status ADD VALUE 'pending_review';",
    good: "ALTER TYPE status ADD VALUE 'pending_review' AFTER 'submitted';",
    fix: 'Say where the label goes: ADD VALUE … BEFORE \'…\' or AFTER \'…\'.',
  },
  messages: {
    unordered: "ALTER TYPE {{type}} ADD VALUE '{{label}}' appends it after every existing label: queries that compare or sort {{type}} values see it last.",
  },
  statementKinds: ['AlterEnumStmt'],
  statement(ctx) {
    const alter = nodeAs(ctx.statement.ast, 'AlterEnumStmt')
    if (!alter?.newVal || alter.oldVal || alter.newValNeighbor) return []
    const type = listName(strings(alter.typeName))
    return [{
      messageId: 'unordered',
      data: { type, label: alter.newVal },
      help: `ALTER TYPE ${type} ADD VALUE '${alter.newVal}' BEFORE '…'; (or AFTER '…') at the place it belongs in the order.`,
    }]
  },
})
