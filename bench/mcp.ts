// How fast `migrate-lint mcp` answers check_release (issue 18): the server spawned by the SDK's client,
// as an agent runs it, on a generated repository (bench/generate.ts), against the CLI run as a process
// on the same repository and the same disk cache. Cold: the server's first call on an empty cache;
// warm: later calls of the same server (median of --runs). The CLI's warm run is its median after one
// run that fills the cache.
//   npm run build && npx tsx bench/mcp.ts [--migrations 1000] [--layout sql|kysely] [--runs 10]
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { generateRepo, type Layout } from './generate.js'
import { snapshotBuild } from './snapshot.js'

const value = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback)
const migrations = Number(value('--migrations', '1000'))
const layout = value('--layout', 'sql') as Layout
const runs = Number(value('--runs', '10'))

/** CPU time of a process and its waited-for children (git), in ms: on a busy machine wall time says little. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  // utime, stime, cutime, cstime are fields 14–17 of stat(5); after the name, 12–15 counting from 1.
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * 10
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

const build = snapshotBuild()
const repo = generateRepo({ migrations, layout })
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-bench-mcp-cache-'))
const env = { ...(process.env as Record<string, string>), MIGRATE_LINT_CACHE_DIR: cache }
try {
  const transport = new StdioClientTransport({ command: process.execPath, args: [build.bin, 'mcp'], cwd: repo.dir, env, stderr: 'inherit' })
  const client = new Client({ name: 'migrate-lint-bench', version: '1.0.0' })
  let start = process.hrtime.bigint()
  await client.connect(transport)
  const connect = ms(start)
  const times: number[] = []
  const cpu: number[] = []
  const pid = transport.pid!
  let verdict = ''
  let findings = 0
  for (let i = 0; i <= runs; i++) {
    start = process.hrtime.bigint()
    const before = cpuMs(pid)
    const result = await client.callTool({ name: 'check_release', arguments: {} })
    times.push(ms(start))
    cpu.push(cpuMs(pid) - before)
    if (result.isError) throw new Error(JSON.stringify(result.content))
    const doc = result.structuredContent as { release: { verdict: string }; findings: unknown[] }
    verdict = doc.release.verdict
    findings = doc.findings.length
  }
  await client.close()
  const cli: number[] = []
  for (let i = 0; i <= Math.min(runs, 5); i++) {
    start = process.hrtime.bigint()
    spawnSync(process.execPath, [build.bin, '--format', 'json'], { cwd: repo.dir, env, encoding: 'utf8' })
    cli.push(ms(start))
  }
  const round = (n: number) => Math.round(n)
  console.log(`${migrations} ${layout} migrations (${repo.release} in the release), verdict ${verdict}, ${findings} findings`)
  console.log(`mcp: connect ${round(connect)} ms; check_release cold ${round(times[0])} ms, warm median ${round(median(times.slice(1)))} ms (min ${round(Math.min(...times.slice(1)))}, max ${round(Math.max(...times.slice(1)))}, ${runs} calls); CPU cold ${cpu[0]} ms, warm median ${median(cpu.slice(1))} ms`)
  console.log(`cli: migrate-lint --format json warm median ${round(median(cli.slice(1)))} ms (${cli.length - 1} runs, a process each); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`)
} finally {
  build.remove()
  fs.rmSync(repo.dir, { recursive: true, force: true })
  fs.rmSync(cache, { recursive: true, force: true })
}
