// `npm run fuzz`: the properties of test/fuzz at ten times the suite's case count (≥ 100,000 cases),
// with a fresh seed each run unless FUZZ_SEED is set. Prints cases, time and any counterexample with
// the seed that replays it (`FUZZ_SEED=<seed> npm run fuzz`, or the same seed in the test suite).
//   FUZZ_SCALE=<n>  multiply the suite's case counts by n (default 10)
import fc from 'fast-check'
import { loadParser } from '../src/parse/sql.js'
import { FUZZ_PROPERTIES, fuzzSeed } from '../test/fuzz/properties.js'

const scale = Number(process.env.FUZZ_SCALE ?? 10)
if (!(scale > 0)) throw new Error(`FUZZ_SCALE must be a positive number, got ${process.env.FUZZ_SCALE}`)
const seed = fuzzSeed(Math.floor(Math.random() * 0x7fffffff))

await loadParser()
console.log(`fuzz: seed ${seed}, scale ×${scale}`)
const started = performance.now()
let cases = 0
let failures = 0
for (const p of FUZZ_PROPERTIES) {
  const numRuns = Math.round(p.runs * scale)
  const t0 = performance.now()
  const details = await p.check({ seed, numRuns })
  const seconds = (performance.now() - t0) / 1000
  cases += details.numRuns
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20)
  console.log(`${details.failed ? 'FAIL' : 'ok  '}  ${String(details.numRuns).padStart(7)} cases  ${seconds.toFixed(1).padStart(6)} s  ${String(rss).padStart(5)} MB  ${p.name}`)
  if (details.failed) {
    failures++
    console.log(fc.defaultReportMessage(details))
    console.log(String(details.errorInstance))
  }
}
const total = (performance.now() - started) / 1000
const peak = Math.round(process.resourceUsage().maxRSS / 1024)
console.log(`fuzz: ${cases} cases in ${total.toFixed(1)} s, ${failures} failing properties, peak RSS ${peak} MB, seed ${seed}`)
process.exitCode = failures ? 1 : 0
