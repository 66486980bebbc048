// Issue 14: what a migrations folder holds besides migrations — links that loop or leave the repository,
// a file the linter cannot read — never makes the run read outside, lint a file twice, or crash.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, runCli, tempTree } from '../cli/helpers.js'
import { GIT_ENV, TestRepo } from '../release/git-repo.js'

const env = { MIGRATE_LINT_NO_CACHE: '1' }

describe('symbolic links in the migrations folder', () => {
  it('a loop is not entered, a link out of the repository is not read, a link to a file inside is', () => {
    const outside = tempTree({ 'secret/001_secret.sql': 'DROP TABLE secrets;\n' })
    const dir = tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id int);\n', 'db/002_linked.sql': 'CREATE TABLE linked (id int);\n' })
    fs.symlinkSync('.', path.join(dir, 'migrations/loop'))
    fs.symlinkSync(path.join(outside, 'secret'), path.join(dir, 'migrations/out'))
    fs.symlinkSync(path.join(outside, 'secret/001_secret.sql'), path.join(dir, 'migrations/003_out.sql'))
    fs.symlinkSync('../db/002_linked.sql', path.join(dir, 'migrations/002_linked.sql'))
    const run = runCli(['--format', 'json'], dir, env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const doc = JSON.parse(run.stdout) as { findings: { file: string }[]; summary: { files: number; statements: number } }
    expect(doc.summary).toMatchObject({ files: 2, statements: 2 })
    expect(doc.findings.map(f => f.file)).toEqual([])
    const text = runCli([], dir, env)
    expect(text.stdout).toContain(
      'Not followed: symbolic links to a folder, or out of the repository (migrations/003_out.sql, migrations/loop, migrations/out).\n',
    )
    expect(text.stdout).not.toContain('secret')
  })
})

describe('symbolic links in the application code', () => {
  it('two loops (2^40 paths when followed) and a link out of the repository are not followed', () => {
    const outside = tempTree({ 'leak.ts': "export const q = db.selectFrom('users').select('email')\n" })
    const repo = new TestRepo()
      .commit('v1', { 'migrations/001_users.sql': 'CREATE TABLE users (id int, email text);\n', 'src/app.ts': 'export const app = 1\n' })
      .tag('v1.0.0')
    repo.write({ 'migrations/002_drop.sql': 'ALTER TABLE users DROP COLUMN email;\n' })
    for (const name of ['a', 'b']) fs.symlinkSync('.', path.join(repo.dir, 'src', name))
    fs.symlinkSync(path.join(outside, 'leak.ts'), path.join(repo.dir, 'src/leak.ts'))
    const run = runCli(['--format', 'json'], repo.dir, { ...GIT_ENV, ...env })
    expect(run.stderr).toBe('')
    const doc = JSON.parse(run.stdout) as { findings: { ruleId: string; message: string }[] }
    expect(doc.findings.map(f => f.ruleId)).toContain('drop-column-data-loss')
    expect(run.stdout).not.toContain('leak.ts')
  }, 60_000)
})

describe('a migration the linter cannot read', () => {
  it('is exit 2 naming the file and what to do, not an internal error with a stack', () => {
    const dir = tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id int);\n', 'migrations/002_hidden.sql': 'DROP TABLE users;\n' })
    fs.chmodSync(path.join(dir, 'migrations/002_hidden.sql'), 0o000)
    const run = asUnprivilegedUser(dir)
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'migrate-lint: migrations/002_hidden.sql: cannot read the migration (EACCES: permission denied). ' +
        'Fix its permissions, or leave it out with "exclude" in migrate-lint.config.json.\n',
    })
  })
})

/**
 * Root reads any file whatever its mode: as root, the CLI runs as `nobody` from a copy of the package
 * that user can read (the build's bundle folder is private to its owner).
 */
function asUnprivilegedUser(cwd: string): { code: number; stdout: string; stderr: string } {
  if (process.getuid?.() !== 0) return runCli([], cwd, env)
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-pkg-'))
  const source = path.resolve(path.dirname(BIN), '..')
  fs.cpSync(path.join(source, 'bin'), path.join(pkg, 'bin'), { recursive: true })
  fs.cpSync(path.join(source, 'dist/bundle'), path.join(pkg, 'dist/bundle'), { recursive: true })
  fs.copyFileSync(path.join(source, 'package.json'), path.join(pkg, 'package.json'))
  // Copied, not linked: the checkout may sit in a folder `nobody` cannot enter (mktemp -d makes it 0700).
  // A plain lint of SQL files loads the parser and nothing else that is external to the bundle.
  for (const dependency of ['libpg-query', '@pgsql/types']) {
    fs.cpSync(path.join(source, 'node_modules', dependency), path.join(pkg, 'node_modules', dependency), { recursive: true, dereference: true })
  }
  chmodTree(path.join(pkg, 'node_modules'))
  for (const dir of [pkg, path.join(pkg, 'dist'), path.join(pkg, 'dist/bundle'), cwd, path.join(cwd, 'migrations')]) fs.chmodSync(dir, 0o755)
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-lint-home-'))
  fs.chownSync(home, 65534, 65534)
  const result = spawnSync(process.execPath, [path.join(pkg, 'bin/migrate-lint.js')], {
    cwd,
    encoding: 'utf8',
    uid: 65534,
    gid: 65534,
    env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env },
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** Folders 0755 and files 0644, so that another user can load the copy. */
function chmodTree(dir: string): void {
  fs.chmodSync(dir, 0o755)
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) chmodTree(file)
    else fs.chmodSync(file, 0o644)
  }
}
