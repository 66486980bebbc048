// Every rule is complete (STYLE.md): id = file name, docs filled, a test file, messages used,
// and its docs are tests too: `bad` yields the rule, `good` yields none.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Rule } from '../../src/engine/rule.js'
import { loadParser } from '../../src/parse/sql.js'
import { kindOf, type NodeKind } from '../../src/sql/ast.js'
import { allRules } from '../../rules/index.js'
import { lintCase } from '../rule-tester.js'

beforeAll(() => loadParser())

const rulesDir = path.resolve(__dirname, '../../rules')

describe('rule catalogue', () => {
  it('registers every rule file once, sorted by id', () => {
    const files = fs.readdirSync(rulesDir).filter(f => f.endsWith('.ts') && f !== 'index.ts').map(f => f.replace(/\.ts$/, ''))
    const ids = allRules.map(r => r.id)
    expect(ids).toEqual([...files].sort())
    expect(new Set(ids).size).toBe(ids.length)
  })

  for (const rule of allRules) {
    describe(rule.id, () => {
      it('has docs, messages and a test file', () => {
        for (const key of ['why', 'bad', 'good', 'fix'] as const) expect(rule.docs[key].trim().length, key).toBeGreaterThan(10)
        expect(rule.summary.length).toBeGreaterThan(10)
        expect(Object.keys(rule.messages).length).toBeGreaterThan(0)
        expect(fs.existsSync(path.resolve(__dirname, `${rule.id}.test.ts`)), `test/rules/${rule.id}.test.ts`).toBe(true)
      })

      if (rule.docs.examples === 'file-names') return

      it('its bad example yields it', () => {
        const found = lintCase({ setup: rule.docs.setup, sql: rule.docs.bad }).filter(f => f.ruleId === rule.id && !f.suppressed)
        expect(found.length).toBeGreaterThan(0)
      })

      it('its good example does not', () => {
        const found = lintCase({ setup: rule.docs.setup, sql: rule.docs.good }).filter(f => f.ruleId === rule.id && !f.suppressed)
        expect(found.map(f => f.message)).toEqual([])
      })

      // The engine runs it on these kinds only (test/engine/statement-kinds.test.ts checks more texts).
      const declared = rule.statementKinds
      if (declared) {
        it('its bad example yields it only on the statement kinds it declares', () => {
          const kinds = new Set<NodeKind | undefined>()
          const everywhere: Rule = {
            ...rule,
            statementKinds: undefined,
            statement(ctx) {
              const reports = rule.statement!(ctx)
              if (reports.length) kinds.add(kindOf(ctx.statement.ast))
              return reports
            },
          }
          lintCase({ setup: rule.docs.setup, sql: rule.docs.bad }, [everywhere])
          expect(kinds.size).toBeGreaterThan(0)
          expect([...kinds].filter(kind => !kind || !declared.includes(kind)).map(kind => kind ?? 'unparsed')).toEqual([])
        })
      }
    })
  }
})

describe('README', () => {
  it('lists every rule, as `npm run docs` writes the table', async () => {
    const { rulesMarkdownTable } = await import('../../src/report/rule-docs.js')
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')
    expect(readme).toContain(`<!-- rules:start -->\n${rulesMarkdownTable()}\n<!-- rules:end -->`)
  })
})
