#!/usr/bin/env node
// `npm run docs`: rewrites the rule table in README.md from the rules' own metadata.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { rulesMarkdownTable } from '../dist/src/report/rule-docs.js'

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md')
const text = fs.readFileSync(readme, 'utf8')
const updated = text.replace(/(<!-- rules:start -->\n)[\s\S]*?(\n<!-- rules:end -->)/, `$1${rulesMarkdownTable()}$2`)
fs.writeFileSync(readme, updated)
console.log(updated === text ? 'README.md rule table is up to date.' : 'README.md rule table updated.')
