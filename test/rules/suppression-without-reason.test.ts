import { beforeAll, describe, expect, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { lintCase } from '../rule-tester.js'

beforeAll(() => loadParser())

const setup = 'CREATE TABLE users (id bigint PRIMARY KEY);'
const findings = (sql: string) =>
  lintCase({ setup, sql })
    .filter(f => ['not-null-without-default', 'suppression-without-reason'].includes(f.ruleId))
    .map(f => [f.ruleId, f.line, f.column, f.severity, Boolean(f.suppressed)])

describe('suppression-without-reason', () => {
  it('is an error at the comment; the suppression still applies', () => {
    expect(findings('SELECT 1;\n-- migrate-lint-disable-next-line not-null-without-default\nALTER TABLE users ADD COLUMN a int NOT NULL;')).toEqual([
      ['not-null-without-default', 3, 1, 'error', true],
      ['suppression-without-reason', 2, 1, 'error', false],
    ])
  })

  it('an empty reason after the dashes is no reason', () => {
    expect(findings('-- migrate-lint-disable-next-line not-null-without-default --\nALTER TABLE users ADD COLUMN a int NOT NULL;')).toContainEqual(
      ['suppression-without-reason', 1, 1, 'error', false],
    )
  })

  it('is quiet with a reason', () => {
    expect(findings('-- migrate-lint-disable-next-line not-null-without-default -- empty in every environment\nALTER TABLE users ADD COLUMN a int NOT NULL;')).toEqual([
      ['not-null-without-default', 2, 1, 'error', true],
    ])
  })
})
