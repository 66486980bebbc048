import rule from '../../rules/require-enum-value-ordering.js'
import { runRule } from '../rule-tester.js'

const setup = "CREATE TYPE status AS ENUM ('draft', 'submitted', 'approved', 'rejected');"

runRule(rule, {
  valid: [
    { setup, sql: "ALTER TYPE status ADD VALUE 'pending_review' BEFORE 'approved';" },
    { setup, sql: "ALTER TYPE status ADD VALUE IF NOT EXISTS 'pending_review' AFTER 'submitted';" },
    { name: 'renaming a label is no addition', setup, sql: "ALTER TYPE status RENAME VALUE 'draft' TO 'new';" },
  ],
  invalid: [
    { setup, sql: "ALTER TYPE status ADD VALUE 'pending_review';", findings: [{ messageId: 'unordered', line: 1, column: 1, endLine: 1, endColumn: 45 }] },
    { setup, sql: "SELECT 1;\nALTER TYPE public.status\n  ADD VALUE IF NOT EXISTS 'archived';", findings: [{ messageId: 'unordered', line: 2, column: 1 }] },
  ],
})
