// docs/rules/<id>.md: one page per rule, as `npm run docs` writes it from the rule (the text `explain`
// prints), and the page each SARIF rule's helpUri names (issue 17, item 6).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { allRules } from '../../rules/index.js'
import { explainRule, ruleDocPage } from '../../src/report/rule-docs.js'
import { migrateLintTool, toSarifLog } from '../../src/report/sarif.js'
import { outcome } from './outcome.js'

const root = path.resolve(__dirname, '../..')
const folder = path.join(root, 'docs/rules')

describe('docs/rules', () => {
  it('holds a page for each rule and nothing else', () => {
    expect(fs.readdirSync(folder).sort()).toEqual(allRules.map(r => `${r.id}.md`).sort())
  })

  for (const rule of allRules) {
    it(`${rule.id}.md is current (else: npm run docs)`, () => {
      expect(fs.readFileSync(path.join(folder, `${rule.id}.md`), 'utf8')).toBe(ruleDocPage(rule))
    })
  }

  it('a page says what `explain` says: every line of its text is on the page', () => {
    for (const rule of allRules) {
      const page = ruleDocPage(rule)
      const lines = explainRule(rule.id).split('\n').slice(2).map(l => l.trim().replace(/:$/, '')).filter(Boolean)
      for (const line of lines) expect(page.replace(/^## /gm, ''), `${rule.id}: ${line}`).toContain(line.replace(/^Disable on one statement: /, ''))
    }
  })
})

describe('SARIF helpUri', () => {
  it('names the rule\'s page in the repository package.json names, a page that exists', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
    const tool = migrateLintTool()
    expect(tool.repository).toBe('https://github.com/migrate-lint/migrate-lint')
    expect(pkg.repository.url).toBe(`git+${tool.repository}.git`)
    const rules = toSarifLog(outcome([]), tool).runs[0].tool.driver.rules!
    expect(rules).toHaveLength(allRules.length)
    for (const rule of rules) {
      expect(rule.helpUri).toBe(`https://github.com/migrate-lint/migrate-lint/blob/main/docs/rules/${rule.id}.md`)
      expect(fs.existsSync(path.join(root, rule.helpUri!.split('/blob/main/')[1]))).toBe(true)
    }
  })
})
