// Issue 17, item 8: what `migrate-lint verify` prints, as a process on PGlite — one finding per cause
// (a lock the lint and the replay both see, a down that leaves several objects), and no "revert-safe"
// when a replay failed.
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from '../release/git-repo.js'

const env = { CI: 'true' }

interface JsonFinding {
  ruleId: string
  file: string
  line: number
  message: string
  severity: string
  suppressed?: { reason: string }
}

const shipped = { 'migrations/001_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n-- migrate:down\nDROP TABLE users;\n' }
const release = (files: Record<string, string>) => new TestRepo().commit('v1', shipped).tag('v1').write(files)
interface JsonDocument {
  findings: JsonFinding[]
  release: { verdict: string; unproven: { reason: string; file: string; line: number }[] }
}

function verifyJson(repo: TestRepo): { code: number; doc: JsonDocument } {
  const run = runCli(['verify', '--format', 'json'], repo.dir, env)
  expect(run.stderr).toBe('')
  return { code: run.code, doc: JSON.parse(run.stdout) as JsonDocument }
}

const at = (findings: JsonFinding[]) => findings.filter(f => !f.suppressed).map(f => `${f.file}:${f.line} ${f.ruleId}`)

describe('verify: one finding per line per cause', () => {
  it('a lock without lock_timeout is missing-lock-timeout once, with the locks verify saw; no verify-dangerous-lock beside it', () => {
    const repo = release({
      'migrations/002_tier.sql':
        "-- migrate:up\nSET LOCAL statement_timeout = '60s';\nALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;\nALTER TABLE users DROP COLUMN email;\n" +
        '-- migrate:down\nALTER TABLE users ADD COLUMN email text;\nALTER TABLE users DROP COLUMN tier;\n',
    })
    const { doc } = verifyJson(repo)
    const locking = doc.findings.filter(f => ['missing-lock-timeout', 'verify-dangerous-lock'].includes(f.ruleId))
    expect(at(locking)).toEqual(['migrations/002_tier.sql:3 missing-lock-timeout'])
    expect(locking[0].message).toMatch(
      /^ALTER TABLE takes a lock that blocks reads and writes on users, .* verify saw it in pg_locks, with no lock_timeout in effect: line 3 took ACCESS EXCLUSIVE on users; line 4 took ACCESS EXCLUSIVE on users\.$/,
    )
    const text = runCli(['verify'], repo.dir, env)
    expect(text.stdout.match(/^migrations\/002_tier\.sql:3:1 .*$/gm)).toEqual(['migrations/002_tier.sql:3:1  warning  missing-lock-timeout'])
    expect(text.stdout).not.toContain('verify-dangerous-lock')
  }, 60_000)

  it('with missing-lock-timeout turned off, verify-dangerous-lock still reports each lock', () => {
    const repo = release({
      'migrate-lint.config.json': JSON.stringify({ rules: { 'missing-lock-timeout': 'off', 'missing-statement-timeout': 'off' } }),
      'migrations/002_tier.sql': '-- migrate:up\nALTER TABLE users ADD COLUMN tier int NOT NULL DEFAULT 0;\n-- migrate:down\nALTER TABLE users DROP COLUMN tier;\n',
    })
    expect(at(verifyJson(repo).doc.findings)).toEqual(['migrations/002_tier.sql:2 verify-dangerous-lock'])
  }, 60_000)

  it('an empty down: one verify-round-trip-mismatch for the migration, naming each object it left', () => {
    const repo = release({
      'migrations/002_orders.sql':
        "-- migrate:up\nSET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\nALTER TABLE users ADD COLUMN tier int;\n" +
        'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX CONCURRENTLY users_tier_idx ON users (tier);\n-- migrate:down\n',
    })
    const { code, doc } = verifyJson(repo)
    const roundTrip = doc.findings.filter(f => f.ruleId === 'verify-round-trip-mismatch')
    expect(at(roundTrip)).toEqual(['migrations/002_orders.sql:1 verify-round-trip-mismatch'])
    expect(roundTrip[0].message).toMatch(
      /^After the down migrations, 3 objects differ from the schema before the release: \(1\) column users\.tier is still there \(integer\), .*; \(2\) index users_tier_idx is still there .*; \(3\) table orders is still there, .*\. Running its up again then fails at line 4: column "tier" of relation "users" already exists \(42701\)\.$/,
    )
    expect(code).toBe(1)
  }, 60_000)
})

describe('verify: a replay that fails is never "revert-safe"', () => {
  it('a statement Postgres refuses: the verdict is unproven, at that line, exit 1', () => {
    const repo = release({ 'migrations/002_idx.sql': '-- migrate:up\nCREATE INDEX users_nope_idx ON users (nope);\n-- migrate:down\nDROP INDEX users_nope_idx;\n' })
    const { code, doc } = verifyJson(repo)
    expect(at(doc.findings.filter(f => f.severity === 'error'))).toEqual(['migrations/002_idx.sql:2 verify-statement-failed'])
    expect(doc.release.verdict).toBe('unproven')
    expect(doc.release.unproven.map(u => `${u.file}:${u.line}`)).toEqual(['migrations/002_idx.sql:2'])
    expect(code).toBe(1)
    const text = runCli(['verify'], repo.dir, env)
    expect(text.stdout).toMatch(/^Release v1\.\.HEAD: unproven /m)
    expect(text.stdout).not.toContain('revert-safe')
    expect(text.code).toBe(1)
  }, 60_000)
})

describe('verify: extensions', () => {
  it('loads the contrib extensions PGlite ships when a migration creates them: pgcrypto, ltree, pg_trgm, citext, hstore, uuid-ossp', () => {
    const repo = release({
      'migrations/002_extensions.sql': [
        '-- migrate:up',
        'CREATE EXTENSION IF NOT EXISTS pgcrypto;',
        'CREATE EXTENSION IF NOT EXISTS ltree;',
        'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
        'CREATE EXTENSION IF NOT EXISTS citext;',
        'CREATE EXTENSION IF NOT EXISTS hstore;',
        'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";',
        "CREATE TABLE docs (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), token bytea DEFAULT gen_random_bytes(16), path ltree, title citext, attrs hstore);",
        'CREATE INDEX docs_title_trgm ON docs USING gin ((title::text) gin_trgm_ops);',
        "INSERT INTO docs (path, title, attrs) VALUES ('a.b', 'Hello', 'k => v');",
        '-- migrate:down',
        'DROP TABLE docs;',
        'DROP EXTENSION "uuid-ossp", hstore, citext, pg_trgm, ltree, pgcrypto;',
        '',
      ].join('\n'),
    })
    const { code, doc } = verifyJson(repo)
    expect(doc.findings.filter(f => f.ruleId.startsWith('verify-'))).toEqual([])
    expect(doc.release.verdict).toBe('revert-safe')
    expect(code).toBe(0)
  }, 60_000)

  it('an extension PGlite does not ship: one finding at its CREATE EXTENSION naming it and what was not replayed; unproven, exit 1', () => {
    const repo = release({
      'migrations/002_geo.sql': '-- migrate:up\nCREATE EXTENSION postgis;\nCREATE TABLE places (id bigint PRIMARY KEY, at geometry(Point, 4326));\n-- migrate:down\nDROP TABLE places;\n',
      'migrations/003_more.sql': '-- migrate:up\nCREATE INDEX places_at_idx ON places USING gist (at);\n-- migrate:down\nDROP INDEX places_at_idx;\n',
    })
    const { code, doc } = verifyJson(repo)
    const verifyFindings = doc.findings.filter(f => f.ruleId.startsWith('verify-'))
    expect(at(verifyFindings)).toEqual(['migrations/002_geo.sql:2 verify-statement-failed'])
    expect(verifyFindings[0].message).toBe(
      'PGlite (PostgreSQL 18.6) does not ship the extension postgis: migrations/002_geo.sql and the 1 migration after it (migrations/003_more.sql) were not replayed, ' +
        'and the release is unproven. Run verify with --database-url on a Postgres that has postgis to check them.',
    )
    expect(doc.release.verdict).toBe('unproven')
    expect(code).toBe(1)
  }, 60_000)
})
