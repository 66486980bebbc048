#!/usr/bin/env node
// `npm run docs`: rewrites the rule table in README.md and the rule pages docs/rules/<id>.md (the text
// of `migrate-lint explain <id>`, which SARIF helpUri links to) from the rules' own metadata.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ruleDocPages, rulesMarkdownTable } from '../dist/src/report/rule-docs.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const readme = path.join(root, 'README.md')
const text = fs.readFileSync(readme, 'utf8')
const updated = text.replace(/(<!-- rules:start -->\n)[\s\S]*?(\n<!-- rules:end -->)/, `$1${rulesMarkdownTable()}$2`)
fs.writeFileSync(readme, updated)
console.log(updated === text ? 'README.md rule table is up to date.' : 'README.md rule table updated.')

// The folder holds the pages of the rules there are: a page of a removed or renamed rule goes.
const pages = ruleDocPages()
const folder = path.join(root, 'docs/rules')
fs.mkdirSync(folder, { recursive: true })
const changed = []
for (const file of fs.readdirSync(folder)) {
  if (!pages.has(file)) {
    fs.rmSync(path.join(folder, file))
    changed.push(`removed ${file}`)
  }
}
for (const [file, page] of pages) {
  const target = path.join(folder, file)
  if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === page) continue
  fs.writeFileSync(target, page)
  changed.push(`wrote ${file}`)
}
console.log(changed.length ? `docs/rules: ${changed.join(', ')}.` : `docs/rules: the ${pages.size} rule pages are up to date.`)
