// Times a release lint over a generated repository: N shipped SQL migrations, a tag, a release of a few
// migrations, and M application files with Kysely queries.  npx tsx bench/release.ts [migrations] [files]
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const migrations = Number(process.argv[2] ?? 1000)
const appFiles = Number(process.argv[3] ?? 2000)
const bin = path.resolve(import.meta.dirname, '../bin/migrate-lint.js')
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-bench-'))
const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b', GIT_CONFIG_GLOBAL: '/dev/null' }
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe', maxBuffer: 1 << 30 })

let seed = 42
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true })
  fs.writeFileSync(path.join(repo, file), text)
}

const tables: string[] = []
for (let i = 1; i <= migrations; i++) {
  const id = String(i).padStart(5, '0')
  let sql: string
  if (tables.length < 5 || random() < 0.15) {
    const t = `t${tables.length}`
    tables.push(t)
    sql = `CREATE TABLE ${t} (\n  id bigserial PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n`
  } else {
    const t = pick(tables)
    sql = pick([
      `ALTER TABLE ${t} ADD COLUMN c${i} text;\n`,
      `CREATE INDEX CONCURRENTLY ${t}_c${i}_idx ON ${t} (name);\n`,
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_fk${i} FOREIGN KEY (id) REFERENCES ${pick(tables)} (id) NOT VALID;\n`,
      `UPDATE ${t} SET name = lower(name) WHERE id < 1000;\n`,
      `SET lock_timeout = '5s';\nALTER TABLE ${t} ADD COLUMN flag${i} boolean NOT NULL DEFAULT false;\n`,
    ])
  }
  write(`migrations/${id}_m.sql`, sql)
}
for (let i = 0; i < appFiles; i++) {
  const t = pick(tables)
  write(
    `src/repo/r${i}.ts`,
    i % 5 === 0
      ? `export const helper${i} = (x: number) => x * 2\n`
      : `import type { Kysely } from 'kysely'\n\nexport async function find${i}(db: Kysely<any>, id: number) {\n  return db.selectFrom('${t} as x').select(['x.id', 'x.name']).where('x.id', '=', id).orderBy('x.created_at').execute()\n}\n\nexport async function add${i}(db: Kysely<any>, name: string) {\n  return db.insertInto('${t}').values({ name }).returning('id').execute()\n}\n`,
  )
}
git('init', '-q', '-b', 'main')
git('add', '-A')
git('commit', '-q', '-m', 'base')
git('tag', 'v1.0')
write(`migrations/${String(migrations + 1).padStart(5, '0')}_release.sql`, `ALTER TABLE ${tables[0]} DROP COLUMN name;\nCREATE INDEX i ON ${tables[1]} (name);\n`)

const times: number[] = []
let output = ''
for (let run = 0; run < 5; run++) {
  const start = performance.now()
  const result = spawnSync(process.execPath, [bin, '--since', 'v1.0', '--format', 'json'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 })
  times.push(performance.now() - start)
  output = result.stdout
}
times.sort((a, b) => a - b)
const doc = JSON.parse(output)
console.log(JSON.stringify({
  migrations,
  appFiles,
  medianMs: Math.round(times[2]),
  minMs: Math.round(times[0]),
  revertSafe: doc.release.revertSafe,
  findings: doc.findings.map((f: { ruleId: string }) => f.ruleId),
}))
if (!process.env.KEEP) fs.rmSync(repo, { recursive: true, force: true })
else console.log(repo)
