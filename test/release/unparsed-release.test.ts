// Nothing hides a statement (issue 12), end to end: the CLI as a process on a real git repository.
import { describe, expect, it } from 'vitest'
import { runCli } from '../cli/helpers.js'
import { TestRepo } from './git-repo.js'

const createUsers = 'CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n'
const readsEmail = "import { db } from '../db'\n\nexport const findUser = (id: number) =>\n  db.selectFrom('users').select(['id', 'email']).where('id', '=', id).executeTakeFirst()\n"
const readsName = "import { db } from '../db'\n\nexport const findUser = (id: number) =>\n  db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()\n"

const released = () =>
  new TestRepo().commit('v1.4', { 'migrations/001_users.sql': createUsers, 'src/users/repo.ts': readsEmail }).tag('v1.4')

describe('a release whose migration does not parse', () => {
  it('is NOT revert-safe: exit 1, the text says so and points at the statement', () => {
    const repo = released().commit('add a column, badly', {
      'migrations/002_add.sql': 'ALTER TABLE users ADD COLUMN nickname;\n',
    })
    const run = runCli(['--since', 'v1.4', '--no-color'], repo.dir)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Release v1\.4\.\.HEAD: NOT revert-safe/)
    expect(run.stdout).toMatch(/migrations\/002_add\.sql:1:1\s+error\s+unparsed-statement/)
  })
})

describe('what psql reads as no SQL, and DO blocks, in a release', () => {
  it('reports a meta-command line and still finds the drop after it, and the drop inside a DO block, at their lines', () => {
    const repo = released().commit('drop email', {
      'src/users/repo.ts': readsName,
      'migrations/002_drop.sql': "\\set ON_ERROR_STOP on\nDO $$\nBEGIN\n  IF EXISTS (SELECT 1) THEN\n    ALTER TABLE users DROP COLUMN email;\n  END IF;\nEND $$;\n",
    })
    const run = runCli(['--since', 'v1.4', '--format', 'json'], repo.dir)
    expect(run.code).toBe(1)
    const doc = JSON.parse(run.stdout) as { findings: { ruleId: string; line: number; column: number }[] }
    const at = doc.findings.map(f => `${f.ruleId} ${f.line}:${f.column}`)
    expect(at).toContain('unparsed-statement 1:1')
    expect(at).toContain('drop-column-still-read 5:5')
  })
})
