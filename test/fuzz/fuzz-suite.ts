// Runs one group of the fuzz properties as vitest tests: a fixed seed and case count per property, so a
// failure reproduces; `FUZZ_SEED=<n>` replays another seed, `npm run fuzz` runs ten times as many.
import fc from 'fast-check'
import { beforeAll, describe, it } from 'vitest'
import { loadParser } from '../../src/parse/sql.js'
import { FUZZ_PROPERTIES, fuzzSeed, type FuzzProperty } from './properties.js'

export function fuzzSuite(group: FuzzProperty['group']): void {
  beforeAll(() => loadParser())
  describe(`fuzz ${group} (seed ${fuzzSeed()})`, () => {
    for (const p of FUZZ_PROPERTIES.filter(p => p.group === group)) {
      it(`${p.name} (${p.runs} cases)`, async () => {
        const details = await p.check({ seed: fuzzSeed(), numRuns: p.runs })
        if (details.failed) throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n${String(details.errorInstance)}`)
      }, 120_000)
    }
  })
}
