import { expect, it } from 'vitest'
import rule from '../../rules/rename-enum-value.js'
import { lintCase, runRule } from '../rule-tester.js'

const setup = "CREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TABLE people (id bigint PRIMARY KEY, feeling mood);"

runRule(rule, {
  valid: [
    { setup, sql: "ALTER TYPE mood ADD VALUE 'calm' BEFORE 'sad';" },
    { name: 'enum created in the same migration', sql: "CREATE TYPE t AS ENUM ('a');\nALTER TYPE t RENAME VALUE 'a' TO 'b';" },
    { name: 'enum created earlier in the release', earlierInRelease: "CREATE TYPE t AS ENUM ('a');", sql: "ALTER TYPE t RENAME VALUE 'a' TO 'b';" },
    { name: 'renaming the type itself is no label change', setup, sql: 'ALTER TYPE mood RENAME TO feeling;' },
    {
      name: "with code scanned, the label's literals decide (unproven-change)",
      setup,
      baseUsage: [{ table: 'people', column: 'feeling', kind: 'select', at: 'src/people.ts:3' }],
      sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';",
    },
  ],
  invalid: [
    { setup, sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';", findings: [{ messageId: 'renamed', line: 1, column: 1, endLine: 1, endColumn: 48 }] },
    {
      name: 'schema-qualified, after another statement',
      setup,
      sql: "SELECT 1;\nALTER TYPE public.mood\n  RENAME VALUE 'happy' TO 'glad';",
      findings: [{ messageId: 'renamed', line: 2, column: 1 }],
    },
    { name: 'an enum the migrations never created existed before', sql: "ALTER TYPE legacy_state RENAME VALUE 'a' TO 'b';", findings: [{ messageId: 'renamed', line: 1, column: 1 }] },
  ],
})

it('names the columns of the type and the additive plan', () => {
  const [finding] = lintCase({ setup, sql: "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';" }, [rule])
  expect(finding.message).toBe(
    "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy': no code was scanned, so nothing shows that the previous release " +
      "stopped using 'sad'; its code that writes or compares it in people.feeling fails during the deploy and after a revert " +
      '(invalid input value for enum).',
  )
  expect(finding.help).toMatch(/^ALTER TYPE mood ADD VALUE 'unhappy' AFTER 'sad';/)
})
