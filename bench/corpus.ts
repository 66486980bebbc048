// Measures the parser on a folder of real migrations (kept outside the project, never committed):
// share of statements that end as unparsed-statement, and throughput.
//   npx tsx bench/corpus.ts /tmp/corpora/lemmy [--show 5]
import fs from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import { loadParser, parseSql } from '../src/parse/sql.js'
import { SourceText } from '../src/parse/source-text.js'
import { decodeText } from '../src/discover/discover.js'

const [dir, ...rest] = process.argv.slice(2)
if (!dir) {
  console.error('usage: tsx bench/corpus.ts <folder> [--show N]')
  process.exit(2)
}
const show = rest[0] === '--show' ? Number(rest[1]) : 0
await loadParser()
const files = fg.sync(['**/*.sql', '**/*.sql.postgres'], { cwd: dir, absolute: true }).sort()
let bytes = 0
let statements = 0
const unparsed: { file: string; line: number; error: string; sql: string }[] = []
const texts = files.map(f => decodeText(fs.readFileSync(f)).text)
const start = performance.now()
texts.forEach((text, i) => {
  bytes += Buffer.byteLength(text)
  for (const s of parseSql(new SourceText(files[i], text), { inTransaction: false })) {
    statements++
    if (s.parseError) unparsed.push({ file: path.relative(dir, files[i]), line: s.loc.line, error: s.parseError, sql: s.sql.slice(0, 120) })
  }
})
const seconds = (performance.now() - start) / 1000
console.log(JSON.stringify({
  corpus: path.basename(dir),
  files: files.length,
  bytes,
  statements,
  unparsed: unparsed.length,
  unparsedShare: `${((100 * unparsed.length) / Math.max(1, statements)).toFixed(2)} %`,
  seconds: Number(seconds.toFixed(3)),
  mbPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)),
  statementsPerSecond: Math.round(statements / seconds),
}))
for (const u of unparsed.slice(0, show)) console.log(`  ${u.file}:${u.line}  ${u.error}\n    ${u.sql.replace(/\s+/g, ' ')}`)
