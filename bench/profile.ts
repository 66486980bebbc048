// Where the time goes: runs migrate-lint under `node --cpu-prof` on the generated repositories (cold
// full lint of 10,000 SQL migrations; `--since v1.0` over 1,000) and prints the functions with the most
// self time, the packages/files they belong to, and the heaviest call paths (inclusive time), per thread.
//   npm run build && npx tsx bench/profile.ts [--top 20] [--keep] [--case full:10000,since:1000] [--interval 500]
// The .cpuprofile files stay in the printed folder with --keep (open them in Chrome DevTools or speedscope).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { generateRepo, TAG, type Layout } from './generate.js'
import { ROOT, snapshotBuild } from './snapshot.js'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

export interface Row {
  name: string
  where: string
  ms: number
  share: number
}

export interface ProfileSummary {
  file: string
  totalMs: number
  idleMs: number
  gcMs: number
  selfByFunction: Row[]
  selfByModule: Row[]
  inclusive: Row[]
}

/** `dist/src/x.js:12`, `libpg-query`, `node:internal/…`: short enough to read in a table. */
function shortUrl(url: string): string {
  if (!url) return ''
  const clean = url.replace(/^file:\/\//, '')
  const nm = clean.lastIndexOf('/node_modules/')
  if (nm >= 0) {
    const rest = clean.slice(nm + '/node_modules/'.length).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (clean.startsWith(ROOT)) return clean.slice(ROOT.length + 1)
  // The private copy of the build (bench/snapshot.ts) stands for the project's own dist/.
  return clean.replace(/^.*\/migrate-lint-bench-build-[^/]+\//, '')
}

function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame
  if (!url) {
    if (functionName.startsWith('(')) return functionName
    return url === '' && /^\$?(func|wasm)/.test(functionName) ? 'wasm' : '(native/builtin)'
  }
  if (url.startsWith('wasm://')) return 'wasm (libpg-query)'
  if (url.startsWith('node:')) return url.replace(/^node:internal\/([^/]+).*/, 'node:internal/$1')
  return shortUrl(url)
}

export function summarize(file: string, top: number): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000))
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0)
  const key = (f: CallFrame) => `${f.functionName || '(anonymous)'}\u0000${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`
  const addTo = (map: Map<string, number>, k: string, ms: number) => map.set(k, (map.get(k) ?? 0) + ms)
  const fnSelf = new Map<string, number>()
  const modSelf = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let idleMs = 0
  let gcMs = 0
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') idleMs += ms
    if (frame.functionName === '(garbage collector)') gcMs += ms
    addTo(fnSelf, key(frame), ms)
    addTo(modSelf, moduleOf(frame), ms)
    // Inclusive: each distinct function on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at)!.callFrame)
      if (!seen.has(k)) {
        seen.add(k)
        addTo(inclusive, k, ms)
      }
    }
  }
  const rows = (map: Map<string, number>, skip: (name: string) => boolean = () => false): Row[] =>
    [...map.entries()]
      .filter(([k]) => !skip(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => {
        const [name, where = ''] = k.split('\u0000')
        return { name, where, ms: Math.round(ms), share: Math.round((1000 * ms) / totalMs) / 10 }
      })
  const boring = (k: string) => /^\((root|program|idle)\)/.test(k)
  return {
    file,
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    gcMs: Math.round(gcMs),
    selfByFunction: rows(fnSelf),
    selfByModule: rows(modSelf),
    inclusive: rows(inclusive, boring),
  }
}

export function renderSummary(title: string, s: ProfileSummary): string {
  const table = (head: string, rows: Row[], withWhere: boolean) =>
    [
      withWhere ? `| ${head} | where | ms | % |` : `| ${head} | ms | % |`,
      withWhere ? '|---|---|---:|---:|' : '|---|---:|---:|',
      ...rows.map(r => (withWhere ? `| \`${r.name}\` | ${r.where} | ${r.ms} | ${r.share} |` : `| ${r.name} | ${r.ms} | ${r.share} |`)),
    ].join('\n')
  return [
    `#### ${title}`,
    '',
    `${path.basename(s.file)}: ${s.totalMs} ms sampled, of which idle ${s.idleMs} ms, garbage collection ${s.gcMs} ms.`,
    '',
    'Self time by function:',
    '',
    table('function', s.selfByFunction, true),
    '',
    'Self time by package / file:',
    '',
    table('package or file', s.selfByModule, false),
    '',
    'Inclusive time (function and what it calls):',
    '',
    table('function', s.inclusive, true),
    '',
  ].join('\n')
}

interface ProfileCase {
  mode: 'full' | 'since' | 'staged'
  size: number
  layout: Layout
}

function parseCases(text: string): ProfileCase[] {
  return text.split(',').map(part => {
    const [mode, size, layout = 'sql'] = part.split(':')
    if (mode !== 'full' && mode !== 'since' && mode !== 'staged') throw new Error(`--case ${part}: mode is full, since or staged`)
    return { mode, size: Number(size), layout: layout as Layout }
  })
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
  const top = Number(value('--top') ?? 20)
  const keep = args.includes('--keep')
  const interval = value('--interval')
  const cases = parseCases(value('--case') ?? 'full:10000,since:1000')
  const build = snapshotBuild()
  const out: string[] = []
  for (const c of cases) {
    const repo = generateRepo({ migrations: c.size, layout: c.layout })
    const profiles = fs.mkdtempSync(path.join(os.tmpdir(), `migrate-lint-profile-${c.mode}-${c.size}-`))
    let cwd = repo.dir
    let args: string[] = [c.mode === 'since' ? '--since' : '--staged', ...(c.mode === 'since' ? [TAG] : [])]
    if (c.mode === 'full') {
      cwd = path.join(profiles, 'work')
      fs.cpSync(path.join(repo.dir, 'migrations'), path.join(cwd, 'migrations'), { recursive: true })
      args = ['migrations']
    }
    const flags = ['--cpu-prof', '--cpu-prof-dir', profiles, ...(interval ? ['--cpu-prof-interval', interval] : [])]
    const load = os.loadavg().map(n => n.toFixed(2)).join(' ')
    const start = performance.now()
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.NODE_OPTIONS
    const run = spawnSync(process.execPath, [...flags, build.bin, ...args, '--format', 'json'], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 })
    const wall = performance.now() - start
    if (run.status !== 0 && run.status !== 1) throw new Error(`migrate-lint failed (${run.status}): ${run.stderr}`)
    const summary = (JSON.parse(run.stdout) as { summary: unknown }).summary
    const files = fs.readdirSync(profiles).filter(f => f.endsWith('.cpuprofile')).map(f => path.join(profiles, f))
    // The main thread's profile is the one with the most samples; the others are worker threads.
    const summaries = files.map(f => summarize(f, top)).sort((a, b) => b.totalMs - a.totalMs)
    const title = `${c.mode === 'full' ? 'cold full lint' : `--${c.mode}`} of ${c.size.toLocaleString('en-US')} ${c.layout} migrations`
    out.push(`### ${title}`, '', `Wall ${Math.round(wall)} ms under the profiler; load average before: ${load}; summary ${JSON.stringify(summary)}.`, '')
    summaries.forEach((s, i) => out.push(renderSummary(i === 0 ? 'main thread' : `worker thread ${i}`, s)))
    if (keep) out.push(`Profiles: ${profiles} (repository ${repo.dir})`, '')
    else {
      fs.rmSync(profiles, { recursive: true, force: true })
      fs.rmSync(repo.dir, { recursive: true, force: true })
    }
  }
  build.remove()
  process.stdout.write(`${out.join('\n')}\n`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
