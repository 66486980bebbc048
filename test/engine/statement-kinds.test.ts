// Statement rules that declare their kinds run on statements of those kinds only (src/engine/lint.ts).
// A declaration narrower than what `statement()` reports on drops findings without a sound, so the
// findings with and without the declarations must be the same over every SQL text the tests hold.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { parseSync } from 'oxc-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { allRules } from '../../rules/index.js'
import type { Rule, StatementContext } from '../../src/engine/rule.js'
import type { Finding } from '../../src/model.js'
import { loadParser } from '../../src/parse/sql.js'
import { kindOf } from '../../src/sql/ast.js'
import { migrationText } from '../fuzz/grammar.js'
import { FIXTURE_TEXTS } from '../fuzz/mutate.js'
import { lintCase, type Case } from '../rule-tester.js'

beforeAll(() => loadParser())

const ROOT = path.resolve(import.meta.dirname, '../..')

/** The same rules, each run on every statement. */
const undeclared: readonly Rule[] = allRules.map(rule => ({ ...rule, statementKinds: undefined }))

/** The string constants of a test file (`'…'`, `` `…` `` without `${}`, and `'…' + '…'`) that may be SQL. */
function sqlLiterals(file: string): string[] {
  const { program } = parseSync(file, fs.readFileSync(file, 'utf8'), { lang: 'ts' })
  const out: string[] = []
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) return node.forEach(walk)
    const text = constantString(node)
    if (text !== undefined) {
      if (/(^|\n)\s*(create|alter|drop|update|insert|delete|truncate|reindex|vacuum|cluster|begin|commit|set|lock|select|-- migrate:up)\b/i.test(text)) out.push(text)
      return
    }
    for (const value of Object.values(node)) walk(value)
  }
  walk(program)
  return out
}

function constantString(node: object): string | undefined {
  const n = node as { type?: string; value?: unknown; expressions?: unknown[]; quasis?: { value: { cooked?: string } }[]; operator?: string; left?: object; right?: object }
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value
  if (n.type === 'TemplateLiteral' && n.expressions?.length === 0) return n.quasis?.[0].value.cooked
  if (n.type === 'BinaryExpression' && n.operator === '+' && n.left && n.right) {
    const left = constantString(n.left)
    const right = constantString(n.right)
    return left !== undefined && right !== undefined ? left + right : undefined
  }
  return undefined
}

function corpus(): Case[] {
  const testFiles = ['test/rules', 'test/parse', 'test/release'].flatMap(dir =>
    fs.readdirSync(path.join(ROOT, dir)).filter(f => f.endsWith('.test.ts')).map(f => path.join(ROOT, dir, f)),
  )
  const texts = new Set([...testFiles.flatMap(sqlLiterals), ...FIXTURE_TEXTS, ...fc.sample(migrationText, { seed: 7, numRuns: 300 })])
  const docs = allRules.filter(r => r.docs.examples !== 'file-names').flatMap(r => [r.docs.bad, r.docs.good].map(sql => ({ setup: r.docs.setup, sql })))
  // In a transaction too: some rules report only there (concurrently-in-transaction, SET LOCAL).
  return [...docs, ...[...texts].flatMap(sql => [{ sql }, { sql, inTransaction: true }])]
}

const shown = (findings: Finding[]) => findings.map(f => `${f.ruleId} ${f.line}:${f.column} ${f.message}`)

describe('statement kinds', () => {
  it('declared kinds change no finding', () => {
    const cases = corpus()
    expect(cases.length).toBeGreaterThan(500)
    const mismatches: { sql: string; only: string[] }[] = []
    const fired = new Set<string>()
    for (const c of cases) {
      const everywhere = shown(lintCase(c, undeclared))
      const dispatched = shown(lintCase(c, allRules))
      for (const f of everywhere) fired.add(f.split(' ')[0])
      if (everywhere.join('\n') !== dispatched.join('\n')) {
        mismatches.push({ sql: c.sql.slice(0, 300), only: everywhere.filter(f => !dispatched.includes(f)) })
      }
    }
    expect(mismatches).toEqual([])
    // The comparison says nothing about a declaration the corpus never exercises.
    const unexercised = allRules.filter(r => r.statementKinds && !fired.has(r.id)).map(r => r.id)
    expect(unexercised).toEqual([])
  })

  it('runs a rule with kinds on those only, a rule without on every statement, unparsed too, in rule order', () => {
    const calls: string[] = []
    const probe = (id: string, statementKinds?: Rule['statementKinds']): Rule => ({
      ...allRules[0],
      id,
      statementKinds,
      statement(ctx: StatementContext) {
        calls.push(`${id} ${ctx.index} ${kindOf(ctx.statement.ast) ?? 'unparsed'}`)
        return []
      },
      migration: undefined,
    })
    lintCase({ sql: 'SELECT 1;\nTRUNCATE t;\nSELEC 2;\nCREATE INDEX i ON t (a);' }, [probe('a', ['IndexStmt', 'TruncateStmt']), probe('b'), probe('c', ['IndexStmt'])])
    expect(calls).toEqual([
      'b 0 SelectStmt',
      'a 1 TruncateStmt', 'b 1 TruncateStmt',
      'b 2 unparsed',
      'a 3 IndexStmt', 'b 3 IndexStmt', 'c 3 IndexStmt',
    ])
  })
})
